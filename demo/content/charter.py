"""The requests charter's discussion, posted while it was open, and the responses of its
outcome.

``DISCUSSION`` is by section key ("" for the whole consultation); ``CITED`` names the
contributions the outcome and decisions cite. Each response: status, cited contributions,
draft sections, and its texts by language (theme, "you said", "we did, and why").
"""

from consultations.models import ResponseStatus
from demo.content.script import PERSONAL_DATA, say

sms = say(
    "sami", "fr",
    "Et par SMS : tout le monde n'a pas internet, mais presque tout le monde a un téléphone. "
    "Un message à chaque étape (reçue, transmise, traitée) suffirait.",
    agree=5,
)
tracking = say(
    "amira", "ar",
    "أودعت شكاية في البلدية منذ سنة ولم أتسلّم وصلا ولا ردا. الوصل برقم متابعة خطوة جيدة، "
    "لكن يجب أن نتمكن من متابعة المطلب عبر الإنترنت، لا بالتنقل إلى الإدارة في كل مرة.",
    sms,
    agree=7,
)
public_companies = say(
    "karim", "en",
    "The charter should bind every public body, including state companies such as STEG and "
    "SONEDE, not only ministries. Most of the complaints I hear are about them.",
    say(
        "leila", "fr",
        "Les entreprises publiques ont leurs propres statuts, mais elles pourraient au moins "
        "publier leurs délais de réponse.",
        agree=3,
    ),
    agree=5,
)
statistics = say(
    "hela", "ar",
    "أقترح أن تُنشر كل ثلاثة أشهر إحصائيات عن عدد المطالب المودعة في كل إدارة، وعدد الردود، "
    "ومعدّل آجال الرد. هكذا نعرف أين يتعطل العمل.",
    agree=6,
)
transfers = say(
    "ines", "en",
    "Agreed, and the tracking number should follow the request when one administration "
    "passes it to another. Today the citizen starts again from zero.",
    agree=3,
)
single_counter = say(
    "mehdi", "fr",
    "Un guichet unique en ligne pour toutes les administrations, avec le même numéro de "
    "suivi, éviterait de refaire le même dossier dix fois.",
    transfers,
    agree=4,
)
silence = say(
    "noureddine", "ar",
    "وإذا تجاوزت الإدارة الأجل؟ يجب أن يُعتبر سكوتها رفضا يمكن الطعن فيه، حتى لا يبقى المطلب "
    "معلقا إلى ما لا نهاية.",
    agree=4,
)
simple_requests = say(
    "youssef", "fr",
    "Trente jours, c'est trop long pour une demande simple (un extrait, une attestation). Je "
    "propose 15 jours pour les demandes simples et 30 pour les plaintes qui exigent une enquête.",
    silence,
    agree=7, disagree=1,
)
extension_notice = say(
    "salma", "ar",
    "إذا احتاجت الإدارة إلى تمديد الأجل، يجب أن تُعلم المواطن كتابيا بذلك وبسببه، مرة واحدة لا أكثر.",
    agree=5,
)
remote_appeal = say(
    "meriem", "ar",
    "التظلم لدى المكتب المركزي وحده لا يكفي لسكان الجهات الداخلية. يجب أن يكون التظلم ممكنا عن "
    "بعد، أو لدى مكاتب جهوية.",
    say("abderrazek", "ar", "صحيح، من جندوبة إلى العاصمة يوم كامل من أجل تظلم واحد.", agree=4),
    agree=6,
)
DISCUSSION = {
    "": [
        tracking,
        public_companies,
        statistics,
        say(
            "riadh", "ar",
            "موظف الاستقبال في المعتمدية، السيد ع. ب.، رقم هاتفه 97 456 123، يرفض تسلّم المطالب "
            "يوم الجمعة. اتصلوا به واسألوه لماذا!",
            role=PERSONAL_DATA,
        ),
    ],
    "reception": [
        say(
            "fatma", "ar",
            "يجب أن يساعد موظف الاستقبال من لا يحسن القراءة والكتابة على تحرير مطلبه. كثير من "
            "كبار السن يعودون إلى منازلهم دون إيداع أي شيء.",
            agree=5,
        ),
        single_counter,
    ],
    "deadlines": [simple_requests, extension_notice],
    "appeal": [remote_appeal],
}
CITED = {
    "tracking": tracking,
    "sms": sms,
    "public_companies": public_companies,
    "statistics": statistics,
    "single_counter": single_counter,
    "transfers": transfers,
    "simple_requests": simple_requests,
    "silence": silence,
    "extension_notice": extension_notice,
    "remote_appeal": remote_appeal,
}


CHARTER_RESPONSES = [
    {
        "status": ResponseStatus.ADOPTED,
        "contributions": ["tracking", "sms", "remote_appeal"],
        "sections": ["reception", "appeal"],
        "ar": (
            "متابعة المطلب دون التنقل",
            "طلب كثير من المشاركين متابعة مطالبهم عبر الإنترنت أو بالإرساليات القصيرة، والتظلم عن بعد "
            "بدل التنقل إلى العاصمة.",
            "<p>اعتُمد المقترح. يُتابَع كل مطلب برقم الوصل على بوابة المكتب وبإرسالية قصيرة عند كل "
            "مرحلة (الإيداع، الإحالة، الرد). ويمكن تقديم التظلم عبر البوابة نفسها.</p>",
        ),
        "fr": (
            "Suivre sa requête sans se déplacer",
            "Beaucoup de participants ont demandé de pouvoir suivre leur requête en ligne ou par SMS, "
            "et de faire recours à distance plutôt que de se rendre à Tunis.",
            "<p>Proposition retenue. Chaque requête se suit avec le numéro du récépissé sur le portail "
            "du Bureau et par SMS à chaque étape (dépôt, transmission, réponse). Le recours peut être "
            "déposé sur le même portail.</p>",
        ),
        "en": (
            "Following a request without travelling",
            "Many participants asked to follow their request online or by text message, and to "
            "appeal remotely instead of travelling to Tunis.",
            "<p>Adopted. Every request can be followed with its receipt number on the Office's "
            "portal, and by text message at each step (filed, transferred, answered). Appeals can "
            "be filed on the same portal.</p>",
        ),
    },
    {
        "status": ResponseStatus.PARTLY_ADOPTED,
        "contributions": ["simple_requests", "extension_notice", "silence"],
        "sections": ["deadlines"],
        "ar": (
            "آجال أقصر للمطالب البسيطة",
            "اعتبر المشاركون أن ثلاثين يوما أجل طويل لمطلب وثيقة بسيطة، وطلبوا إعلاما كتابيا بكل تمديد، "
            "وأن يُعتبر سكوت الإدارة رفضا قابلا للطعن.",
            "<p>أصبح الأجل خمسة عشر يوما لمطالب الوثائق والشهادات، ويبقى ثلاثين يوما للشكايات التي "
            "تستوجب بحثا. يمكن التمديد مرة واحدة بخمسة عشر يوما مع إعلام كتابي معلّل. أما اعتبار "
            "السكوت رفضا فهو من مشمولات القانون المتعلق بالإجراءات الإدارية، ولم يُدرج في الميثاق.</p>",
        ),
        "fr": (
            "Des délais plus courts pour les demandes simples",
            "Les participants ont jugé trente jours trop longs pour une simple pièce, demandé d'être "
            "prévenus par écrit de toute prolongation, et que le silence de l'administration vaille "
            "refus susceptible de recours.",
            "<p>Le délai passe à quinze jours pour les demandes de pièces et d'attestations ; il reste "
            "de trente jours pour les plaintes qui exigent une enquête. Une seule prolongation de "
            "quinze jours est possible, notifiée par écrit et motivée. La valeur du silence de "
            "l'administration relève de la loi sur les procédures administratives et n'entre pas "
            "dans la charte.</p>",
        ),
        "en": (
            "Shorter deadlines for simple requests",
            "Participants found thirty days too long for a simple document, asked to be told in "
            "writing of any extension, and wanted the administration's silence to count as a "
            "refusal that can be appealed.",
            "<p>The deadline becomes fifteen days for documents and certificates; it stays thirty "
            "days for complaints that need an inquiry. One extension of fifteen days is possible, "
            "notified in writing with its reasons. What the administration's silence means is a "
            "matter for the law on administrative procedure, not for the charter.</p>",
        ),
    },
    {
        "status": ResponseStatus.OUTSIDE_SCOPE,
        "contributions": ["public_companies"],
        "sections": [],
        "ar": (
            "المنشآت العمومية",
            "طُلب أن يشمل الميثاق المنشآت العمومية مثل الشركة التونسية للكهرباء والغاز والشركة الوطنية "
            "لاستغلال وتوزيع المياه.",
            "<p>تخضع المنشآت العمومية لأنظمتها الأساسية ولا يمكن للميثاق أن يلزمها. سيدعو منشور "
            "رئاسة الحكومة هذه المنشآت إلى اعتماد مواثيق مماثلة ونشر آجال ردّها.</p>",
        ),
        "fr": (
            "Les entreprises publiques",
            "Il a été demandé que la charte s'applique aussi aux entreprises publiques comme la STEG "
            "et la SONEDE.",
            "<p>Les entreprises publiques relèvent de leurs propres statuts ; la charte ne peut pas "
            "les engager. Une circulaire de la Présidence du gouvernement les invitera à adopter des "
            "chartes équivalentes et à publier leurs délais de réponse.</p>",
        ),
        "en": (
            "Public companies",
            "Participants asked that the charter also bind public companies such as STEG and SONEDE.",
            "<p>Public companies are governed by their own statutes; the charter cannot bind them. "
            "A circular of the Presidency of the Government will invite them to adopt equivalent "
            "charters and publish their response times.</p>",
        ),
    },
    {
        "status": ResponseStatus.FURTHER_STUDY,
        "contributions": ["single_counter", "transfers"],
        "sections": ["reception"],
        "ar": (
            "شباك موحّد لكل الإدارات",
            "اقتُرح شباك إلكتروني موحّد لكل الإدارات برقم متابعة واحد يرافق المطلب عند إحالته.",
            "<p>يتطلب ذلك ربط أنظمة الإدارات المختلفة. تدرس وحدة الإدارة الإلكترونية الفكرة، وستُنشر "
            "نتائج الدراسة على هذه المنصة قبل نهاية السنة.</p>",
        ),
        "fr": (
            "Un guichet unique pour toutes les administrations",
            "Un guichet unique en ligne a été proposé, avec un seul numéro de suivi qui accompagne la "
            "requête quand elle est transmise.",
            "<p>Cela suppose de relier les systèmes de nombreuses administrations. L'Unité de "
            "l'administration électronique étudie l'idée ; les conclusions seront publiées sur "
            "cette plateforme avant la fin de l'année.</p>",
        ),
        "en": (
            "One counter for every administration",
            "Participants proposed a single online counter, with one tracking number that follows "
            "the request when it is transferred.",
            "<p>This means connecting the systems of many administrations. The e-government unit is "
            "studying it; its conclusions will be published on this platform before the end of the "
            "year.</p>",
        ),
    },
]
