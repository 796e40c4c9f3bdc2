"""Who may do what with a request.

Staff roles are per institution: its request officers (group "Request officers: <slug>")
handle its requests; its approvers (cms' "Approvers: <slug>") may do what officers do and
send answers. A superuser is an approver everywhere. Citizens read their own requests (the
account that filed them) or one whose number and secret code they give (services.request_lookup).
"""

from django.contrib.auth.models import AnonymousUser

from citizen_requests.models import CitizenRequest, RequestDesk
from citizen_requests.stages import Role
from cms.services import institution_group_names


def officers_group_name(institution) -> str:
    return f"Request officers: {institution.slug}"


def _group_names(user) -> set[str]:
    cached = getattr(user, "_citizen_requests_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._citizen_requests_groups = cached
    return cached


def staff_role(user, desk: RequestDesk) -> str | None:
    """``Role.APPROVER``, ``Role.OFFICER`` or None: what ``user`` is at ``desk``."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.APPROVER
    names = _group_names(user)
    institution = desk.institution
    if institution_group_names(institution)[1] in names:
        return Role.APPROVER
    if officers_group_name(institution) in names:
        return Role.OFFICER
    return None


def staff_desks(user) -> list[RequestDesk]:
    """The desks whose requests ``user`` handles (every desk for a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return []
    desks = RequestDesk.objects.select_related("institution")
    if user.is_superuser:
        return list(desks)
    return [desk for desk in desks if staff_role(user, desk)]


def is_author(user, request: CitizenRequest) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and request.author_id is not None
        and request.author_id == user.pk
    )
