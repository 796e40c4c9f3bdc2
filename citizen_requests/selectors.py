"""Reading requests: what anyone may read (the JSON API, Open311, the public pages), and the
similar notices shown before a new one is filed."""

import datetime
import math
import re
import unicodedata

from django.db.models import QuerySet
from django.utils import timezone

from citizen_requests.models import CitizenRequest, Publicity, RequestDesk
from citizen_requests.stages import FINISHED, PUBLIC_KINDS, Kind

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
