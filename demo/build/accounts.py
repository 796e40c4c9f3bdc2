"""The demo accounts: an administrator, each institution's editor, approver and moderator, a
platform-wide moderator, and the citizens who discuss.

Everyone signs up as a citizen does (``accounts.services``); staff status and groups are then
given as an administrator gives them in the Users admin.
"""

from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import User
from accounts.services import EmailTaken, user_email_verify, user_sign_up
from citizen_requests.rules import officers_group_name
from cms.models import InstitutionPage
from cms.services import (
    institution_group_names,
    moderator_permissions_grant,
    moderators_group_name,
)
from deliberation import conf as deliberation_conf
from demo.content.people import CITIZENS, DEMO_PASSWORD, INSTITUTION_NAMES, ROLE_NAMES, STAFF


def _account_ensure(
    email: str, *, display_name: str, preferred_language: str, governorate: str = "", verified: bool
) -> User:
    """Sign ``email`` up with the demo password; an existing account gets that password and
    its demo display name back."""
    try:
        user = user_sign_up(
            email=email,
            display_name=display_name,
            password=DEMO_PASSWORD,
            preferred_language=preferred_language,
            governorate=governorate,
        )
    except EmailTaken:
        user = User.objects.get(email=email)
        user.set_password(DEMO_PASSWORD)
        user.display_name = display_name
        user.save(update_fields=["password", "display_name"])
    if verified:
        user_email_verify(user=user)
    return user


def _staff_grant(user: User, *, groups: tuple[Group, ...] = (), superuser: bool = False) -> None:
    """What an administrator sets in the Users admin: staff status, groups, superuser status."""
    user.is_staff = True
    user.is_superuser = user.is_superuser or superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.add(*groups)


def _global_moderators_name() -> str:
    # Not Wagtail's own "Moderators" group, which may publish any page.
    return deliberation_conf.get("DELIBERATION_GLOBAL_MODERATORS_GROUP")


def _institution_display_name(slug: str, role: str) -> str:
    return f"{INSTITUTION_NAMES.get(slug, slug)} – {ROLE_NAMES[role]}"


def roles_seed(*, institutions: list[InstitutionPage], stdout) -> dict[str, tuple[Group, ...]]:
    """The platform-wide moderators group and each institution's groups and workflow
    (``setup_institutions``, which prints to ``stdout``), and its request officers' group
    (its approvers send the answers officers draft). Returns each institution's
    (editors, approvers, moderators, request officers) groups by slug."""
    moderators, _ = Group.objects.get_or_create(name=_global_moderators_name())
    moderator_permissions_grant(moderators)
    call_command("setup_institutions", stdout=stdout)
    return {
        institution.slug: (
            *(Group.objects.get(name=name) for name in institution_group_names(institution)),
            Group.objects.get_or_create(name=moderators_group_name(institution))[0],
            Group.objects.get_or_create(name=officers_group_name(institution))[0],
        )
        for institution in institutions
    }


def accounts_seed(*, institution_groups: dict[str, tuple[Group, ...]]) -> list[tuple[str, str]]:
    """Create (or give back their password to) the demo accounts; returns (role, email) pairs.

    Each institution gets an editor, an approver (who also sends answers to requests), a
    moderator of its discussions (``moderator.<slug>@majlis.test``) and a request officer
    (``officer.<slug>@majlis.test``); ``moderator@majlis.test`` moderates everywhere.
    """
    email, name, language = STAFF["administrator"]
    admin = _account_ensure(email, display_name=name, preferred_language=language, verified=False)
    _staff_grant(admin, superuser=True)
    made = [("administrator", "admin@majlis.test")]
    for slug, groups in institution_groups.items():
        for role, group in zip(("editor", "approver", "moderator", "officer"), groups, strict=True):
            email = f"{role}.{slug}@majlis.test"
            user = _account_ensure(
                email,
                display_name=_institution_display_name(slug, role),
                preferred_language="ar",
                verified=True,
            )
            _staff_grant(user, groups=(group,))
            made.append((f"{role}, {group.name}", email))
    email, name, language = STAFF["moderator"]
    moderator = _account_ensure(email, display_name=name, preferred_language=language, verified=False)
    _staff_grant(moderator, groups=(Group.objects.get(name=_global_moderators_name()),))
    made.append(("moderator, every institution", "moderator@majlis.test"))
    for email, name, language, governorate in CITIZENS:
        _account_ensure(
            email,
            display_name=name,
            preferred_language=language,
            governorate=governorate,
            verified=True,
        )
        made.append(("citizen", email))
    return made
