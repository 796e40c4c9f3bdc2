"""Requests to the Ministry of Agriculture (desk AGRI), among them an overdue complaint that
waited for its author, and to the Central Office (desk BCRC), which receives the requests of
citizens who do not know whom to ask."""

from demo.content.requests import (
    ASK,
    ASSIGN,
    CLOSE,
    DRAFT,
    NOTE,
    OUT_OF_SCOPE,
    PUBLISH,
    REPLY,
    SEND,
    START,
    Demand,
    step,
)
from demo.content.script import say

MINISTRY = "agriculture-water"

AGRICULTURE = [
    Demand(
        key="agri-water-cut-fernana",
        kind="complaint",
        institution=MINISTRY,
        author="abderrazek",
        language="ar",
        subject="انقطاع الماء الصالح للشرب منذ خمسة أيام بدوار في فرنانة",
        text=(
            "نحن سكان دوار الرّوايعية بمعتمدية فرنانة نشرب من شبكة المجمع المائي. الماء مقطوع منذ "
            "خمسة أيام، والمجمع يقول إن المضخة معطّبة ولا مال عنده لإصلاحها. نشتري الماء من "
            "الصهاريج بعشرين دينارا للخزان، والعائلات الفقيرة تجلب الماء من العين على الحمير."
        ),
        filed_days_ago=30,
        stage="in_progress",
        steps=(
            step(1, ASSIGN),
            step(2, ASK, "ما اسم المجمع المائي بالضبط، وهل لديكم رقم هاتف رئيسه؟ نحتاجهما لمراسلة المندوبية الجهوية."),
            step(5, REPLY, "مجمع التنمية الفلاحية بالرّوايعية. رئيسه السيد الهادي، هاتفه عند العمدة. الماء ما زال مقطوعا."),
            step(6, NOTE, "راسلنا المندوبية الجهوية للتنمية الفلاحية بجندوبة لإصلاح المضخة على حساب الاعتمادات الاستثنائية."),
        ),
        governorate="TN-32",
        municipality="فرنانة",
    ),
    Demand(
        key="agri-irrigation-leak",
        kind="notice",
        institution=MINISTRY,
        author="leila",
        language="fr",
        subject="Fuite sur la conduite d'irrigation entre Béni Khalled et Menzel Bouzelfa",
        text=(
            "Depuis dix jours, la conduite principale du périmètre irrigué fuit au bord de la route "
            "entre Béni Khalled et Menzel Bouzelfa, à la hauteur du pont. L'eau coule jour et nuit "
            "dans le fossé, alors que nos orangers manquent d'eau et que les tours d'irrigation "
            "ont été réduits."
        ),
        filed_days_ago=8,
        stage="answered",
        steps=(
            step(0.3, PUBLISH),
            step(1, ASSIGN),
            step(1.2, START),
            step(
                4, DRAFT,
                "Bonjour, merci pour ce signalement. Les équipes du commissariat régional de Nabeul "
                "ont remplacé le tronçon de conduite endommagé ; l'eau a été rétablie hier soir. Les "
                "tours d'irrigation du périmètre reprennent leur calendrier normal dès lundi.",
            ),
            step(5, SEND),
        ),
        public=True,
        supporters=("sami", "mehdi", "youssef", "ines"),
        discussion=(
            say(
                "sami", "fr",
                "Même chose l'an dernier au même endroit : la conduite est vieille, il faudrait la remplacer sur toute la longueur.",
                say("leila", "fr", "Oui, c'est la troisième réparation en deux ans.", agree=2),
            ),
            say("ines", "en", "Glad it was fixed quickly. Could the ministry publish where the network loses the most water?"),
        ),
        governorate="TN-21",
        municipality="Béni Khalled",
        latitude=36.649500,
        longitude=10.596800,
    ),
    Demand(
        key="agri-dam-levels",
        kind="suggestion",
        institution=MINISTRY,
        author="ines",
        language="en",
        subject="Publish dam levels every day as open data",
        text=(
            "The dam filling rates are shared as pictures on social media. Please publish them every "
            "day as a downloadable table, dam by dam, with the history of past years, so that "
            "farmers, journalists and researchers can follow the drought and plan ahead."
        ),
        filed_days_ago=2,
        stage="received",
        steps=(step(0.5, PUBLISH),),
        public=True,
        supporters=("karim", "youssef", "leila"),
    ),
    Demand(
        key="agri-well-permit",
        kind="guidance",
        institution=MINISTRY,
        author="mohamed.hedi",
        language="ar",
        subject="كيف أحصل على رخصة حفر بئر في أرضي الفلاحية؟",
        text=(
            "عندي قطعة أرض فلاحية بمعتمدية الشبيكة وأريد حفر بئر سطحية للري. ما هي الوثائق "
            "المطلوبة؟ وهل أقدّم المطلب في الوزارة بتونس أم في المندوبية بالقيروان؟"
        ),
        filed_days_ago=25,
        stage="closed",
        steps=(
            step(1, ASSIGN),
            step(
                3, DRAFT,
                "يُقدَّم مطلب الترخيص لدى المندوبية الجهوية للتنمية الفلاحية بالقيروان (دائرة الموارد "
                "المائية)، لا في الوزارة. يرفق المطلب بما يثبت ملكية الأرض أو كراءها، ومثال موقعي، "
                "ونسخة من بطاقة التعريف. تنبّه إلى أن بعض مناطق القيروان مصنّفة مناطق تحجير يُمنع "
                "فيها حفر آبار جديدة لحماية المائدة المائية: تسألك المندوبية عن موقع الأرض قبل كل شيء.",
            ),
            step(4, SEND),
            step(20, CLOSE),
        ),
        governorate="TN-41",
        municipality="الشبيكة",
    ),
    Demand(
        key="agri-subsidised-barley",
        kind="corruption",
        institution=MINISTRY,
        author="fatma",
        language="ar",
        subject="توزيع الشعير المدعّم يتم بالمحاباة",
        text=(
            "في مركز توزيع الأعلاف بمعتمدية المكناسي يحصل بعض المربّين على كميات من الشعير المدعّم "
            "أكبر من حصتهم بكثير، بينما يقال لنا نحن صغار المربين إن الكمية نفدت. رأيت ليلة الخميس "
            "شاحنة تُحمَّل بالأكياس من المركز بعد إغلاقه. أقبل أن تتصلوا بي."
        ),
        filed_days_ago=6,
        stage="assigned",
        steps=(step(1, ASSIGN),),
        governorate="TN-43",
        municipality="المكناسي",
    ),
]

CENTRAL_OFFICE = [
    Demand(
        key="bcrc-eye-appointment",
        kind="complaint",
        institution="",
        author="hela",
        language="ar",
        subject="موعد في قسم طب العيون بعد ثمانية أشهر",
        text=(
            "ذهبت إلى المستشفى الجامعي بقابس لأخذ موعد لوالدتي في قسم طب العيون (الماء الأبيض) "
            "فأعطوني موعدا بعد ثمانية أشهر. والدتي لم تعد تقدر على الخروج وحدها. لا أعرف لمن أشتكي."
        ),
        filed_days_ago=12,
        stage="in_progress",
        steps=(
            step(1, ASSIGN),
            step(2, START),
            step(2.1, NOTE, "راسلنا الإدارة الجهوية للصحة بقابس في شأن آجال المواعيد وطلبنا موعدا أقرب إن أمكن طبيا."),
        ),
        governorate="TN-81",
        municipality="قابس",
    ),
    Demand(
        key="bcrc-signature",
        kind="guidance",
        institution="",
        author="sami",
        language="fr",
        subject="Légalisation de signature : où et comment ?",
        text=(
            "Je dois faire légaliser ma signature sur une procuration pour ma sœur qui vit en France. "
            "Dois-je aller à la municipalité de Sousse où je suis inscrit, ou dans n'importe "
            "quelle municipalité ? Faut-il prendre rendez-vous ?"
        ),
        filed_days_ago=4,
        stage="answered",
        steps=(
            step(0.5, ASSIGN),
            step(
                1, DRAFT,
                "Bonjour. La légalisation de signature se fait dans n'importe quelle municipalité ou "
                "arrondissement municipal, sans rendez-vous. Venez avec votre carte d'identité "
                "nationale et la procuration non signée : vous la signez devant l'agent. Pour un "
                "usage en France, renseignez-vous aussi auprès du consulat sur une éventuelle "
                "certification supplémentaire.",
            ),
            step(1.5, SEND),
        ),
        governorate="TN-51",
    ),
    Demand(
        key="bcrc-sms-tracking",
        kind="suggestion",
        institution="bcrc",
        author="karim",
        language="en",
        subject="Let people follow their request by text message",
        text=(
            "Many people in my parents' village have a phone but no e-mail. Could the tracking "
            "number work by SMS too: send the number and the secret code to a short number and "
            "get back the stage the request has reached?"
        ),
        filed_days_ago=10,
        stage="in_progress",
        steps=(step(0.5, PUBLISH), step(1, ASSIGN), step(3, START)),
        public=True,
        supporters=("ines", "amira", "salma"),
        discussion=(
            say("salma", "ar", "فكرة جيدة، فكثير من كبار السنّ لا يستعملون الإنترنت لكنهم يقرؤون الإرساليات القصيرة.", agree=2),
            say("ines", "en", "It should stay free of charge, or people will not use it."),
        ),
    ),
    Demand(
        key="bcrc-phone-refund",
        kind="complaint",
        institution="bcrc",
        author="riadh",
        language="ar",
        subject="مشغّل الهاتف لم يُرجع لي مبلغ الاشتراك",
        text=(
            "ألغيت اشتراك الإنترنت المنزلي منذ شهرين لدى مشغّل خاص، وما زال يقتطع المبلغ من "
            "حسابي البنكي كل شهر. أرجو أن تتدخلوا لإرجاع أموالي."
        ),
        filed_days_ago=7,
        stage="out_of_scope",
        steps=(
            step(1, ASSIGN),
            step(
                2, OUT_OF_SCOPE,
                "النزاعات مع مشغّلي الاتصالات الخاصين لا تدخل في مشمولات المكتب لأنها لا تخص إدارة "
                "عمومية. قدّم شكاية مكتوبة للمشغّل، ثم للهيئة الوطنية للاتصالات إن لم يجبك.",
            ),
        ),
        governorate="TN-71",
    ),
]
