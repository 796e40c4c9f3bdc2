"""Reads of outcomes and decisions: the trace from a contribution to the responses and
decisions that cite it, the public decisions with their ancestors, and what the outcome and
decision pages read in bulk.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.models import InstitutionPage
from consultations.models import ConsultationPage
from consultations.outcomes.models import (
    DecisionMilestone,
    DecisionPage,
    DecisionPageTopic,
    DecisionStatus,
    OutcomePage,
    OutcomeResponse,
    ParticipationSnapshot,
)
from consultations.outcomes.statistics import participation_statistics
from deliberation.models import Contribution

# --- The trace ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    kind: str  # "response" or "decision"
    title: str
    url: str

    @property
    def label(self) -> str:
        if self.kind == "response":
            return _("Answered in the outcome")
        return _("Used in decision: %(title)s") % {"title": self.title}


def _in_language(rows, language: str):
    """Of rows (…, translation_key, language_code, …) citing through several translations of
    one page, keep the one in ``language``, or else the first."""
    chosen: dict = {}
    for row in rows:
        key = (row["contribution_id"], row["translation_key"])
        if key not in chosen or (
            row["language"] == language and chosen[key]["language"] != language
        ):
            chosen[key] = row
    return chosen.values()


def citations_by_contribution(
    *, contribution_ids=None, thread=None, translation_key=None, language: str | None = None
) -> dict[int, list[Citation]]:
    """Where each contribution is cited by a response or decision anyone may read, in
    ``language`` where the citing page is translated. Filter by contribution ids, by thread or by
    consultation (its translation key). Three queries, whatever the number of citations."""
    language = language or get_language()
    response_through = OutcomeResponse.contributions.through
    decision_through = DecisionPage.contributions.through
    if contribution_ids is not None:
        where = Q(contribution_id__in=list(contribution_ids))
    elif thread is not None:
        where = Q(contribution__thread=thread)
    else:
        where = Q(contribution__thread__translation_key=translation_key)
    responses = response_through.objects.filter(where, outcomeresponse__page__live=True).values(
        "contribution_id",
        "outcomeresponse_id",
        page_id=F("outcomeresponse__page_id"),
        translation_key=F("outcomeresponse__page__translation_key"),
        language=F("outcomeresponse__page__locale__language_code"),
        title=F("outcomeresponse__theme"),
    )
    decisions = decision_through.objects.filter(where, decisionpage__live=True).values(
        "contribution_id",
        page_id=F("decisionpage_id"),
        translation_key=F("decisionpage__translation_key"),
        language=F("decisionpage__locale__language_code"),
        title=F("decisionpage__title"),
    )
    responses = list(responses.order_by("outcomeresponse__sort_order"))
    decisions = list(decisions)
    # Only pages anyone may read: live and under no view restriction (theirs or an ancestor's).
    pages = {
        page.pk: page
        for page in Page.objects.live()
        .public()
        .filter(pk__in={row["page_id"] for row in responses + decisions})
    }
    # One badge per outcome (its translations share a key), linking to the response in the
    # reader's language where there is one.
    response_rows = list(
        _in_language([row for row in responses if row["page_id"] in pages], language)
    )
    decision_rows = list(
        _in_language([row for row in decisions if row["page_id"] in pages], language)
    )
    out: dict[int, list[Citation]] = {}
    for row in response_rows:
        url = pages[row["page_id"]].url + f"#response-{row['outcomeresponse_id']}"
        out.setdefault(row["contribution_id"], []).append(Citation("response", row["title"], url))
    for row in decision_rows:
        out.setdefault(row["contribution_id"], []).append(
            Citation("decision", row["title"], pages[row["page_id"]].url)
        )
    return out


# --- Decisions ---------------------------------------------------------------------------------


def _milestone(*, first: bool):
    """A subquery on each decision's first or latest milestone (as ``history`` orders them)."""
    order = ("date", "position") if first else ("-date", "-position")
    return (
        DecisionMilestone.objects.filter(page=OuterRef("pk"))
        .annotate(position=Coalesce("sort_order", Value(0)))
        .order_by(*order)
    )


def decision_list(
    *,
    language: str | None = None,
    institution: str | None = None,
    status: str | None = None,
    year: int | None = None,
    topic: str | None = None,
) -> QuerySet[DecisionPage]:
    """Live, public decisions, most recently changed first. Filters are validated values."""
    queryset = (
        DecisionPage.objects.live()
        .public()
        .select_related("locale")
        .annotate(
            current_status=Coalesce(
                Subquery(_milestone(first=False).values("status")[:1]),
                Value(DecisionStatus.PROPOSED.value),
            ),
            first_date=Subquery(
                _milestone(first=True).values("date")[:1], output_field=DateField()
            ),
            last_date=Subquery(
                _milestone(first=False).values("date")[:1], output_field=DateField()
            ),
        )
        .annotate(
            year=Case(
                When(signed_on__isnull=False, then=ExtractYear("signed_on")),
                default=ExtractYear("first_date"),
                output_field=IntegerField(),
            )
        )
    )
    if language:
        queryset = queryset.filter(locale__language_code=language)
    if institution:
        paths = InstitutionPage.objects.filter(slug=institution).values_list("path", flat=True)
        path_q = Q()
        for path in paths:
            path_q |= Q(path__startswith=path)
        queryset = queryset.filter(path_q) if paths else queryset.none()
    if status:
        queryset = queryset.filter(current_status=status)
    if year:
        queryset = queryset.filter(year=year)
    if topic:
        tagged = DecisionPageTopic.objects.filter(tag__slug=topic)
        queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
    return queryset.order_by(F("last_date").desc(nulls_last=True), "-pk").prefetch_related(
        "topics"
    )


def decision_ancestors(decisions: list[DecisionPage]) -> dict:
    """For each decision's path: its outcome, consultation and institution (three queries)."""
    step = DecisionPage.steplen
    paths = {d.path: (d.path[:-step], d.path[: -2 * step], d.path[: -3 * step]) for d in decisions}
    if not paths:
        return {}
    outcomes = {
        p.path: p
        for p in OutcomePage.objects.live().filter(path__in={o for o, _c, _i in paths.values()})
    }
    consultations = {
        p.path: p
        for p in ConsultationPage.objects.live().filter(
            path__in={c for _o, c, _i in paths.values()}
        )
    }
    institutions = {
        p.path: p
        for p in InstitutionPage.objects.filter(path__in={i for _o, _c, i in paths.values()}).only(
            "id", "path", "slug", "title", "depth"
        )
    }
    return {
        path: (outcomes.get(o), consultations.get(c), institutions.get(i))
        for path, (o, c, i) in paths.items()
    }


# --- What the outcome and decision pages read --------------------------------------------------


def contributions_by_id(ids) -> dict:
    """Contributions with their author and thread: one query."""
    ids = set(ids)
    if not ids:
        return {}
    return {
        c.pk: c for c in Contribution.objects.filter(pk__in=ids).select_related("author", "thread")
    }


def contributions_by_response(response_ids) -> dict[int, list[Contribution]]:
    """{response id: the contributions it answers, with their author and thread}: one query."""
    out: dict[int, list[Contribution]] = {pk: [] for pk in response_ids}
    rows = OutcomeResponse.contributions.through.objects.filter(
        outcomeresponse_id__in=list(out)
    ).select_related("contribution__author", "contribution__thread")
    for row in rows:
        out[row.outcomeresponse_id].append(row.contribution)
    return out


def milestones_by_page(pages) -> dict[int, list[DecisionMilestone]]:
    """Each decision's milestones in the order they happened: one query."""
    out: dict[int, list[DecisionMilestone]] = {page.pk: [] for page in pages}
    for milestone in DecisionMilestone.objects.filter(page__in=[p.pk for p in pages]):
        out[milestone.page_id].append(milestone)
    for milestones in out.values():
        milestones.sort(key=lambda m: (m.date, m.sort_order or 0))
    return out


def participation_figures(*, consultation: ConsultationPage) -> tuple[dict, bool]:
    """The frozen statistics (snapshot) and False; or, before the outcome was first published
    (a preview), the statistics as they stand now and True: they are provisional."""
    snapshot = ParticipationSnapshot.objects.filter(
        consultation_key=consultation.translation_key
    ).first()
    if snapshot is not None:
        return snapshot.data, False
    return participation_statistics(consultation=consultation), True


# --- The home page -----------------------------------------------------------------------------


def outcomes_recent(*, language: str, limit: int) -> list[dict]:
    """The latest live, public outcomes in ``language``, each with its consultation: two
    queries, whatever their number."""
    outcomes = list(
        OutcomePage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:limit]
    )
    step = OutcomePage.steplen
    consultations = {
        page.path: page
        for page in ConsultationPage.objects.live()
        .filter(path__in={outcome.path[:-step] for outcome in outcomes})
        .only("id", "path", "url_path", "title", "depth")
    }
    return [
        {"page": outcome, "consultation": consultations.get(outcome.path[:-step])}
        for outcome in outcomes
    ]


def decisions_recent(*, language: str, limit: int) -> list[dict]:
    """The latest live, public decisions in ``language`` with their status and institution:
    five queries, whatever their number."""
    decisions = list(decision_list(language=language)[:limit])
    ancestors = decision_ancestors(decisions)
    labels = dict(DecisionStatus.choices)
    rows = []
    for decision in decisions:
        _outcome, consultation, institution = ancestors.get(decision.path, (None, None, None))
        rows.append(
            {
                "page": decision,
                "status": decision.current_status,
                "status_label": labels.get(decision.current_status, decision.current_status),
                "date": decision.last_date,
                "consultation": consultation,
                "institution": institution,
            }
        )
    return rows
