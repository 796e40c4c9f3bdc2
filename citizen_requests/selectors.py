"""What the citizens' pages read: requests as their author or an unlocked session sees them,
and institutions' titles in the reader's language (desks point at the Arabic source page)."""

from django.db.models import QuerySet
from wagtail.models import Locale, Page

from citizen_requests.models import CitizenRequest, RequestDesk
from citizen_requests.rules import is_author

# The session key holding the ids of the requests this browser unlocked with number and code.
UNLOCKED_SESSION_KEY = "citizen_requests_unlocked"
UNLOCKED_KEPT = 20


def institution_titles(institutions) -> dict[int, str]:
    """{source page id: its title in the active language (the source's where there is no live
    translation)}, in one query."""
    institutions = [page for page in institutions if page is not None]
    keys = {page.translation_key: page for page in institutions}
    titles = {page.pk: page.title for page in institutions}
    if not keys:
        return titles
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return titles
    for key, title in Page.objects.filter(
        translation_key__in=list(keys), locale=locale, live=True
    ).values_list("translation_key", "title"):
        titles[keys[key].pk] = title
    return titles


def desks_open() -> list[RequestDesk]:
    """The desks a citizen may file with, by their title in the reader's language."""
    desks = list(RequestDesk.objects.filter(accepts_requests=True).select_related("institution"))
    titles = institution_titles(desk.institution for desk in desks)
    for desk in desks:
        desk.title = titles[desk.institution_id]
    return sorted(desks, key=lambda desk: desk.title)


def request_by_number(number: str) -> CitizenRequest | None:
    return (
        CitizenRequest.objects.select_related("desk__institution", "author")
        .filter(tracking_number=number)
        .first()
    )


def unlocked_ids(session) -> list[int]:
    return list(session.get(UNLOCKED_SESSION_KEY, []))


def session_unlock(session, request: CitizenRequest) -> None:
    """Remember in the session that it gave ``request``'s number and code."""
    ids = [pk for pk in unlocked_ids(session) if pk != request.pk]
    session[UNLOCKED_SESSION_KEY] = (ids + [request.pk])[-UNLOCKED_KEPT:]


def citizen_access(user, session, request: CitizenRequest) -> str | None:
    """"author", "code" (a session that unlocked it) or None: how the reader follows it."""
    if is_author(user, request):
        return "author"
    if request.pk in unlocked_ids(session):
        return "code"
    return None


def requests_of(user) -> QuerySet:
    """The requests ``user`` filed, newest first."""
    return (
        CitizenRequest.objects.filter(author=user)
        .select_related("desk__institution")
        .order_by("-created_at", "-pk")
    )
