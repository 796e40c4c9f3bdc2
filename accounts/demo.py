"""Demo accounts for ``seed_demo``. All share one password, printed by the command."""

from django.contrib.auth.models import Group

from accounts.models import User

DEMO_PASSWORD = "majlis-demo-2026"

# (email, display name, preferred language, governorate). The people who discuss the demo
# consultation and forum topic (``deliberation/demo.py`` refers to them by email).
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

# How institutions' own accounts sign what they write (the public sees display names only).
INSTITUTION_NAMES = {
    "agriculture-water": "وزارة الفلاحة والموارد المائية",
    "el-kef": "بلدية الكاف",
    "bcrc": "مكتب العلاقات مع المواطن",
}
ROLE_NAMES = {"editor": "تحرير", "approver": "خلية الحوار", "moderator": "الإشراف على النقاش"}


def _user_ensure(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _institution_display_name(slug: str, role: str) -> str:
    return f"{INSTITUTION_NAMES.get(slug, slug)} – {ROLE_NAMES[role]}"


def seed_accounts(
    *,
    institution_groups: dict[str, tuple[Group, Group]],
    institution_moderators: dict[str, Group],
    moderators: Group,
) -> list[tuple[str, str]]:
    """Create (or reset) the demo accounts; returns (role, email) pairs to print.

    Each institution gets an editor, an approver and a moderator of its discussions
    (``moderator.<slug>@majlis.test``); ``moderator@majlis.test`` moderates everywhere.
    """
    made = []
    _user_ensure(
        "admin@majlis.test",
        display_name="Admin",
        is_staff=True,
        is_superuser=True,
        preferred_language="fr",
    )
    made.append(("administrator", "admin@majlis.test"))
    for slug, (editors, approvers) in institution_groups.items():
        roles = [("editor", editors), ("approver", approvers)]
        if slug in institution_moderators:
            roles.append(("moderator", institution_moderators[slug]))
        for role, group in roles:
            email = f"{role}.{slug}@majlis.test"
            user = _user_ensure(
                email,
                display_name=_institution_display_name(slug, role),
                is_staff=True,
                email_verified=True,
                preferred_language="ar",
            )
            user.groups.add(group)
            made.append((f"{role}, {group.name}", email))
    moderator = _user_ensure(
        "moderator@majlis.test", display_name="Modération", is_staff=True, preferred_language="ar"
    )
    moderator.groups.add(moderators)
    made.append(("moderator, every institution", "moderator@majlis.test"))
    for email, name, language, governorate in CITIZENS:
        _user_ensure(
            email,
            display_name=name,
            preferred_language=language,
            governorate=governorate,
            email_verified=True,
        )
        made.append(("citizen", email))
    return made
