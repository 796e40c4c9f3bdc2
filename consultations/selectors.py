"""Reads: consultation listings, phases as queries, versions."""

import datetime

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cms.l10n import format_duration, format_moment, format_time_zone
from cms.models import InstitutionPage
from consultations import conf
from consultations.models import ConsultationPage, ConsultationPageTopic, DraftVersion
from deliberation.phases import Phase
from deliberation.selectors import published_counts

CLOSING_SOON = "closing_soon"


def phase_q(phase: str, now: datetime.datetime) -> Q:
    """The consultations in ``phase`` (or "closing_soon") at ``now``, as a query."""
    no_outcome = Q(outcome_published_at__isnull=True)
    if phase == Phase.UPCOMING:
        return no_outcome & Q(opens_at__gt=now)
    if phase == Phase.OPEN:
        return no_outcome & Q(opens_at__lte=now, closes_at__gt=now)
    if phase == CLOSING_SOON:
        soon = now + datetime.timedelta(days=conf.get("CONSULTATIONS_CLOSING_SOON_DAYS"))
        return no_outcome & Q(opens_at__lte=now, closes_at__gt=now, closes_at__lte=soon)
    if phase == Phase.CLOSED:
        return no_outcome & Q(closes_at__lte=now)
    if phase == Phase.OUTCOME:
        return Q(outcome_published_at__isnull=False)
    raise ValueError(f"unknown phase {phase!r}")


def consultation_list(
    *,
    language: str | None = None,
    institution: str | None = None,
    topic: str | None = None,
    phase: str | None = None,
    year: int | None = None,
    within=None,
    now: datetime.datetime | None = None,
) -> QuerySet[ConsultationPage]:
    """Live, public consultations: open ones first (closing soonest), then upcoming, then the
    rest, most recent first. Filters are already validated values."""
    now = now or timezone.now()
    queryset = ConsultationPage.objects.live().public().select_related("locale")
    if language:
        queryset = queryset.filter(locale__language_code=language)
    if within is not None:
        queryset = queryset.child_of(within)
    if institution:
        paths = InstitutionPage.objects.filter(slug=institution).values_list("path", flat=True)
        path_q = Q()
        for path in paths:
            path_q |= Q(path__startswith=path)
        queryset = queryset.filter(path_q) if paths else queryset.none()
    if topic:
        tagged = ConsultationPageTopic.objects.filter(tag__slug=topic)
        queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
    if phase:
        queryset = queryset.filter(phase_q(phase, now))
    if year:
        queryset = queryset.filter(opens_at__year=year)
    return (
        queryset.annotate(
            phase_rank=Case(
                When(phase_q(Phase.OPEN, now), then=Value(0)),
                When(phase_q(Phase.UPCOMING, now), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            urgency=Case(
                When(phase_q(Phase.OPEN, now), then=F("closes_at")),
                When(phase_q(Phase.UPCOMING, now), then=F("opens_at")),
                default=None,
            ),
        )
        .order_by("phase_rank", F("urgency").asc(nulls_last=True), "-closes_at", "pk")
        .prefetch_related("topics")
    )


def consultation_contribution_counts(*, consultations) -> dict[int, int]:
    """Published contributions per consultation id (all its threads; translations share them).
    One query."""

    counts = published_counts(translation_keys={c.translation_key for c in consultations})
    totals: dict = {}
    for (key, _section), n in counts.items():
        totals[key] = totals.get(key, 0) + n
    return {c.pk: totals.get(c.translation_key, 0) for c in consultations}


def section_contribution_counts(*, consultation: ConsultationPage) -> dict[str, int]:
    """Published contributions per draft section id (and "" for the whole consultation)."""

    counts = published_counts(translation_keys=[consultation.translation_key])
    return {section: n for (_key, section), n in counts.items()}


def consultation_years(*, language: str | None = None) -> list[int]:
    queryset = ConsultationPage.objects.live().public()
    if language:
        queryset = queryset.filter(locale__language_code=language)
    return sorted({d.year for d in queryset.dates("opens_at", "year")}, reverse=True)


def version_list(*, consultation: ConsultationPage) -> QuerySet[DraftVersion]:
    return consultation.versions.order_by("number").only(
        "id", "number", "published_at", "change_note", "consultation_id"
    )


def version_pair(
    *, consultation: ConsultationPage, old: int, new: int
) -> tuple[DraftVersion, DraftVersion] | None:
    versions = {v.number: v for v in consultation.versions.filter(number__in=[old, new])}
    if old not in versions or new not in versions:
        return None
    return versions[old], versions[new]


def consultation_timing(consultation: ConsultationPage, time_zone: str) -> dict:
    """What a reader needs to know about the dates, in their language and the institution's zone."""
    now = timezone.now()
    phase = consultation.phase
    info = {
        "opens": format_moment(consultation.opens_at, time_zone),
        "closes": format_moment(consultation.closes_at, time_zone),
        "time_zone": time_zone,
        "time_zone_label": format_time_zone(time_zone),
    }
    if phase == Phase.UPCOMING:
        info["opens_in"] = format_duration(consultation.opens_at - now)
    elif phase == Phase.OPEN:
        info["time_left"] = format_duration(consultation.closes_at - now)
    return info


def consultation_cards(consultations) -> list[dict]:
    """What a listing card shows, for a page of consultations, in a fixed number of queries."""
    consultations = list(consultations)
    counts = consultation_contribution_counts(consultations=consultations)
    parent_paths = {c.path[: -c.steplen] for c in consultations}
    institutions = {
        i.path: i
        for i in InstitutionPage.objects.filter(path__in=parent_paths).only(
            "title", "path", "url_path", "time_zone", "depth"
        )
    }
    cards = []
    for consultation in consultations:
        institution = institutions.get(consultation.path[: -consultation.steplen])
        zone = institution.time_zone if institution else settings.TIME_ZONE
        cards.append(
            {
                "page": consultation,
                "institution": institution,
                "phase": consultation.phase,
                "timing": consultation_timing(consultation, zone),
                "contribution_count": counts.get(consultation.pk, 0),
                "topics": consultation.topics.all(),
            }
        )
    return cards
