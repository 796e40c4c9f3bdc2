"""The demo's people: citizens who discuss, and how institutions' own accounts sign.

All demo accounts share one password, printed by ``seed_demo``.
"""

DEMO_PASSWORD = "majlis-demo-2026"

# (email, display name, preferred language, governorate). The people who discuss the demo
# consultation and forum topic; the discussions name them by the part before "@majlis.test".
CITIZENS = [
    ("amira@majlis.test", "أميرة ب.", "ar", "TN-33"),
    ("youssef@majlis.test", "Youssef K.", "fr", "TN-11"),
    ("salma@majlis.test", "سلمى", "ar", "TN-61"),
    ("karim@majlis.test", "Karim M.", "en", ""),
    ("mohamed.hedi@majlis.test", "محمد الهادي ع.", "ar", "TN-41"),
    ("fatma@majlis.test", "فاطمة الزهراء س.", "ar", "TN-43"),
    ("noureddine@majlis.test", "نور الدين ب.", "ar", "TN-42"),
    ("leila@majlis.test", "Leïla Ben Salah", "fr", "TN-21"),
    ("hela@majlis.test", "هالة م.", "ar", "TN-81"),
    ("sami@majlis.test", "Sami Trabelsi", "fr", "TN-51"),
    ("abderrazek@majlis.test", "عبد الرزاق الجندوبي", "ar", "TN-32"),
    ("ines@majlis.test", "Ines G.", "en", "TN-12"),
    ("riadh@majlis.test", "رياض ش.", "ar", "TN-71"),
    ("meriem@majlis.test", "مريم ت.", "ar", "TN-31"),
    ("mehdi@majlis.test", "Mehdi Jaziri", "fr", "TN-23"),
    ("khaoula@majlis.test", "خولة", "ar", "TN-73"),
    ("walid@majlis.test", "وليد الكافي", "ar", "TN-33"),
    ("rania@majlis.test", "Rania H.", "fr", "TN-33"),
    ("najet@majlis.test", "نجاة ر.", "ar", "TN-33"),
    # Signed up lately: her first contribution waits for a moderator.
    ("zeineb@majlis.test", "زينب ن.", "ar", "TN-82"),
    # Posts advertising; the demo shows it hidden as spam.
    ("aquapure@majlis.test", "Aqua Pure Tunisie", "ar", ""),
]

# The platform's own staff: (email, display name, preferred language). A display name is
# written in its owner's language: the Arabic moderator's dashboard greets them in Arabic.
STAFF = {
    "administrator": ("admin@majlis.test", "Administration de Majlis", "fr"),
    "moderator": ("moderator@majlis.test", "فريق الإشراف", "ar"),
}

# How institutions' own accounts sign what they write (the public sees display names only).
INSTITUTION_NAMES = {
    "agriculture-water": "وزارة الفلاحة والموارد المائية",
    "el-kef": "بلدية الكاف",
    "bcrc": "مكتب العلاقات مع المواطن",
}
ROLE_NAMES = {
    "editor": "تحرير",
    "approver": "خلية الحوار",
    "moderator": "الإشراف على النقاش",
    "officer": "مكتب المطالب",
}
