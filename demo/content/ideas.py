"""The demo's citizens' ideas: one at every status, with supporters and a short discussion.

``days`` are days after the demo's "now" for ideas in an institution's idea box, and days after
the consultation opened for the one sent within the requests charter (accepted, then cited by
the charter's first decision: ``CHARTER_IDEA``). Each status is ``(status, days, reason)``;
reasons are written by the institution in the idea's language.
"""

from citizen_ideas.models import IdeaStatus

# The key (in ``found``) under which the charter's accepted idea is cited by its decision.
CHARTER_IDEA = "charter_idea"

IDEAS = [
    {
        "key": CHARTER_IDEA,
        "institution": "bcrc",
        "consultation": "requests-charter",
        "author": "sami",
        "language": "fr",
        "days": 12,
        "title": "Un SMS à chaque étape de ma requête",
        "body": "Quand ma requête change d'étape (reçue, transmise, répondue), que je reçoive un "
        "SMS avec son numéro de suivi : beaucoup de citoyens n'ouvrent pas leurs e-mails.",
        "statuses": [
            (IdeaStatus.UNDER_STUDY, 20, "Le bureau étudie le coût des SMS avec l'opérateur."),
            (IdeaStatus.ACCEPTED, 50, "Retenue : le décret sur la charte prévoit un SMS à "
             "chaque étape, à partir de la mise en service du suivi en ligne."),
        ],
        "supporters": ["amira", "youssef", "leila", "mehdi", "rania", "hela", "meriem"],
        "replies": [
            ("amira", "ar", "فكرة جيدة، خاصة لكبار السن الذين لا يستعملون البريد الإلكتروني."),
            ("karim", "en", "Yes, and the SMS should link to the tracking page."),
        ],
    },
    {
        "key": "kef_sorting_bins",
        "institution": "el-kef",
        "author": "rania",
        "language": "fr",
        "days": -3,
        "title": "Des poubelles de tri au marché hebdomadaire",
        "body": "Installer des bacs séparés (plastique, carton, organique) au marché du lundi, "
        "avec un ramassage le soir même.",
        "statuses": [],
        "supporters": ["youssef", "leila"],
        "replies": [("mehdi", "fr", "Les commerçants du marché sont prêts à aider au tri.")],
    },
    {
        "key": "kef_campus_lights",
        "institution": "el-kef",
        "author": "amira",
        "language": "ar",
        "days": -20,
        "title": "إنارة الطريق المؤدية إلى المبيت الجامعي",
        "body": "الطريق بين محطة الحافلات والمبيت الجامعي مظلمة ليلًا. نقترح تركيب أعمدة إنارة "
        "تعمل بالطاقة الشمسية.",
        "statuses": [
            (IdeaStatus.UNDER_STUDY, -10, "المصالح الفنية بصدد تقدير الكلفة وتحديد عدد الأعمدة."),
        ],
        "supporters": ["salma", "walid", "najet", "meriem", "khaoula", "fatma"],
        "replies": [("walid", "ar", "أدعم الفكرة، الطريق خطيرة في الشتاء.")],
    },
    {
        "key": "kef_cable_car",
        "institution": "el-kef",
        "author": "karim",
        "language": "en",
        "days": -40,
        "title": "A cable car up to the Kasbah",
        "body": "A cable car from the medina's gate to the Kasbah would bring tourists and spare "
        "the old streets from cars.",
        "statuses": [
            (IdeaStatus.UNDER_STUDY, -35, "The technical services are looking at the slope and the cost."),
            (IdeaStatus.REJECTED, -25, "Not retained: the cost is beyond the municipality's "
             "budget and the Kasbah's protected area does not allow the pylons. An electric "
             "shuttle is studied instead."),
        ],
        "supporters": ["ines", "youssef"],
        "replies": [("ines", "en", "Maybe an electric shuttle would be cheaper?")],
    },
    {
        "key": "kef_market_tap",
        "institution": "el-kef",
        "author": "walid",
        "language": "ar",
        "days": -60,
        "title": "حنفية ماء صالح للشرب قرب السوق الأسبوعي",
        "body": "لا توجد نقطة ماء قرب السوق الأسبوعي. نقترح حنفية عمومية قرب المدخل الرئيسي.",
        "statuses": [
            (IdeaStatus.ACCEPTED, -50, "تمت الموافقة: أُدرجت الحنفية في برنامج صيانة الشبكة لهذه السنة."),
            (IdeaStatus.IMPLEMENTED, -12, "تم تركيب الحنفية وتشغيلها قرب المدخل الرئيسي للسوق."),
        ],
        "supporters": ["amira", "salma", "najet", "abderrazek", "riadh"],
        "replies": [("najet", "ar", "شكرًا، الحنفية تعمل الآن.")],
    },
]
