"""Demo consultations for ``seed_demo``: one open (two versions), one upcoming, one closed
whose outcome is published (``seed_outcomes``: its discussion, responses and decisions).

Section block ids are fixed per section (uuid5), so a section keeps its anchor in every
language and across versions, exactly as an editor's translations and later edits keep it.
"""

import datetime
import uuid

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cms.models import InstitutionPage
from cms.services import locales_ensure, page_translation_ensure
from consultations.models import (
    ConsultationPage,
    DecisionMilestone,
    DecisionPage,
    DecisionStatus,
    OutcomePage,
    OutcomeResponse,
    ReferenceKind,
    ResponseStatus,
)

NAMESPACE = uuid.UUID("6f1c1d0e-3b0a-4f43-9a43-1f8f3a0d2b77")


def demo_section_id(slug: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{slug}:{key}"))


def _draft(slug: str, sections: list[tuple[str, str, str, list[str]]]) -> list[dict]:
    """Raw StreamField data from (key, heading, body html, sub-paragraph htmls)."""
    return [
        {
            "type": "section",
            "id": demo_section_id(slug, key),
            "value": {"heading": heading, "body": body, "paragraphs": paragraphs},
        }
        for key, heading, body, paragraphs in sections
    ]


def _questions(questions: list[str]) -> list[dict]:
    return [{"type": "question", "value": q} for q in questions]


WATER_CODE = {
    "slug": "water-code",
    "institution": "agriculture-water",
    "opens": -10,
    "closes": 20,
    "moderation_mode": "post",
    "topics": {"ar": ["الماء", "التشريع"], "fr": ["eau", "législation"], "en": ["water", "legislation"]},
    "ar": {
        "title": "مشروع مجلة المياه",
        "summary": "تعرض الوزارة مشروع مجلة المياه الجديدة للتشاور: الحق في الماء، وأولويات الاستعمال، وحماية الموارد.",
        "context": "<p>تعود مجلة المياه الحالية إلى سنة 1975. يقترح المشروع تكريس الحق في الماء وتنظيم الاستعمالات في فترات الجفاف.</p>",
        "questions": ["هل أولويات الاستعمال المقترحة عادلة؟", "كيف يمكن إشراك المجامع المائية في التصرف؟"],
        "v1": [
            ("principles", "المبادئ العامة", "<p>الماء ملك عمومي، والحق في الماء مضمون لكل مواطن.</p>", []),
            ("priorities", "أولويات الاستعمال", "<p>يُعطى الماء الصالح للشرب الأولوية على كل الاستعمالات الأخرى.</p>", ["<p>تليه الفلاحة ثم الصناعة.</p>"]),
            ("drought", "فترات الجفاف", "<p>يعلن الوزير حالة الجفاف ويضبط قيود الاستعمال.</p>", []),
            ("groups", "المجامع المائية", "<p>تتصرف المجامع المائية في شبكات الري والشرب الريفية.</p>", []),
        ],
        "v2": {
            "priorities": ("أولويات الاستعمال", "<p>يُعطى الماء الصالح للشرب الأولوية المطلقة على كل الاستعمالات الأخرى، بما في ذلك في فترات الجفاف.</p>", ["<p>تليه الفلاحة المعيشية ثم الفلاحة التصديرية ثم الصناعة.</p>"]),
            "reuse": ("إعادة استعمال المياه المعالجة", "<p>تشجّع الدولة إعادة استعمال المياه المعالجة في الري وتضبط شروط سلامتها.</p>", []),
        },
        "change_note": "الصيغة 2: توضيح أولوية الماء الصالح للشرب وإضافة فصل حول إعادة استعمال المياه المعالجة.",
    },
    "fr": {
        "title": "Projet de Code des eaux",
        "summary": "Le ministère soumet à consultation le projet de nouveau Code des eaux : droit à l'eau, priorités d'usage et protection des ressources.",
        "context": "<p>Le Code des eaux en vigueur date de 1975. Le projet consacre le droit à l'eau et organise les usages en période de sécheresse.</p>",
        "questions": ["Les priorités d'usage proposées sont-elles justes ?", "Comment associer les groupements hydrauliques à la gestion ?"],
        "v1": [
            ("principles", "Principes généraux", "<p>L'eau fait partie du domaine public ; le droit à l'eau est garanti à chaque citoyen.</p>", []),
            ("priorities", "Priorités d'usage", "<p>L'eau potable a la priorité sur tous les autres usages.</p>", ["<p>Viennent ensuite l'agriculture puis l'industrie.</p>"]),
            ("drought", "Périodes de sécheresse", "<p>Le ministre déclare l'état de sécheresse et fixe les restrictions d'usage.</p>", []),
            ("groups", "Groupements hydrauliques", "<p>Les groupements hydrauliques gèrent les réseaux ruraux d'irrigation et d'eau potable.</p>", []),
        ],
        "v2": {
            "priorities": ("Priorités d'usage", "<p>L'eau potable a la priorité absolue sur tous les autres usages, y compris en période de sécheresse.</p>", ["<p>Viennent ensuite l'agriculture vivrière, puis l'agriculture d'exportation, puis l'industrie.</p>"]),
            "reuse": ("Réutilisation des eaux traitées", "<p>L'État encourage la réutilisation des eaux traitées pour l'irrigation et en fixe les conditions sanitaires.</p>", []),
        },
        "change_note": "Version 2 : priorité de l'eau potable précisée, nouvelle section sur la réutilisation des eaux traitées.",
    },
    "en": {
        "title": "Draft Water Code",
        "summary": "The ministry puts the draft new Water Code to consultation: the right to water, priorities of use and protection of resources.",
        "context": "<p>The Water Code in force dates from 1975. The draft enshrines the right to water and organises uses in times of drought.</p>",
        "questions": ["Are the proposed priorities of use fair?", "How should local water associations take part in management?"],
        "v1": [
            ("principles", "General principles", "<p>Water is public property; every citizen's right to water is guaranteed.</p>", []),
            ("priorities", "Priorities of use", "<p>Drinking water has priority over every other use.</p>", ["<p>Agriculture comes next, then industry.</p>"]),
            ("drought", "Droughts", "<p>The minister declares a state of drought and sets restrictions of use.</p>", []),
            ("groups", "Local water associations", "<p>Local water associations run rural irrigation and drinking-water networks.</p>", []),
        ],
        "v2": {
            "priorities": ("Priorities of use", "<p>Drinking water has absolute priority over every other use, droughts included.</p>", ["<p>Subsistence farming comes next, then export farming, then industry.</p>"]),
            "reuse": ("Reuse of treated water", "<p>The State encourages the reuse of treated water for irrigation and sets its health conditions.</p>", []),
        },
        "change_note": "Version 2: drinking-water priority made explicit; new section on reusing treated water.",
    },
}

GREEN_SPACES = {
    "slug": "green-spaces-2027",
    "institution": "el-kef",
    "opens": 7,
    "closes": 37,
    "moderation_mode": "pre",
    "topics": {"ar": ["البيئة", "التهيئة العمرانية"], "fr": ["environnement", "urbanisme"], "en": ["environment", "urban planning"]},
    "ar": {
        "title": "مخطط المساحات الخضراء 2027",
        "summary": "تقترح البلدية مخططا لتهيئة الحدائق العمومية وغراسة الأشجار في الأحياء.",
        "context": "<p>سيُفتح التشاور قريبا. اطلع على المشروع واستعد لإبداء رأيك.</p>",
        "questions": ["ما الحي الذي يحتاج حديقة قبل غيره؟"],
        "v1": [
            ("parks", "الحدائق العمومية", "<p>تهيئة ثلاث حدائق في أحياء الدير والقصبة والنور.</p>", []),
            ("trees", "غراسة الأشجار", "<p>غراسة ألفي شجرة على امتداد الطرقات الرئيسية.</p>", []),
        ],
    },
    "fr": {
        "title": "Plan des espaces verts 2027",
        "summary": "La municipalité propose un plan d'aménagement des jardins publics et de plantation d'arbres dans les quartiers.",
        "context": "<p>La consultation ouvrira bientôt. Découvrez le projet et préparez votre avis.</p>",
        "questions": ["Quel quartier a le plus besoin d'un jardin ?"],
        "v1": [
            ("parks", "Jardins publics", "<p>Aménagement de trois jardins dans les quartiers Eddir, Kasbah et Ennour.</p>", []),
            ("trees", "Plantation d'arbres", "<p>Plantation de deux mille arbres le long des grands axes.</p>", []),
        ],
    },
    "en": {
        "title": "Green spaces plan 2027",
        "summary": "The municipality proposes a plan to lay out public gardens and plant trees in the neighbourhoods.",
        "context": "<p>The consultation opens soon. Read the plan and prepare your views.</p>",
        "questions": ["Which neighbourhood needs a garden most?"],
        "v1": [
            ("parks", "Public gardens", "<p>Three gardens laid out in the Eddir, Kasbah and Ennour neighbourhoods.</p>", []),
            ("trees", "Tree planting", "<p>Two thousand trees planted along the main roads.</p>", []),
        ],
    },
}

REQUESTS_CHARTER = {
    "slug": "requests-charter",
    "institution": "bcrc",
    "opens": -60,
    "closes": -15,
    "moderation_mode": "post",
    "topics": {"ar": ["الإدارة", "الشفافية"], "fr": ["administration", "transparence"], "en": ["administration", "transparency"]},
    "ar": {
        "title": "ميثاق استقبال مطالب المواطنين",
        "summary": "التزامات الإدارة في استقبال العرائض والشكايات والرد عليها.",
        "context": "<p>أُغلق التشاور. نُشرت نتائجه: ما سمعناه من المشاركين، وما قررته الإدارة.</p>",
        "questions": ["ما الأجل المعقول للرد على شكاية؟"],
        "v1": [
            ("reception", "الاستقبال", "<p>يُسلَّم كل مواطن وصلا برقم متابعة عند إيداع مطلبه.</p>", []),
            ("deadlines", "آجال الرد", "<p>تلتزم الإدارة بالرد في أجل أقصاه ثلاثون يوما.</p>", []),
            ("appeal", "التظلم", "<p>يمكن للمواطن التظلم لدى المكتب المركزي إذا لم يتلق ردا.</p>", []),
        ],
    },
    "fr": {
        "title": "Charte d'accueil des requêtes citoyennes",
        "summary": "Les engagements de l'administration pour recevoir les requêtes et plaintes et y répondre.",
        "context": "<p>La consultation est close. Ses résultats sont publiés : ce que nous avons entendu, et ce que l'administration a décidé.</p>",
        "questions": ["Quel délai de réponse à une plainte est raisonnable ?"],
        "v1": [
            ("reception", "Accueil", "<p>Chaque citoyen reçoit un récépissé avec un numéro de suivi au dépôt de sa requête.</p>", []),
            ("deadlines", "Délais de réponse", "<p>L'administration s'engage à répondre dans un délai de trente jours au plus.</p>", []),
            ("appeal", "Recours", "<p>Le citoyen peut saisir le Bureau central s'il ne reçoit pas de réponse.</p>", []),
        ],
    },
    "en": {
        "title": "Charter for receiving citizens' requests",
        "summary": "The administration's commitments on receiving petitions and complaints and answering them.",
        "context": "<p>The consultation has closed. Its outcome is published: what we heard, and what the administration decided.</p>",
        "questions": ["What is a reasonable time to answer a complaint?"],
        "v1": [
            ("reception", "Reception", "<p>Every citizen receives a receipt with a tracking number when filing a request.</p>", []),
            ("deadlines", "Response times", "<p>The administration commits to answering within thirty days at most.</p>", []),
            ("appeal", "Appeal", "<p>Citizens may refer to the Central Office if they receive no answer.</p>", []),
        ],
    },
}

CONSULTATIONS = [WATER_CODE, GREEN_SPACES, REQUESTS_CHARTER]


def _fields(data: dict, language: str) -> dict:
    texts = data[language]
    return {
        "title": texts["title"],
        "summary": texts["summary"],
        "context": texts["context"],
        "guiding_questions": _questions(texts["questions"]),
        "draft": _draft(data["slug"], texts["v1"]),
        "change_note": "",
    }


def _publish(page: ConsultationPage, topics: list[str]) -> None:
    page.topics.set(topics)
    page.save_revision().publish()


def _second_version(page: ConsultationPage, data: dict, language: str) -> None:
    """Edit the draft as an editor would: rewrite a section, add one, keep the others' ids."""
    texts = data[language]
    changes = dict(texts["v2"])
    sections = []
    for key, heading, body, paragraphs in texts["v1"]:
        if key in changes:
            heading, body, paragraphs = changes.pop(key)
        sections.append((key, heading, body, paragraphs))
    sections += [(key, *value) for key, value in changes.items()]
    page.draft = _draft(data["slug"], sections)
    page.change_note = texts["change_note"]
    page.save_revision().publish()


def seed_consultations(report) -> list[ConsultationPage]:
    locales = locales_ensure()
    now = timezone.now().replace(second=0, microsecond=0)
    made = []
    for data in CONSULTATIONS:
        institution = InstitutionPage.objects.get(slug=data["institution"], locale=locales["ar"])
        page = ConsultationPage.objects.child_of(institution).filter(slug=data["slug"]).first()
        if page is not None:
            made.append(page)
            continue
        common = {
            "opens_at": now + datetime.timedelta(days=data["opens"]),
            "closes_at": now + datetime.timedelta(days=data["closes"]),
            "moderation_mode": data["moderation_mode"],
        }
        page = institution.add_child(
            instance=ConsultationPage(slug=data["slug"], **common, **_fields(data, "ar"))
        )
        _publish(page, data["topics"]["ar"])
        pages = {"ar": page}
        for code in ("fr", "en"):
            translation = page_translation_ensure(
                page=page, locale=locales[code], **_fields(data, code)
            )
            _publish(translation, data["topics"][code])
            pages[code] = translation
        if "v2" in data["ar"]:
            for code, translation in pages.items():
                _second_version(ConsultationPage.objects.get(pk=translation.pk), data, code)
        made.append(page)
        report(f"Consultation {data['en']['title']} ({page.phase.label})")
    return made


# --- The closed consultation's discussion, outcome and decisions ------------------------------
#
# The requests charter closed before anyone could write in it through the site, so its
# discussion is posted as it would have been while it was open (dated within its open period),
# then the Central Office answers it: an outcome with four responses, and two decisions, each
# citing the contributions it rests on.


def _charter_discussion() -> tuple[dict[str, list], dict[str, object]]:
    """The charter's discussion by section key ("" for the whole consultation), and the script
    items the outcome and decisions cite, by name."""
    from deliberation.demo import PERSONAL_DATA, say

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
    discussion = {
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
    cited = {
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
    return discussion, cited


def _preorder(script: list) -> list:
    """The script's items in the order they are numbered when posted (deliberation.demo)."""
    items = []

    def walk(item) -> None:
        items.append(item)
        for reply in item.replies:
            walk(reply)

    for item in script:
        walk(item)
    return items


def _charter_discussion_seed(consultation: ConsultationPage) -> dict:
    """Post the charter's discussion (once) and return the cited contributions by name."""
    from deliberation import services
    from deliberation.demo import GENEROUS_RATE, NAMESPACE, _discussion_seed, _people
    from deliberation.models import Contribution, Thread

    slug = REQUESTS_CHARTER["slug"]
    discussion, cited = _charter_discussion()
    threads = {
        key: services.thread_for_page(
            page=consultation, section_id=demo_section_id(slug, key) if key else ""
        )
        for key in discussion
    }
    people = _people()
    if not all(thread.contributions.exists() for thread in threads.values()):
        # Posting follows the consultation's phase: it is reopened for the time of posting (in
        # the seed's transaction, so nobody ever sees it open), each contribution dated within
        # the weeks it really was open.
        key, closes_at = consultation.translation_key, consultation.closes_at
        ConsultationPage.objects.filter(translation_key=key).update(
            closes_at=timezone.now() + datetime.timedelta(days=1)
        )
        with override_settings(
            DELIBERATION_POST_RATE_PER_ACCOUNT=GENEROUS_RATE,
            DELIBERATION_POST_RATE_PER_IP=GENEROUS_RATE,
            DELIBERATION_REACT_RATE_PER_ACCOUNT=GENEROUS_RATE,
            DELIBERATION_NEW_ACCOUNT_PREMODERATED=0,
        ):
            for section, script in discussion.items():
                _discussion_seed(
                    thread=Thread.objects.get(pk=threads[section].pk),
                    script=script,
                    opened=consultation.opens_at,
                    now=closes_at,
                    people=people,
                    newcomer_premoderated=1,
                )
        ConsultationPage.objects.filter(translation_key=key).update(closes_at=closes_at)

    found = {}
    for section, script in discussion.items():
        thread = threads[section]
        for index, item in enumerate(_preorder(script)):
            for name, target in cited.items():
                if item is target:
                    found[name] = Contribution.objects.get(
                        author=people[item.author],
                        idempotency_key=uuid.uuid5(NAMESPACE, f"{thread.key}:{index}"),
                    )
    return found


def _section(key: str) -> str:
    return demo_section_id(REQUESTS_CHARTER["slug"], key)


# Each response: status, cited contributions, draft sections, and its texts by language
# (theme, "you said", "we did, and why").
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

CHARTER_OUTCOME = {
    "slug": "outcome",
    "ar": {
        "title": "نتائج التشاور حول ميثاق استقبال المطالب",
        "what_we_heard": "<p>شارك المواطنون في كل فصول المشروع. طالب أغلبهم بمتابعة المطالب عن بعد، "
        "وبآجال أقصر للمطالب البسيطة، وبنشر إحصائيات دورية عن الردود.</p>",
    },
    "fr": {
        "title": "Résultats de la consultation sur la charte d'accueil",
        "what_we_heard": "<p>Les citoyens ont commenté chaque section du projet. La plupart ont "
        "demandé un suivi des requêtes à distance, des délais plus courts pour les demandes "
        "simples et la publication régulière de statistiques sur les réponses.</p>",
    },
    "en": {
        "title": "Outcome of the consultation on the reception charter",
        "what_we_heard": "<p>Citizens commented on every section of the draft. Most asked to follow "
        "requests remotely, for shorter deadlines on simple requests and for regular statistics "
        "on the answers given.</p>",
    },
}


def _charter_decisions(closed: datetime.date) -> list[dict]:
    """The two decisions, dated from the day the consultation closed."""
    proposed, adopted = closed + datetime.timedelta(days=4), closed + datetime.timedelta(days=10)
    issued, effective = closed + datetime.timedelta(days=2), closed + datetime.timedelta(days=6)
    in_force = closed + datetime.timedelta(days=12)
    day = adopted.strftime("%d/%m/%Y")
    return [
        {
            "slug": "charter-decree",
            "reference_kind": ReferenceKind.DECREE,
            "reference_number": f"{adopted.year}-318",
            "signed_on": adopted,
            "milestones": [(DecisionStatus.PROPOSED, proposed), (DecisionStatus.ADOPTED, adopted)],
            "responses": [0, 1],
            "contributions": ["simple_requests", "extension_notice", "statistics"],
            "sections": ["reception", "deadlines"],
            "ar": {
                "title": "أمر حكومي يتعلق بضبط ميثاق استقبال مطالب المواطنين",
                "summary": "يضبط الأمر آجال الرد (خمسة عشر يوما للوثائق، ثلاثون يوما للشكايات)، ووصل "
                "المتابعة، ونشر إحصائيات الردود كل ثلاثة أشهر.",
                "jort_reference": f"الرائد الرسمي للجمهورية التونسية عدد 52 بتاريخ {day}، ص 1874",
                "body": "<p>الفصل الأول: يُسلَّم لكل مودع مطلب وصل برقم متابعة.</p>"
                "<p>الفصل 2: تُرَدّ مطالب الوثائق في أجل خمسة عشر يوما، والشكايات في أجل ثلاثين يوما.</p>"
                "<p>الفصل 3: تنشر كل إدارة كل ثلاثة أشهر عدد المطالب المودعة والردود ومعدّل آجالها.</p>"
                "<p>يدخل هذا الأمر حيز النفاذ في اليوم الأول من الشهر الثالث الموالي لنشره.</p>",
                "notes": ["عُرض على مجلس الوزراء", "أمضاه رئيس الحكومة"],
            },
            "fr": {
                "title": "Décret gouvernemental fixant la charte d'accueil des requêtes citoyennes",
                "summary": "Le décret fixe les délais de réponse (quinze jours pour les pièces, trente "
                "pour les plaintes), le récépissé de suivi et la publication trimestrielle des "
                "statistiques de réponse.",
                "jort_reference": f"JORT n° 52 du {day}, p. 1874",
                "body": "<p>Article premier : tout déposant reçoit un récépissé avec un numéro de suivi.</p>"
                "<p>Article 2 : les demandes de pièces reçoivent une réponse sous quinze jours, les "
                "plaintes sous trente jours.</p>"
                "<p>Article 3 : chaque administration publie chaque trimestre le nombre de requêtes "
                "reçues, de réponses et leur délai moyen.</p>"
                "<p>Le présent décret entre en vigueur le premier jour du troisième mois suivant sa "
                "publication.</p>",
                "notes": ["Présenté en Conseil des ministres", "Signé par le Chef du gouvernement"],
            },
            "en": {
                "title": "Government decree establishing the charter for receiving citizens' requests",
                "summary": "The decree sets response times (fifteen days for documents, thirty for "
                "complaints), the tracking receipt and the quarterly publication of response "
                "statistics.",
                "jort_reference": f"JORT No. 52, {day}, p. 1874",
                "body": "<p>Article 1: everyone who files a request receives a receipt with a tracking "
                "number.</p><p>Article 2: requests for documents are answered within fifteen days, "
                "complaints within thirty days.</p><p>Article 3: every administration publishes each "
                "quarter the number of requests received, of answers given and their average time.</p>"
                "<p>This decree enters into force on the first day of the third month after its "
                "publication.</p>",
                "notes": ["Presented to the Council of Ministers", "Signed by the Head of Government"],
            },
        },
        {
            "slug": "tracking-order",
            "reference_kind": ReferenceKind.ORDER,
            "reference_number": f"{effective.year}-77",
            "signed_on": effective,
            "milestones": [
                (DecisionStatus.PROPOSED, issued),
                (DecisionStatus.ADOPTED, effective),
                (DecisionStatus.IN_FORCE, in_force),
            ],
            "responses": [0],
            "contributions": ["tracking", "sms", "remote_appeal"],
            "sections": ["reception", "appeal"],
            "ar": {
                "title": "قرار يتعلق بخدمة متابعة المطالب والتظلم عن بعد",
                "summary": "يُحدث القرار خدمة متابعة المطالب على بوابة المكتب وبالإرساليات القصيرة، "
                "ويفتح التظلم عبر البوابة.",
                "jort_reference": "",
                "body": "<p>تُتاح متابعة كل مطلب برقم الوصل على البوابة، وتُرسل إرسالية قصيرة عند "
                "الإيداع والإحالة والرد. يمكن تقديم التظلم عبر البوابة دون التنقل.</p>",
                "notes": ["مشروع القرار", "أمضاه رئيس المكتب", "الخدمة مفتوحة للعموم"],
            },
            "fr": {
                "title": "Arrêté relatif au suivi des requêtes et au recours à distance",
                "summary": "L'arrêté crée le suivi des requêtes sur le portail du Bureau et par SMS, et "
                "ouvre le recours en ligne.",
                "jort_reference": "",
                "body": "<p>Chaque requête se suit avec le numéro du récépissé sur le portail ; un SMS "
                "est envoyé au dépôt, à la transmission et à la réponse. Le recours peut être déposé "
                "en ligne, sans déplacement.</p>",
                "notes": ["Projet d'arrêté", "Signé par le chef du Bureau", "Service ouvert au public"],
            },
            "en": {
                "title": "Order on tracking requests and appealing remotely",
                "summary": "The order creates request tracking on the Office's portal and by text "
                "message, and opens online appeals.",
                "jort_reference": "",
                "body": "<p>Every request can be followed with its receipt number on the portal; a "
                "text message is sent when it is filed, transferred and answered. Appeals can be "
                "filed online, without travelling.</p>",
                "notes": ["Draft order", "Signed by the head of the Office", "Service open to the public"],
            },
        },
    ]


def _responses(language: str, found: dict) -> list[OutcomeResponse]:
    responses = []
    for number, spec in enumerate(CHARTER_RESPONSES):
        theme, heard, reasoning = spec[language]
        response = OutcomeResponse(
            theme=theme,
            status=spec["status"],
            heard=heard,
            reasoning=reasoning,
            section_ids=[_section(key) for key in spec["sections"]],
            sort_order=number,
        )
        response.contributions = [found[name] for name in spec["contributions"]]
        responses.append(response)
    return responses


def _decision_fields(spec: dict, language: str, found: dict, responses: list) -> dict:
    texts = spec[language]
    return {
        "title": texts["title"],
        "summary": texts["summary"],
        "jort_reference": texts["jort_reference"],
        "body": texts["body"],
        "milestones": [
            DecisionMilestone(status=status, date=date, note=note, sort_order=number)
            for number, ((status, date), note) in enumerate(zip(spec["milestones"], texts["notes"]))
        ],
        "contributions": [found[name] for name in spec["contributions"]],
        "responses": [responses[number] for number in spec["responses"]],
    }


def seed_outcomes(report) -> OutcomePage | None:
    """The closed demo consultation's discussion, its published outcome (four responses) and
    two decisions, in Arabic (source), French and English. What already exists is kept."""
    locales = locales_ensure()
    institution = InstitutionPage.objects.get(
        slug=REQUESTS_CHARTER["institution"], locale=locales["ar"]
    )
    consultation = (
        ConsultationPage.objects.child_of(institution).filter(slug=REQUESTS_CHARTER["slug"]).first()
    )
    if consultation is None:
        return None
    with transaction.atomic():
        found = _charter_discussion_seed(consultation)
        outcome = OutcomePage.objects.child_of(consultation).first()
        if outcome is not None:
            report("Outcome already seeded: nothing added")
            return outcome
        outcome = consultation.add_child(
            instance=OutcomePage(slug=CHARTER_OUTCOME["slug"], **CHARTER_OUTCOME["ar"])
        )
        outcome.responses = _responses("ar", found)
        outcome.save_revision().publish()
        outcomes = {"ar": OutcomePage.objects.get(pk=outcome.pk)}
        for code in ("fr", "en"):
            translation = page_translation_ensure(
                page=outcome,
                locale=locales[code],
                responses=_responses(code, found),
                **CHARTER_OUTCOME[code],
            )
            # Read back: the responses given above are not the saved ones (those have ids).
            outcomes[code] = OutcomePage.objects.get(pk=translation.pk)
        closed = consultation.closes_at.date()
        for spec in _charter_decisions(closed):
            common = {
                "slug": spec["slug"],
                "reference_kind": spec["reference_kind"],
                "reference_number": spec["reference_number"],
                "signed_on": spec["signed_on"],
                "section_ids": [_section(key) for key in spec["sections"]],
            }
            responses = list(outcomes["ar"].responses.order_by("sort_order"))
            decision = DecisionPage(**common)
            for name, value in _decision_fields(spec, "ar", found, responses).items():
                setattr(decision, name, value)
            outcomes["ar"].add_child(instance=decision)
            decision.save_revision().publish()
            for code in ("fr", "en"):
                responses = list(outcomes[code].responses.order_by("sort_order"))
                page_translation_ensure(
                    page=decision,
                    locale=locales[code],
                    **_decision_fields(spec, code, found, responses),
                )
        report(
            f"Outcome of {REQUESTS_CHARTER['en']['title']}: {len(CHARTER_RESPONSES)} responses, "
            f"2 decisions"
        )
    return outcomes["ar"]
