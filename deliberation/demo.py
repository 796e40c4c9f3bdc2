"""The demo discussions for ``seed_demo``: citizens debating the open Water Code consultation
(as a whole and section by section) and one forum topic of El Kef municipality.

Everything goes through the services, as if each person had used the site: posts at dates
spread over the days since the discussion opened (in each thread's reading order), replies
up to the maximum depth, reactions, reports, two contributions hidden by a moderator, an
official reply of the ministry, one report and one newcomer's contribution left waiting in the
moderation queue. A thread that already has contributions is left alone, so running the
command again adds nothing.
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import CITIZENS
from accounts.models import User
from cms.models import InstitutionPage
from cms.services import locales_ensure, page_translation_ensure
from consultations.demo import WATER_CODE, demo_section_id
from consultations.models import ConsultationPage
from deliberation import conf, services
from deliberation.models import (
    Contribution,
    ForumTopicPage,
    ModerationActionKind,
    ReactionKind,
    Reason,
    Thread,
)

NAMESPACE = uuid.UUID("0c5e7d52-93a1-4d0b-8f7e-5b0f2c1d9a44")

# What happens to a contribution once everything is posted.
OFFICIAL = "official"  # the institution's official reply, marked by a moderator
PINNED = "pinned"  # highlighted by a moderator
SPAM = "spam"  # reported as spam by a reader, then hidden by a moderator
PERSONAL_DATA = "personal_data"  # hidden by a moderator: it names someone and gives his number
REPORTED = "reported"  # reported once, left in the queue for a moderator to decide
NEWCOMER = "newcomer"  # a new account's first contribution: waits for approval


@dataclass(frozen=True)
class Say:
    author: str  # the part of a demo email address before "@majlis.test"
    language: str
    body: str
    replies: tuple["Say", ...] = ()
    agree: int = 0
    disagree: int = 0
    role: str = ""


def say(author, language, body, *replies, agree=0, disagree=0, role="") -> Say:
    return Say(author, language, body, tuple(replies), agree, disagree, role)


# Who reports what (and so who a moderator's decision is about).
REPORTERS = {SPAM: "salma", REPORTED: "sami"}
MODERATOR_NOTES = {
    SPAM: "إشهار تجاري لا علاقة له بالنقاش.",
    PERSONAL_DATA: "ذكر اسم شخص ورقم هاتفه وعنوانه. يمكن التبليغ عن التجاوزات لدى الهيئات المختصة.",
    OFFICIAL: "رد الوزارة على سؤال الحد الأدنى من الماء.",
    PINNED: "اقتراح عملي يهم كل الأحياء.",
}
REPORT_NOTES = {
    SPAM: "إشهار لفلاتر الماء",
    REPORTED: "Ton agressif envers les fonctionnaires, et appel à la démission générale.",
}
CITIZEN_NAMES = [email.removesuffix("@majlis.test") for email, *_ in CITIZENS]
# Citizens who do not react to others' contributions.
NOT_REACTING = {"zeineb", "aquapure"}


# --- The Water Code: the whole consultation ("") and its sections, by section key --------------

WATER_DISCUSSION = {
    "": [
        say(
            "amira", "ar",
            "نسكن في ريف الكاف، وفي كل صيف ينقطع الماء عن دوّارنا أسابيع كاملة.\n"
            "الحق في الماء مكتوب في الفصل الأول، لكن ما الذي يضمنه فعلا؟ أقترح أن تحدد المجلة:\n"
            "- حدا أدنى من اللترات لكل شخص في اليوم\n"
            "- أجلا أقصى لإعادة التزويد بعد كل انقطاع\n"
            "- جهة واحدة يمكن التشكي لديها",
            say(
                "mohamed.hedi", "ar",
                "نفس الشيء عندنا في حاجب العيون. الصهاريج التي ترسلها المعتمدية تأتي مرة في الأسبوع ولا تكفي. الحد الأدنى فكرة جيدة، لكن من سيحاسب الإدارة إذا لم تحترمه؟",
                say(
                    "youssef", "fr",
                    "On pourrait partir des repères de l'OMS : 50 litres par personne et par jour comme seuil, et un recours devant le tribunal administratif quand ni la SONEDE ni le GDA ne l'assurent.",
                    agree=4,
                ),
                say(
                    "amira", "ar",
                    "خمسون لترا حلم بالنسبة لنا الآن، لكن نعم: المهم أن يكون هناك رقم مكتوب في القانون وجهة نتشكى لديها.",
                    agree=3,
                ),
                agree=5,
            ),
            say(
                "approver.agriculture-water", "ar",
                "شكرا على هذه المقترحات. تعمل الوزارة على ضبط حد أدنى من الماء الصالح للشرب لكل شخص في النصوص التطبيقية للمجلة، وسيُعرض مشروع الأمر الترتيبي بدوره على التشاور في هذه المنصة.\n\n"
                "كما سيتضمن الفصل المتعلق بالمناطق الريفية برنامجا خاصا بالتجمعات غير المرتبطة بشبكة الشركة الوطنية لاستغلال وتوزيع المياه. نرحّب بمقترحاتكم حول الأجل الأقصى لإعادة التزويد.",
                say(
                    "salma", "ar",
                    "شكرا على الرد. نرجو أن يكون للمجامع المائية دور في هذا البرنامج، لا الصوناد وحدها.",
                    agree=4,
                ),
                agree=6,
                role=OFFICIAL,
            ),
            agree=8,
        ),
        say(
            "youssef", "fr",
            "Le projet parle beaucoup du droit à l'eau mais très peu de la tarification. Aujourd'hui la SONEDE facture par tranches et par compteur : une famille nombreuse dans un immeuble paie le mètre cube plus cher qu'un ménage seul avec piscine. Le Code devrait poser le principe d'une tarification sociale par personne.",
            say(
                "leila", "fr",
                "Tout à fait d'accord. Et il faut parler des pertes : près d'un tiers de l'eau produite se perd dans les réseaux. Avant d'augmenter les tarifs, qu'on répare les fuites.",
                say(
                    "sami", "fr",
                    "Les deux vont ensemble : sans recettes, la SONEDE ne peut pas rénover ses réseaux. Une tarification sociale pour les premières tranches, oui, mais un vrai prix pour les gros consommateurs.",
                    agree=3, disagree=1,
                ),
                agree=6,
            ),
            say(
                "hela", "ar",
                "التسعيرة حسب عدد أفراد العائلة عادلة، لكن كيف ستعرف الصوناد عدد الأفراد؟ لا نريد ملفات إدارية إضافية في كل سنة.",
                agree=3,
            ),
            agree=7, disagree=1,
        ),
        say(
            "karim", "en",
            "Reading the English version: it is not clear who is responsible when a rural GDA network breaks down. The ministry, the regional agricultural office (CRDA) or the association itself? The code should name one body that citizens can turn to.",
            say(
                "noureddine", "ar",
                "أنا عضو في هيئة مجمع مائي في سبيطلة. عمليا نحن من يصلح الأعطاب من اشتراكات الناس، والمندوبية الجهوية للفلاحة لا تتدخل إلا في الأعطاب الكبرى وبعد أشهر. يجب أن تحدد المجلة هذا بوضوح.",
                say(
                    "karim", "en",
                    "Thank you, that is exactly the kind of detail the draft misses. Perhaps a deadline for the CRDA to act once a GDA reports a major failure?",
                    agree=4,
                ),
                agree=6,
            ),
            agree=5,
        ),
        say(
            "riadh", "ar",
            "كل هذا كلام على الورق. منذ سنوات ونحن نسمع الوعود، والمسؤولون في الوزارة لا يعرفون حتى أين تقع قرانا. أعطونا الماء قبل أن تعطونا المجلات، أو استقيلوا جميعا.",
            say(
                "meriem", "ar",
                "أفهم غضبك، وعندنا في باجة نفس المعاناة. لكن المجلة فرصة لنكتب حقوقنا في نص ملزم. الأفضل أن نقترح تعديلات محددة على الفصول.",
                agree=5,
            ),
            agree=4, disagree=3,
            role=REPORTED,
        ),
        say(
            "ines", "en",
            "Has the ministry published the data behind the draft? Aquifer levels, dam reserves by region, the volumes allocated to agriculture and to drinking water. It is hard to comment on priorities without numbers. A public water data portal could be written into the code.",
            say(
                "mehdi", "fr",
                "+1. Certaines données existent (rapports annuels, bulletins des barrages) mais elles sont dispersées, souvent en PDF scannés. Un article sur l'ouverture des données de l'eau serait bienvenu.",
                agree=4,
            ),
            agree=6,
        ),
        say(
            "fatma", "ar",
            "في سيدي بوزيد نرى الآبار العشوائية تتكاثر كل سنة، والمائدة المائية تنخفض أمتارا. يجب أن تتحدث المجلة بوضوح عن مراقبة الآبار غير المرخصة، وإلا فلن يبقى ماء لا للشرب ولا للفلاحة.",
            say(
                "mohamed.hedi", "ar",
                "لكن الفلاح الصغير لم يحفر البئر إلا لأن الترخيص يأخذ سنوات. سهّلوا الترخيص أولا ثم راقبوا.",
                say(
                    "fatma", "ar",
                    "معك حق في مسألة الآجال. أقترح أجلا أقصى بثلاثة أشهر للرد على مطلب الترخيص، مع نشر عدد المطالب المودعة والمقبولة في كل ولاية.",
                    agree=5,
                ),
                agree=4, disagree=1,
            ),
            agree=5, disagree=1,
        ),
        say(
            "abderrazek", "ar",
            "جندوبة فيها أكبر السدود في البلاد، ومع ذلك عديد العمادات بلا ماء صالح للشرب، ونشتري الماء في القوارير. نطالب بأن تنص المجلة على أولوية ربط الجهات التي يُنقل منها الماء.",
            say(
                "sami", "fr",
                "Je comprends, mais l'eau reste un bien public national : on ne peut pas la réserver à la région où se trouve le barrage. Des investissements prioritaires pour ces régions, en revanche, oui.",
                say(
                    "abderrazek", "ar",
                    "لا أطلب احتكار الماء، أطلب العدل: لا يُعقل أن تمر القنوات في أراضينا ونحن بلا ربط.",
                    agree=7,
                ),
                agree=2, disagree=3,
            ),
            agree=8, disagree=2,
        ),
        say(
            "salma", "ar",
            "اقتراح عملي: أن تُنشر كل سنة قائمة انقطاعات الماء حسب المعتمدية ومدتها، حتى نعرف أين المشكل الحقيقي وأين تُصرف الاستثمارات.",
            agree=4,
        ),
        say(
            "zeineb", "ar",
            "في مدنين نعتمد على الماء المحلّى. هل تشمل المجلة حق المستهلك في جودة هذا الماء؟ الطعم والملوحة يتغيران كثيرا في الصيف، ولا أحد يعلمنا بنتائج التحاليل.",
            role=NEWCOMER,
        ),
    ],
    "principles": [
        say(
            "youssef", "fr",
            "L'article premier dit que l'eau relève du domaine public. Il faudrait préciser qu'elle est inaliénable et que la distribution d'eau potable ne peut pas être concédée à des entreprises privées.",
            say(
                "sami", "fr",
                "Une concession peut être bien encadrée. Ce qui compte, c'est le contrôle public et des tarifs fixés par l'État, pas la forme juridique du gestionnaire.",
                say(
                    "youssef", "fr",
                    "Le problème, c'est que le contrôle public reste faible. L'écrire dans la loi est plus sûr que de compter sur les cahiers des charges.",
                    agree=3,
                ),
                agree=2, disagree=3,
            ),
            agree=5, disagree=2,
        ),
        say(
            "amira", "ar",
            "أقترح أن يُذكر في المبادئ العامة أن الماء حق للأجيال القادمة أيضا، وأن الاستغلال المفرط للمائدة المائية الجوفية اعتداء على هذا الحق.",
            say(
                "khaoula", "ar",
                "كلام صحيح. في الجنوب نسحب اليوم ماء أحفوريا لن يعود أبدا.",
                agree=4,
            ),
            agree=6,
        ),
        say(
            "karim", "en",
            "The principles should include public participation: any major decision on water allocation (new dams, transfers between regions) should go through a public consultation like this one.",
            say(
                "abderrazek", "ar",
                "نعم، وخاصة مشاريع تحويل المياه من الشمال إلى الساحل. لم يسألنا أحد يوما.",
                agree=5,
            ),
            agree=5,
        ),
    ],
    "priorities": [
        say(
            "mohamed.hedi", "ar",
            "ترتيب الأولويات في الصيغة الثانية أفضل: الماء الصالح للشرب ثم الفلاحة المعيشية. لكن ما تعريف الفلاحة المعيشية؟ عندي خمسة هكتارات زيتون وخضر، وأبيع جزءا من المحصول في السوق الأسبوعية. هل أنا فلاحة معيشية أم فلاحة تجارية؟",
            say(
                "leila", "fr",
                "Bonne question. Il faudrait un critère simple dans le texte : la superficie (moins de 10 ha par exemple) ou le statut d'exploitation familiale. Sinon ce sera au cas par cas, donc arbitraire.",
                say(
                    "mohamed.hedi", "ar",
                    "عشرة هكتارات معيار معقول في البعلي، أما في المناطق السقوية فالهكتار الواحد يكفي عائلة. يجب أن يراعي النص الفرق.",
                    agree=4,
                ),
                agree=5,
            ),
            say(
                "ines", "en",
                "The export-farming category matters too: tomatoes and watermelons grown for export are, in effect, exported water. The code could tie irrigation quotas for export crops to the drought level.",
                agree=4, disagree=1,
            ),
            agree=7,
        ),
        say(
            "sami", "fr",
            "Où est le tourisme dans ces priorités ? Les hôtels consomment beaucoup, mais le secteur fait vivre des milliers de familles sur le littoral. Le texte le range implicitement dans l'« industrie » : il faut le dire clairement.",
            say(
                "hela", "ar",
                "الفنادق فيها مسابح وملاعب غولف، ونحن في قابس ينقطع عنا الماء أياما. الأولوية للناس قبل السياح.",
                say(
                    "sami", "fr",
                    "Je ne dis pas le contraire pour l'eau potable. Mais le texte doit dire comment on arbitre entre l'agriculture d'exportation et l'hôtellerie, c'est tout.",
                    agree=2, disagree=1,
                ),
                agree=7, disagree=1,
            ),
            agree=2, disagree=5,
        ),
        say(
            "khaoula", "ar",
            "في الواحات، الماء هو الحياة نفسها. الآبار العميقة الجديدة للضيعات الكبرى تجفف العيون القديمة. نطلب أن تُحمى واحات نفزاوة والجريد بفقرة خاصة في باب الأولويات.",
            say(
                "ines", "en",
                "Same story in Tozeur, where the old springs dried up decades ago. Protecting traditional oases as heritage, with a cap on new deep wells around them, belongs in this section.",
                agree=4,
            ),
            agree=6,
        ),
        say(
            "meriem", "ar",
            "أقترح إضافة فقرة صريحة: لا يجوز قطع الماء الصالح للشرب عن عائلة عاجزة عن الدفع دون حل بديل (تقسيط، تعريفة اجتماعية).",
            say(
                "youssef", "fr",
                "Excellente proposition. Plusieurs pays interdisent déjà les coupures pour impayés dans les résidences principales ; on peut s'en inspirer.",
                say(
                    "riadh", "ar",
                    "ولكن يجب أيضا أن يدفع من يستطيع الدفع. عديد الإدارات والمؤسسات العمومية نفسها لا تخلّص فواتيرها.",
                    agree=5,
                ),
                agree=4,
            ),
            agree=9,
        ),
        say(
            "mehdi", "fr",
            "L'industrie arrive en dernier, mais certaines usines pourraient utiliser de l'eau traitée ou de l'eau de mer. Le texte devrait distinguer eaux conventionnelles et non conventionnelles dans l'ordre des priorités.",
            agree=3,
        ),
    ],
    "drought": [
        say(
            "leila", "fr",
            "L'article sur la sécheresse donne tout le pouvoir au ministre, sans critère. Je propose des seuils objectifs publiés à l'avance (remplissage des barrages, pluviométrie sur douze mois) et des restrictions graduées par niveau.",
            say(
                "abderrazek", "ar",
                "موافق. في صيف 2023 قُطع الماء ليلا دون إعلام مسبق ولم نعرف المعيار. الشفافية في القرار تجعل الناس يتقبلون القيود.",
                say(
                    "leila", "fr",
                    "Exactement. Et un calendrier des coupures publié au moins 48 heures à l'avance, délégation par délégation.",
                    agree=6,
                ),
                agree=5,
            ),
            say(
                "karim", "en",
                "Graduated drought levels work elsewhere: several Mediterranean countries publish basin-by-basin drought plans with clear triggers. Worth citing them in the explanatory note.",
                agree=3,
            ),
            agree=8,
        ),
        say(
            "fatma", "ar",
            "في فترات الجفاف يُمنع الري، لكن الأشجار المثمرة تموت إذا لم تُسق. يجب أن يسمح النص بحد أدنى من الري لإنقاذ الأشجار، وإلا ضاع عمل سنوات.",
            say(
                "mohamed.hedi", "ar",
                "صحيح، في 2023 فقدنا أشجار زيتون عمرها عشرون سنة. ري الإنقاذ يجب أن يكون مستثنى بشروط.",
                agree=5,
            ),
            say(
                "hela", "ar",
                "وماذا عن تعويض الفلاحين المتضررين من قرارات المنع؟ المشروع لا يذكر صندوق الجوائح الطبيعية.",
                agree=4,
            ),
            agree=6,
        ),
        say(
            "aquapure", "ar",
            "الجفاف قادم! احموا عائلاتكم بفلاتر الماء المنزلية Aqua Pure: تركيب مجاني وضمان خمس سنوات، وتخفيض 30% هذا الأسبوع فقط. اطلبوا الآن عبر www.aquapure-promo.example",
            disagree=3,
            role=SPAM,
        ),
        say(
            "noureddine", "ar",
            "أثناء الجفاف، المجامع المائية هي أول من يواجه غضب الناس. نحتاج أن تُعلمنا المندوبية الجهوية بقرارات التقليص مسبقا وكتابيا، حتى ننظم التوزيع بالتداول بين الأحياء.",
            say(
                "salma", "ar",
                "وأن تُنشر قرارات التقليص على هذه المنصة أيضا، بالعربية وبلغة بسيطة.",
                agree=4,
            ),
            agree=4,
        ),
    ],
    "groups": [
        say(
            "noureddine", "ar",
            "المجامع المائية تعاني من ثلاث مشاكل:\n"
            "1. ديون الكهرباء لدى الستاغ بسبب ضخ الآبار\n"
            "2. غياب التكوين للمسيّرين المتطوعين\n"
            "3. ضعف استخلاص الاشتراكات\n\n"
            "المشروع يحمّلنا مسؤولية التصرف لكنه لا يعطينا الوسائل.",
            say(
                "amira", "ar",
                "في دوارنا، المجمع المائي لم يعقد جلسته العامة منذ أربع سنوات. يجب فرض الشفافية في الحسابات أيضا.",
                say(
                    "noureddine", "ar",
                    "موافق تماما: جلسة عامة سنوية إلزامية، وتُعلّق محاضرها وحساباتها في مقر العمادة.",
                    agree=5,
                ),
                agree=5,
            ),
            say(
                "youssef", "fr",
                "Pourquoi ne pas prévoir un tarif d'électricité spécifique pour le pompage des GDA d'eau potable ? C'est un service public, pas une activité commerciale.",
                agree=6,
            ),
            agree=7,
        ),
        say(
            "riadh", "ar",
            "رئيس المجمع المائي عندنا، السيد فرج الساسي، رقم هاتفه 98 123 456 ويسكن قرب الجامع الكبير، يقطع الماء على كل من لم يصوّت له. اتصلوا به واسألوه أين ذهبت أموال الاشتراكات!",
            say(
                "meriem", "ar",
                "من فضلك لا تنشر الأسماء وأرقام الهواتف هنا. إذا كان هناك تلاعب، يمكن التبليغ لدى المندوبية الجهوية للفلاحة أو هيئة مكافحة الفساد.",
                agree=6,
            ),
            role=PERSONAL_DATA,
        ),
        say(
            "leila", "fr",
            "Les GDA devraient pouvoir se regrouper en fédérations régionales pour partager des techniciens et négocier avec la STEG. Le projet n'en dit rien.",
            say(
                "ines", "en",
                "Agreed. Water user associations federate at basin level in several neighbouring countries; a similar clause would help small GDAs survive.",
                agree=3,
            ),
            agree=4,
        ),
        say(
            "hela", "ar",
            "يجب أن تكون للنساء مكانة في هيئات المجامع المائية. النساء هن من يجلبن الماء في الأرياف، ولا نجدهن في مجالس الإدارة.",
            say(
                "khaoula", "ar",
                "أؤيد. في واحتنا امرأة واحدة فقط في هيئة المجمع.",
                agree=5,
            ),
            agree=8, disagree=1,
        ),
    ],
    "reuse": [
        say(
            "ines", "en",
            "Reusing treated wastewater makes sense, but most treatment plants only do secondary treatment. The code should require tertiary treatment before any use on vegetables eaten raw, and publish the quality tests.",
            say(
                "mehdi", "fr",
                "Et que les analyses soient publiques, station par station. Aujourd'hui les agriculteurs n'ont aucune confiance dans cette eau, et ils ont raison.",
                say(
                    "mohamed.hedi", "ar",
                    "فلاحون نعرفهم جربوا المياه المعالجة ثم تركوها بسبب الرائحة وتضرر التربة. بدون مراقبة حقيقية ونتائج منشورة لن يقبلها أحد.",
                    agree=4,
                ),
                agree=5,
            ),
            agree=5,
        ),
        say(
            "hela", "ar",
            "في قابس، مياه الصرف الصحي والصناعي تلوث البحر والواحة. قبل إعادة الاستعمال نريد شبكة تطهير تصل إلى كل الأحياء. التطهير يجب أن يكون حقا مثل الماء الصالح للشرب.",
            say(
                "salma", "ar",
                "نفس الأمر في صفاقس: أحياء كاملة غير مرتبطة بشبكة التطهير. أقترح إضافة باب كامل عن التطهير في المجلة.",
                agree=6,
            ),
            agree=7,
        ),
        say(
            "sami", "fr",
            "Les golfs et les espaces verts des hôtels devraient être obligés d'utiliser de l'eau traitée, comme c'est déjà en partie le cas à Hammamet. Cela libère de l'eau potable.",
            say(
                "hela", "ar",
                "هذا اقتراح جيد، على الأقل فيه شيء من العدل.",
                agree=3,
            ),
            agree=6,
        ),
    ],
}


# --- A forum topic of El Kef municipality ---------------------------------------------------------

FORUM = {
    "slug": "water-projects-2027",
    "institution": "el-kef",
    "opened_days_ago": 8,
    "topics": {
        "ar": ["الميزانية التشاركية", "الماء"],
        "fr": ["budget participatif", "eau"],
        "en": ["participatory budget", "water"],
    },
    "ar": {
        "title": "الميزانية التشاركية 2027: أي مشاريع ماء لأحيائنا؟",
        "summary": "خصّصت البلدية جزءا من الميزانية التشاركية لشبكات الماء والتطهير. اقترحوا المشاريع التي يجب أن تأتي أولا وناقشوها قبل جلسات التصويت في الدوائر البلدية.",
        "body": "<p>يُعرض على التصويت في كل دائرة بلدية ما يقترحه المتساكنون هنا. نرجو ذكر الحي والمشكل بدقة.</p>",
    },
    "fr": {
        "title": "Budget participatif 2027 : quels projets d'eau pour nos quartiers ?",
        "summary": "La municipalité réserve une part du budget participatif aux réseaux d'eau et d'assainissement. Proposez et discutez les projets prioritaires avant les séances de vote dans les arrondissements.",
        "body": "<p>Ce que les habitants proposent ici est soumis au vote dans chaque arrondissement. Merci de préciser le quartier et le problème.</p>",
    },
    "en": {
        "title": "Participatory budget 2027: which water projects for our neighbourhoods?",
        "summary": "The municipality sets aside part of the participatory budget for water and sanitation networks. Propose and discuss the projects that should come first, before the district voting meetings.",
        "body": "<p>What residents propose here is put to the vote in each district. Please name the neighbourhood and the problem precisely.</p>",
    },
}

FORUM_DISCUSSION = [
    say(
        "amira", "ar",
        "في حي الدير شوارع كاملة غير مرتبطة بشبكة التطهير، والمياه المستعملة تسيل في الطريق كل شتاء. يجب أن يكون هذا المشروع الأول.",
        say(
            "walid", "ar",
            "موافق، وعندنا في حي النور نفس المشكل. لكن التطهير مكلف جدا، فهل تكفي ميزانية هذه السنة؟",
            say(
                "editor.el-kef", "ar",
                "للتوضيح: المبلغ المخصص للماء والتطهير هذه السنة مليون ومائتا ألف دينار، والربط في حي الدير مقدّر بحوالي ثمانمائة ألف دينار حسب الدراسة الأولية.",
                agree=4,
            ),
            agree=3,
        ),
        agree=6,
    ),
    say(
        "rania", "fr",
        "Je propose de remettre en service les fontaines publiques de la médina : plusieurs sont à sec depuis des années, alors qu'elles servaient aux familles sans raccordement.",
        say(
            "walid", "ar",
            "فكرة جميلة، والعيون القديمة في القصبة جزء من تاريخ المدينة أيضا.",
            agree=3,
        ),
        agree=4,
    ),
    say(
        "walid", "ar",
        "قبل المشاريع الجديدة يجب إصلاح التسربات في الشبكة القديمة. في نهجنا يسيل الماء منذ شهرين ولا أحد يتدخل.",
        say(
            "rania", "fr",
            "Oui, et il faudrait un moyen simple de signaler les fuites, avec un suivi public de chaque signalement.",
            say(
                "amira", "ar",
                "المنصة نفسها يمكن أن تكون هذا الفضاء: كل بلاغ برقم متابعة، كما في مطالب المواطنين.",
                agree=3,
            ),
            agree=4,
        ),
        agree=5,
    ),
    say(
        "karim", "en",
        "Could the municipality publish a cost estimate for each proposed project before the vote? It is hard to choose between a sewer extension and fountains without knowing the price.",
        say(
            "editor.el-kef", "ar",
            "نعم، ستُنشر بطاقة فنية لكل مشروع مع كلفته التقديرية قبل جلسات التصويت في الدوائر البلدية.",
            agree=5,
        ),
        agree=4,
    ),
    say(
        "najet", "ar",
        "أقترح خزانات لتجميع مياه الأمطار في المدارس الابتدائية. الكاف من أكثر الولايات أمطارا، والماء يضيع في الطرقات.",
        say(
            "rania", "fr",
            "Très bonne idée, et pédagogique pour les enfants.",
            agree=2,
        ),
        agree=7,
        role=PINNED,
    ),
]


# --- Seeding -----------------------------------------------------------------------------------

FIRST, LAST_TOP, LAST = 0.02, 0.85, 0.98  # fractions of the time the discussion has been open
NEWCOMER_AT = 0.97


@dataclass(frozen=True)
class Seeded:
    contributions: int = 0
    reactions: int = 0
    threads: int = 0

    def __add__(self, other: "Seeded") -> "Seeded":
        return Seeded(
            self.contributions + other.contributions,
            self.reactions + other.reactions,
            self.threads + other.threads,
        )


def _timeline(script: list[Say], rng: random.Random) -> list[tuple[float, int, Say, int | None]]:
    """(fraction of the open period, index, item, parent's index): replies after their parent."""
    rows = []

    def walk(item: Say, parent: int | None, at: float) -> None:
        index = len(rows)
        rows.append((at, index, item, parent))
        for reply in item.replies:
            walk(reply, index, at + (LAST - at) * rng.uniform(0.04, 0.3))

    for position, item in enumerate(script):
        at = FIRST + (LAST_TOP - FIRST) * (position + rng.uniform(0.1, 0.9)) / len(script)
        walk(item, None, NEWCOMER_AT if item.role == NEWCOMER else at)
    return sorted(rows, key=lambda row: (row[0], row[1]))


def _discussion_seed(
    *,
    thread: Thread,
    script: list[Say],
    opened: datetime.datetime,
    now: datetime.datetime,
    people: dict[str, User],
    newcomer_premoderated: int,
) -> Seeded:
    if thread.contributions.exists():
        return Seeded()
    rng = random.Random(thread.key)
    span = max(now - opened, datetime.timedelta(hours=1)) - datetime.timedelta(minutes=30)
    posted: dict[int, Contribution] = {}
    items: dict[int, Say] = {}
    for at, index, item, parent in _timeline(script, rng):
        post = dict(
            author=people[item.author],
            thread=thread,
            body=item.body,
            parent_id=posted[parent].pk if parent is not None else None,
            language=item.language,
            idempotency_key=uuid.uuid5(NAMESPACE, f"{thread.key}:{index}"),
            now=opened + span * at,
        )
        if item.role == NEWCOMER:
            with override_settings(DELIBERATION_NEW_ACCOUNT_PREMODERATED=newcomer_premoderated):
                posted[index] = services.contribution_post(**post).contribution
        else:
            posted[index] = services.contribution_post(**post).contribution
        items[index] = item

    reactors = [name for name in CITIZEN_NAMES if name not in NOT_REACTING]
    reactions = 0
    for index, item in items.items():
        if not (item.agree or item.disagree):
            continue
        others = [name for name in reactors if name != item.author]
        chosen = rng.sample(others, item.agree + item.disagree)
        for position, name in enumerate(chosen):
            kind = ReactionKind.AGREE if position < item.agree else ReactionKind.DISAGREE
            services.contribution_react(user=people[name], contribution=posted[index], kind=kind)
            reactions += 1

    moderator = people[f"moderator.{thread.institution.slug}"]
    for index, item in items.items():
        contribution = posted[index]
        if item.role in REPORTERS:
            services.contribution_flag(
                user=people[REPORTERS[item.role]],
                contribution=contribution,
                reason=Reason.ABUSE if item.role == REPORTED else Reason.SPAM,
                note=REPORT_NOTES[item.role],
            )
        action = {
            SPAM: (ModerationActionKind.HIDE, Reason.SPAM),
            PERSONAL_DATA: (ModerationActionKind.HIDE, Reason.PERSONAL_DATA),
            OFFICIAL: (ModerationActionKind.MARK_OFFICIAL, ""),
            PINNED: (ModerationActionKind.PIN, ""),
        }.get(item.role)
        if action:
            services.contribution_moderate(
                moderator=moderator,
                contribution=contribution,
                action=action[0],
                reason=action[1],
                note=MODERATOR_NOTES[item.role],
            )
    return Seeded(len(posted), reactions, 1)


def _people() -> dict[str, User]:
    """Demo accounts by the part of their address before "@majlis.test"."""
    return {
        user.email.removesuffix("@majlis.test"): user
        for user in User.objects.filter(email__endswith="@majlis.test")
    }


def _publish(page, topics: list[str]) -> None:
    page.topics.set(topics)
    page.save_revision().publish()


def forum_topic_ensure(*, now: datetime.datetime) -> ForumTopicPage:
    """The demo forum topic in Arabic (source), French and English, opened some days ago."""
    locales = locales_ensure()
    institution = InstitutionPage.objects.get(slug=FORUM["institution"], locale=locales["ar"])
    page = ForumTopicPage.objects.child_of(institution).filter(slug=FORUM["slug"]).first()
    opened = now - datetime.timedelta(days=FORUM["opened_days_ago"])
    if page is None:
        page = institution.add_child(
            instance=ForumTopicPage(slug=FORUM["slug"], first_published_at=opened, **FORUM["ar"])
        )
        _publish(page, FORUM["topics"]["ar"])
    for code in ("fr", "en"):
        if page.get_translation_or_none(locales[code]) is None:
            translation = page_translation_ensure(
                page=page, locale=locales[code], first_published_at=opened, **FORUM[code]
            )
            _publish(translation, FORUM["topics"][code])
    return ForumTopicPage.objects.get(pk=page.pk)


GENEROUS_RATE = ["100000/minute"]


def seed_deliberation(*, report) -> Seeded:
    """Fill the open demo consultation and the demo forum topic with their discussions.

    Rate limits and newcomers' pre-moderation are lifted while seeding (the script is many
    people's weeks of posting), except for the one newcomer whose contribution the demo
    shows waiting for approval.
    """
    now = timezone.now()
    people = _people()
    newcomer_premoderated = max(1, conf.get("DELIBERATION_NEW_ACCOUNT_PREMODERATED"))
    consultation = ConsultationPage.objects.get(
        slug=WATER_CODE["slug"], locale__language_code="ar"
    )
    seeded = Seeded()
    with override_settings(
        DELIBERATION_POST_RATE_PER_ACCOUNT=GENEROUS_RATE,
        DELIBERATION_POST_RATE_PER_IP=GENEROUS_RATE,
        DELIBERATION_REACT_RATE_PER_ACCOUNT=GENEROUS_RATE,
        DELIBERATION_NEW_ACCOUNT_PREMODERATED=0,
    ):
        for key, script in WATER_DISCUSSION.items():
            thread = services.thread_for_page(
                page=consultation, section_id=demo_section_id(WATER_CODE["slug"], key) if key else ""
            )
            seeded += _discussion_seed(
                thread=thread,
                script=script,
                opened=consultation.opens_at,
                now=now,
                people=people,
                newcomer_premoderated=newcomer_premoderated,
            )
        forum = forum_topic_ensure(now=now)
        seeded += _discussion_seed(
            thread=services.thread_for_page(page=forum),
            script=FORUM_DISCUSSION,
            opened=forum.first_published_at,
            now=now,
            people=people,
            newcomer_premoderated=newcomer_premoderated,
        )
    if seeded.contributions:
        report(
            f"{seeded.contributions} contributions and {seeded.reactions} reactions in "
            f"{seeded.threads} threads: {WATER_CODE['en']['title']} and forum topic "
            f"“{FORUM['en']['title']}”"
        )
    else:
        report("Discussions already seeded: nothing added")
    return seeded
