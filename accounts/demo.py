"""Demo accounts for ``seed_demo``. All share one password, printed by the command."""

from django.contrib.auth.models import Group

from accounts.models import User

DEMO_PASSWORD = "majlis-demo-2026"

CITIZENS = [
    ("amira@majlis.test", "أميرة ب.", "ar", "TN-33"),
    ("youssef@majlis.test", "Youssef K.", "fr", "TN-11"),
    ("salma@majlis.test", "سلمى", "ar", "TN-61"),
    ("karim@majlis.test", "Karim M.", "en", ""),
]


def _user_ensure(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed_accounts(
    *, institution_groups: dict[str, tuple[Group, Group]], moderators: Group
) -> list[tuple[str, str]]:
    """Create (or reset) the demo accounts; returns (role, email) pairs to print."""
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
        for role, group in (("editor", editors), ("approver", approvers)):
            email = f"{role}.{slug}@majlis.test"
            user = _user_ensure(email, display_name=f"{role.title()} {slug}", is_staff=True)
            user.groups.add(group)
            made.append((f"{role}, {group.name}", email))
    moderator = _user_ensure(
        "moderator@majlis.test", display_name="Modération", is_staff=True, preferred_language="ar"
    )
    moderator.groups.add(moderators)
    made.append(("moderator", "moderator@majlis.test"))
    for email, name, language, governorate in CITIZENS:
        _user_ensure(email, display_name=name, preferred_language=language, governorate=governorate)
        made.append(("citizen", email))
    return made
