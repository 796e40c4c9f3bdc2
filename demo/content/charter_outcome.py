"""The requests charter's outcome page and its two decisions.

A decision's dates are days after the consultation closed: ``signed_after`` (its signature)
and each milestone's. In ``reference_number`` and ``jort_reference``, ``{year}`` and ``{day}``
stand for the year and the day (dd/mm/yyyy) it was signed.
"""

from consultations.models import DecisionStatus, ReferenceKind

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

CHARTER_DECISIONS = [
    {
        "slug": "charter-decree",
        "reference_kind": ReferenceKind.DECREE,
        "reference_number": "{year}-318",
        "signed_after": 10,
        "milestones": [(DecisionStatus.PROPOSED, 4), (DecisionStatus.ADOPTED, 10)],
        "responses": [0, 1],
        "contributions": ["simple_requests", "extension_notice", "statistics", "charter_idea"],
        "sections": ["reception", "deadlines"],
        "ar": {
            "title": "أمر حكومي يتعلق بضبط ميثاق استقبال مطالب المواطنين",
            "summary": "يضبط الأمر آجال الرد (خمسة عشر يوما للوثائق، ثلاثون يوما للشكايات)، ووصل "
            "المتابعة، ونشر إحصائيات الردود كل ثلاثة أشهر.",
            "jort_reference": "الرائد الرسمي للجمهورية التونسية عدد 52 بتاريخ {day}، ص 1874",
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
            "jort_reference": "JORT n° 52 du {day}, p. 1874",
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
            "jort_reference": "JORT No. 52, {day}, p. 1874",
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
        "reference_number": "{year}-77",
        "signed_after": 6,
        "milestones": [
            (DecisionStatus.PROPOSED, 2),
            (DecisionStatus.ADOPTED, 6),
            (DecisionStatus.IN_FORCE, 12),
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
