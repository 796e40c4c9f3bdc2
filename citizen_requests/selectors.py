"""Reading requests: what anyone may read (the JSON API, Open311, the public pages), requests
as their author or an unlocked session sees them, institutions' titles in the reader's language
(desks point at the Arabic source page), and the similar notices shown before a new one is
filed; and the staff queue: the requests of the desks a member of staff handles, filtered and
sorted in the database, with the counts per stage in one aggregate query (the queue's cost
does not grow with the number of requests)."""

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page

from citizen_requests.models import CitizenRequest, Publicity, PublicRequestsPage, RequestDesk
from citizen_requests.rules import is_author
from citizen_requests.stages import FINISHED, PUBLIC_KINDS, Kind, Stage

SIMILAR_DAYS = 90  # "recent"
SIMILAR_METRES = 250  # "the same place"
SIMILAR_WORDS = 0.34  # share of the new notice's words found in an earlier one
SIMILAR_SCANNED = 300  # the newest open public notices of the desk compared
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alif, tatweel
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})


def public_requests() -> QuerySet[CitizenRequest]:
    """What anyone may read: suggestions and notices their author made public, once moderated.
    Complaints, guidance requests and corruption reports never, whatever is stored."""
    return CitizenRequest.objects.filter(
        publicity=Publicity.PUBLIC, kind__in=list(PUBLIC_KINDS)
    ).select_related("desk__institution")


def words(text: str) -> set[str]:
    """The words of ``text`` that say something: folded (case, accents, Arabic vowel marks
    and letter variants), three letters or more."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) or "\u0600" <= c <= "\u06ff")
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    return {word for word in re.findall(r"\w{3,}", text) if not word.isdigit()}


def _metres(lat1, lon1, lat2, lon2) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (lat1, lon1, lat2, lon2)))
    x = (lon2 - lon1) * math.cos((lat1 + lat2) / 2)
    return 6_371_000 * math.hypot(x, lat2 - lat1)


def similar_notices(
    *, desk: RequestDesk, subject: str, text: str, latitude=None, longitude=None, limit: int = 5
) -> list[CitizenRequest]:
    """Open public notices of ``desk`` from the last 90 days at the same place (within 250 m)
    or in the same words, closest first: the citizen may support one instead of filing again.
    One query over at most ``SIMILAR_SCANNED`` rows, compared in Python (the same on SQLite and
    PostgreSQL, and Arabic-aware)."""
    mine = words(f"{subject} {text}")
    since = timezone.now() - datetime.timedelta(days=SIMILAR_DAYS)
    candidates = (
        CitizenRequest.objects.filter(
            desk=desk, kind=Kind.NOTICE, publicity=Publicity.PUBLIC, created_at__gte=since
        )
        .exclude(stage__in=list(FINISHED))
        .only("tracking_number", "subject", "text", "latitude", "longitude", "supporters_count", "created_at", "desk_id", "kind", "stage")
        .order_by("-created_at")[:SIMILAR_SCANNED]
    )
    scored = []
    for candidate in candidates:
        near = (
            latitude is not None and candidate.latitude is not None
            and _metres(latitude, longitude, candidate.latitude, candidate.longitude) <= SIMILAR_METRES
        )
        shared = len(mine & words(f"{candidate.subject} {candidate.text}")) / len(mine) if mine else 0
        if near or shared >= SIMILAR_WORDS:
            scored.append((0 if near else 1, -shared, candidate))
    scored.sort(key=lambda item: item[:2])
    return [candidate for *_score, candidate in scored[:limit]]


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


def public_request_url(request: CitizenRequest) -> str | None:
    """The public page of ``request`` (published), on its institution's public requests page
    in the reader's language where there is a live translation; None otherwise."""
    if request.publicity != Publicity.PUBLIC or request.kind not in PUBLIC_KINDS:
        return None
    page = (
        PublicRequestsPage.objects.live()
        .filter(path__startswith=request.desk.institution.path)
        .first()
    )
    if page is None:
        return None
    try:
        translation = page.get_translation_or_none(Locale.get_active())
    except Locale.DoesNotExist:
        translation = None
    if translation is not None and translation.live:
        page = translation.specific
    return page.url + page.reverse_subpage("section", args=[request.tracking_number])


# --- The staff queue ---------------------------------------------------------------------------

# The stages whose deadline clock runs (services.requests_overdue).
CLOCK_RUNNING = (Stage.RECEIVED, Stage.ASSIGNED, Stage.IN_PROGRESS)
OPEN_STAGES = tuple(stage for stage in Stage if stage not in FINISHED)

STAGE_OPEN = "open"
STAGE_ALL = "all"

ASSIGNEE_ANY = ""
ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"

SORT_DEADLINE = "deadline"
SORT_FILED = "filed"


@dataclass(frozen=True)
class QueueFilters:
    desks: list[RequestDesk]
    kind: str = ""
    stage: str = STAGE_OPEN
    overdue: bool = False
    assignee: str = ASSIGNEE_ANY
    governorate: str = ""
    sort: str = SORT_DEADLINE


def _overdue_q(now: datetime.datetime) -> Q:
    return Q(stage__in=CLOCK_RUNNING, due_at__lt=now)


def _stage_q(stage: str) -> Q:
    if stage == STAGE_ALL:
        return Q()
    if stage == STAGE_OPEN:
        return Q(stage__in=OPEN_STAGES)
    return Q(stage=stage)


def _filtered(*, user, filters: QueueFilters, now: datetime.datetime) -> QuerySet:
    """The desks' requests with every filter but the stage."""
    queryset = CitizenRequest.objects.filter(desk__in=[desk.pk for desk in filters.desks])
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.governorate:
        queryset = queryset.filter(governorate=filters.governorate)
    if filters.overdue:
        queryset = queryset.filter(_overdue_q(now))
    if filters.assignee == ASSIGNEE_ME:
        queryset = queryset.filter(assignee=user)
    elif filters.assignee == ASSIGNEE_NONE:
        queryset = queryset.filter(assignee__isnull=True)
    return queryset


def staff_queue(*, user, filters: QueueFilters, now: datetime.datetime | None = None) -> QuerySet:
    """The requests to list, sorted: nearest deadline first, or newest filed first."""
    now = now or timezone.now()
    queryset = _filtered(user=user, filters=filters, now=now).filter(_stage_q(filters.stage))
    ordering = ("due_at", "pk") if filters.sort == SORT_DEADLINE else ("-created_at", "-pk")
    return queryset.select_related("desk__institution", "assignee").order_by(*ordering)


def staff_queue_counts(*, user, filters: QueueFilters, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many requests each stage tab holds (every filter applied but the stage), the
    open and overdue ones included: one query, grouped by stage (it walks the desks' entries
    of the ``request_queue`` index; counting each stage with its own FILTER took 2.5 times as
    long at 100,000 requests, bench/requests.py)."""
    now = now or timezone.now()
    rows = (
        _filtered(user=user, filters=filters, now=now)
        .order_by()
        .values_list("stage")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
    )
    counts = {stage.value: 0 for stage in Stage}
    overdue = 0
    for stage, total, late in rows:
        counts[stage] = total
        if stage in CLOCK_RUNNING:
            overdue += late
    counts[STAGE_OPEN] = sum(counts[stage.value] for stage in OPEN_STAGES)
    counts[STAGE_ALL] = sum(counts[stage.value] for stage in Stage)
    counts["overdue"] = overdue
    return counts


def verify_path(document) -> str:
    """The verification page in the reader's language, filled in with a signed document's
    reference and code (it checks them at once)."""
    query = urlencode({"reference": document.reference, "code": document.verification_code})
    return f"{reverse('signatures:verify')}?{query}"


# --- The home page -----------------------------------------------------------------------------


def public_request_pages(*, language: str) -> list[dict]:
    """The institutions' live, public pages of public suggestions and notices in ``language``,
    each with its institution: two queries, whatever their number."""
    pages = list(
        PublicRequestsPage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .order_by("title", "pk")
    )
    step = PublicRequestsPage.steplen
    institutions = {
        page.path: page
        for page in Page.objects.filter(path__in={p.path[:-step] for p in pages}).only(
            "id", "path", "title", "depth"
        )
    }
    return [{"page": page, "institution": institutions.get(page.path[:-step])} for page in pages]
