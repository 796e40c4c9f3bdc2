"""The staff groups of a request desk: its institution's request officers, who reach the
Wagtail admin to work the queue. Its approvers are cms' "Approvers: <slug>" group
(``cms.services.institution_roles_ensure`` makes it and gives it the admin)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from citizen_requests.models import RequestDesk
from citizen_requests.rules import officers_group_name
from cms.services import institution_group_names


def _access_admin() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def request_roles_ensure(*, desk: RequestDesk) -> Group:
    """The desk's "Request officers: <slug>" group, allowed into the Wagtail admin. Running it
    again changes nothing."""
    officers, _created = Group.objects.get_or_create(name=officers_group_name(desk.institution))
    officers.permissions.add(_access_admin())
    return officers


def desk_staff(*, desk: RequestDesk, approvers: bool = True, officers: bool = True):
    """The active accounts in the desk's officers and/or approvers groups (superusers are
    approvers everywhere but are not listed: they are nobody's colleague by default)."""
    names = []
    if officers:
        names.append(officers_group_name(desk.institution))
    if approvers:
        names.append(institution_group_names(desk.institution)[1])
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=names), is_active=True)
        .distinct()
        .order_by("display_name", "pk")
    )
