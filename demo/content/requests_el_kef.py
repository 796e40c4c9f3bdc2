"""Requests to El Kef municipality (desk KEF): one of every kind, among them an overdue
complaint, an anonymous corruption report waiting for its author, two public requests, and a
notice that came through the Central Office."""

from demo.content.requests import (
    ASK,
    ASSIGN,
    DRAFT,
    FEEDBACK,
    NOTE,
    OUT_OF_SCOPE,
    PUBLISH,
    REDIRECT,
    SEND,
    START,
    Demand,
    step,
)
from demo.content.script import say

KEF = "el-kef"
PLACE = {"governorate": "TN-33", "municipality": "الكاف"}

_FILED_AT_KEF = [
    Demand(
        key="kef-pothole-school",
        kind="notice",
        institution=KEF,
        author="amira",
        language="ar",
        subject="حفرة كبيرة أمام المدرسة الابتدائية بحي الدير",
        text=(
            "منذ أمطار الأسبوع الفارط انفتحت حفرة عميقة في الطريق أمام المدرسة الابتدائية بحي الدير، "
            "قطرها أكثر من متر. الأطفال يمرّون بجانبها صباحا ومساء والسيارات تنحرف عنها فجأة. "
            "وضع الجيران حجارة حولها لكن ذلك لا يكفي. نرجو ردمها قبل أن يقع حادث."
        ),
        filed_days_ago=5,
        stage="in_progress",
        steps=(
            step(0.2, PUBLISH),
            step(1, ASSIGN),
            step(1.1, START),
            step(1.2, NOTE, "طلبنا من مصلحة الطرقات معاينة الحفرة هذا الأسبوع؛ الردم مبرمج قبل حملة التعبيد."),
        ),
        public=True,
        supporters=("walid", "najet", "rania", "meriem", "salma", "khaoula"),
        discussion=(
            say(
                "walid", "ar",
                "أمرّ من هناك كل يوم. الحفرة تكبر مع كل شتاء، وفي الليل لا تُرى لأن العمود الكهربائي بجانبها مطفأ.",
                say("najet", "ar", "صحيح، ويجب وضع علامة تحذير على الأقل حتى تنتهي الأشغال."),
            ),
            say("rania", "fr", "Mon fils passe devant tous les matins. Merci de la signaler, j'ajoute mon soutien."),
        ),
        address="نهج المدرسة، حي الدير",
        latitude=36.182200,
        longitude=8.714800,
        **PLACE,
    ),
    Demand(
        key="kef-birth-certificate",
        kind="guidance",
        institution=KEF,
        author="youssef",
        language="fr",
        subject="Extrait de naissance : dois-je venir au Kef ?",
        text=(
            "Bonjour, je suis né au Kef en 1991 et j'habite maintenant à Tunis. J'ai besoin de trois "
            "extraits de naissance pour un dossier de passeport. Est-ce que je dois me déplacer "
            "jusqu'au Kef, ou est-ce qu'une municipalité de Tunis peut me les donner ? Merci."
        ),
        filed_days_ago=12,
        stage="closed",
        steps=(
            step(0.5, ASSIGN),
            step(
                1, DRAFT,
                "Bonjour. Vous n'avez pas à vous déplacer : votre acte est inscrit au registre national "
                "de l'état civil, et le bureau d'état civil de n'importe quelle municipalité ou "
                "arrondissement peut vous en délivrer des extraits, sur présentation de votre carte "
                "d'identité nationale. Ils sont remis le jour même. Bonne démarche.",
            ),
            step(1.3, SEND),
            step(3, FEEDBACK, useful=True),
        ),
    ),
    Demand(
        key="kef-market-hours",
        kind="guidance",
        institution=KEF,
        author="karim",
        language="en",
        subject="Opening hours of the central market on Sundays",
        text=(
            "Hello, I'm visiting my family in El Kef next month and would like to know whether the "
            "central market is open on Sunday mornings, and until what time it is open on weekdays. "
            "The times on the door are half torn off."
        ),
        filed_days_ago=3,
        stage="answered",
        steps=(
            step(0.1, ASSIGN),
            step(
                0.8, DRAFT,
                "Hello, the central market is open every day except Monday, from 6:30 to 14:00, and "
                "on Sundays from 6:30 to 13:00. The fish hall closes at noon. We will replace the "
                "torn notice on the door this week; thank you for telling us.",
            ),
            step(1, SEND),
        ),
    ),
    Demand(
        key="kef-bus-shelters",
        kind="suggestion",
        institution=KEF,
        author="najet",
        language="ar",
        subject="محطات انتظار مسقوفة على خط الحافلة نحو المركب الجامعي",
        text=(
            "الطلبة والعمال ينتظرون الحافلة في الطريق المؤدية إلى المركب الجامعي بالكاف تحت المطر "
            "والثلج في الشتاء وتحت الشمس في الصيف، دون أي مأوى. أقترح تركيز محطات انتظار مسقوفة "
            "بمقاعد في أهم النقاط: أمام المستشفى الجهوي، وقرب المعهد، وعند مدخل المركب الجامعي. "
            "يمكن تمويلها بالإشهار على جدرانها كما تفعل بلديات أخرى."
        ),
        filed_days_ago=9,
        stage="assigned",
        steps=(step(0.5, PUBLISH), step(2, ASSIGN)),
        public=True,
        supporters=("amira", "walid", "rania", "meriem", "hela", "salma", "abderrazek", "khaoula", "youssef"),
        discussion=(
            say(
                "rania", "fr",
                "Excellente idée. Il faudrait aussi afficher les horaires des bus dans chaque abri : "
                "aujourd'hui personne ne sait quand passe le prochain.",
                say("najet", "ar", "نعم، ولوحة صغيرة بالأوقات لا تكلّف شيئا."),
            ),
            say("amira", "ar", "وإنارة في الليل، فالطلبة يعودون متأخرين في الشتاء.", agree=3),
        ),
        **PLACE,
    ),
    Demand(
        key="kef-waste-collection",
        kind="complaint",
        institution=KEF,
        author="walid",
        language="ar",
        subject="الفضلات لم تُرفع منذ أسبوعين في حي النور",
        text=(
            "شاحنة رفع الفضلات لم تمرّ بنهج الياسمين في حي النور منذ أسبوعين. الحاويات ممتلئة "
            "والأكياس مكدّسة على الرصيف، والقطط والكلاب تبعثرها كل ليلة. اتصلنا بالدائرة البلدية "
            "مرتين دون نتيجة."
        ),
        filed_days_ago=34,
        stage="assigned",
        steps=(step(1, ASSIGN),),
        address="نهج الياسمين، حي النور",
        **PLACE,
    ),
    Demand(
        key="kef-bank-fees",
        kind="complaint",
        institution=KEF,
        author="mehdi",
        language="fr",
        subject="Frais bancaires prélevés sans explication",
        text=(
            "Ma banque prélève chaque mois 12 dinars de « frais de tenue de compte » alors que "
            "mon contrat n'en prévoit pas. L'agence du Kef me renvoie au siège. Je voudrais que "
            "la municipalité intervienne."
        ),
        filed_days_ago=6,
        stage="out_of_scope",
        steps=(
            step(
                1, OUT_OF_SCOPE,
                "La municipalité n'a aucune compétence sur les banques. Adressez d'abord une "
                "réclamation écrite au service clients de votre banque, puis, sans réponse, au "
                "médiateur bancaire ; la Banque centrale de Tunisie reçoit aussi ces réclamations.",
            ),
        ),
    ),
    Demand(
        key="kef-paid-permit",
        kind="corruption",
        institution=KEF,
        author="",
        language="ar",
        subject="موظف طلب مالا مقابل تسريع رخصة بناء",
        text=(
            "تقدمت بمطلب رخصة بناء لمنزل منذ أربعة أشهر. في الأسبوع الفارط قال لي موظف في مصلحة "
            "رخص البناء إن الملف «سيبقى في الدرج» إلا إذا دفعت له 300 دينار، وإن الأمر «يتم "
            "هكذا مع الجميع». لم أدفع. لا أريد ذكر اسمي خوفا من أن يتعطل ملفي أكثر."
        ),
        filed_days_ago=3,
        stage="waiting",
        steps=(
            step(0.5, ASSIGN),
            step(0.6, NOTE, "يُحال نسخة على خلية الحوكمة بالبلدية. لا يُطلب من المبلّغ أي معطى يكشف هويته."),
            step(
                1, ASK,
                "شكرا على تبليغك. حتى نتمكن من التحقق دون كشف هويتك: في أي يوم وفي أي ساعة تقريبا "
                "حصل ذلك، وفي أي مكتب؟ لا تذكر اسمك ولا رقم ملفك.",
            ),
        ),
    ),
]

# Filed by a citizen who did not know whom to ask: the Central Office sends it to El Kef.
REDIRECTED = Demand(
    key="kef-street-lights",
    kind="notice",
    institution="",
    author="rania",
    language="fr",
    subject="Lampadaires éteints sur la route de la gare routière",
    text=(
        "Trois lampadaires sont éteints depuis un mois dans la rue qui descend vers la gare "
        "routière du Kef. Le soir il fait complètement noir et les femmes évitent d'y passer. "
        "Je ne sais pas si c'est la municipalité ou la STEG qui s'en occupe."
    ),
    filed_days_ago=4,
    stage="received",
    steps=(
        step(
            1, REDIRECT,
            "L'éclairage public des rues relève de la municipalité du Kef : nous lui transmettons "
            "votre signalement, elle vous répondra directement.",
            to=KEF,
        ),
    ),
    governorate="TN-33",
    municipality="Le Kef",
)

EL_KEF = [*_FILED_AT_KEF, REDIRECTED]
