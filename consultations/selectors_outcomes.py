"""Reads for the public outcome and decision pages, in a fixed number of queries.

However many contributions a response or a decision cites, they are read in one query with
their authors and threads; each thread's URL is worked out once, not once per contribution.
Sections are named as the consultation names them in the page's language (threads and section
ids are shared by a consultation's translations). A cited contribution since hidden or refused
by moderation is counted, never shown.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consultations.models import (
    ConsultationPage,
    DecisionMilestone,
    DecisionPage,
    DecisionStatus,
    OutcomePage,
    OutcomeResponse,
    ParticipationSnapshot,
    ResponseStatus,
)

EXCERPT_CHARS = 280


# --- What the pages show --------------------------------------------------------------------


@dataclass(frozen=True)
class SectionLink:
    id: str
    number: int
    heading: str
    url: str


@dataclass(frozen=True)
class CitedContribution:
    pk: int
    author_name: str
    section: str  # the section's number and heading, or "Whole consultation"
    excerpt: str
    url: str
    created_at: datetime.datetime
    language: str  # what the citizen wrote in ("" when unknown)

    @property
    def anchor(self) -> str:
        return f"contribution-{self.pk}"


@dataclass
class Citations:
    """The contributions one response or decision cites, as the public may see them."""

    shown: list[CitedContribution] = field(default_factory=list)
    removed: int = 0  # cited, then hidden or refused by moderation


@dataclass
class ResponseView:
    response: OutcomeResponse
    status_label: str
    sections: list[SectionLink]
    citations: Citations

    @property
    def anchor(self) -> str:
        return self.response.anchor


@dataclass
class DecisionSummary:
    page: DecisionPage
    url: str
    status: str
    status_label: str
    reference: str
    jort_reference: str


@dataclass(frozen=True)
class Milestone:
    status: str
    status_label: str
    date: datetime.date
    when: str  # the date as written in the page's language
    note: str


@dataclass(frozen=True)
class ResponseLink:
    theme: str
    status_label: str
    url: str


# --- Shared pieces ---------------------------------------------------------------------------


class _Context:
    """The consultation a page answers, in the page's language, and what naming its sections
    and linking into its threads needs (no query after construction)."""

    def __init__(self, consultation: ConsultationPage, request):
        from deliberation.selectors import thread_url

        self.consultation = consultation
        self.url = consultation.get_url(request) or ""
        self.sections = {section.id: section for section in consultation.sections}
        self._thread_url = thread_url
        self._thread_urls: dict[int, str] = {}

    def section_links(self, section_ids) -> list[SectionLink]:
        links = []
        for section_id in section_ids or []:
            section = self.sections.get(section_id)
            if section is not None:
                links.append(
                    SectionLink(
                        section.id, section.number, section.heading, f"{self.url}#{section.anchor}"
                    )
                )
        return sorted(links, key=lambda link: link.number)

    def section_label(self, section_id: str) -> str:
        if not section_id:
            return _("Whole consultation")
        section = self.sections.get(section_id)
        if section is None:
            return _("A section since removed from the draft")
        return f"{section.number}. {section.heading}"

    def statistics_section_label(self, section_id: str, heading: str = "") -> str:
        """A section of the statistics: named as now, or as it was if since removed."""
        if section_id and section_id not in self.sections and heading:
            return _("%(heading)s (since removed from the draft)") % {"heading": heading}
        return self.section_label(section_id)

    def thread_base_url(self, thread) -> str:
        if thread.pk not in self._thread_urls:
            url = self._thread_url(thread, page=self.consultation).split("#")[0]
            self._thread_urls[thread.pk] = url
        return self._thread_urls[thread.pk]

    def citations(self, contributions) -> Citations:
        from deliberation.models import Status

        out = Citations()
        for contribution in sorted(contributions, key=lambda c: (c.created_at, c.pk)):
            if contribution.status != Status.PUBLISHED:
                out.removed += 1
                continue
            out.shown.append(
                CitedContribution(
                    pk=contribution.pk,
                    author_name=contribution.author.display_name,
                    section=self.section_label(contribution.thread.section_id),
                    excerpt=Truncator(contribution.body).chars(EXCERPT_CHARS),
                    url=f"{self.thread_base_url(contribution.thread)}#contribution-{contribution.pk}",
                    created_at=contribution.created_at,
                    language=contribution.language,
                )
            )
        return out


def _contributions_by_id(ids) -> dict:
    """Contributions with their author and thread: one query."""
    from deliberation.models import Contribution

    ids = set(ids)
    if not ids:
        return {}
    return {
        c.pk: c for c in Contribution.objects.filter(pk__in=ids).select_related("author", "thread")
    }


def _milestones_by_page(pages) -> dict[int, list[DecisionMilestone]]:
    """Each decision's milestones in the order they happened: one query."""
    out: dict[int, list[DecisionMilestone]] = {page.pk: [] for page in pages}
    for milestone in DecisionMilestone.objects.filter(page__in=[p.pk for p in pages]):
        out[milestone.page_id].append(milestone)
    for milestones in out.values():
        milestones.sort(key=lambda m: (m.date, m.sort_order or 0))
    return out


def _status(milestones) -> str:
    return milestones[-1].status if milestones else DecisionStatus.PROPOSED


def _status_label(status: str, choices) -> str:
    try:
        return str(choices(status).label)
    except ValueError:
        return status


def _is_preview(request, page) -> bool:
    """A preview renders the editor's unsaved form: its children live in memory."""
    return bool(getattr(request, "is_preview", False)) or page.pk is None


# --- Outcome -----------------------------------------------------------------------------------


def outcome_responses(*, outcome: OutcomePage, context: _Context, preview: bool) -> list[ResponseView]:
    """The outcome's responses with the sections they concern and the contributions they
    answer. Two queries (responses, cited contributions), one more in a preview."""
    responses = list(outcome.responses.all())
    responses.sort(key=lambda r: r.sort_order if r.sort_order is not None else 0)
    if preview:
        cited_ids = [[c.pk for c in response.contributions.all()] for response in responses]
        by_id = _contributions_by_id(pk for ids in cited_ids for pk in ids)
        cited = [[by_id[pk] for pk in ids if pk in by_id] for ids in cited_ids]
    else:
        through = OutcomeResponse.contributions.through
        per_response: dict[int, list] = {response.pk: [] for response in responses}
        rows = through.objects.filter(outcomeresponse_id__in=list(per_response)).select_related(
            "contribution__author", "contribution__thread"
        )
        for row in rows:
            per_response[row.outcomeresponse_id].append(row.contribution)
        cited = [per_response[response.pk] for response in responses]
    return [
        ResponseView(
            response=response,
            status_label=_status_label(response.status, ResponseStatus),
            sections=context.section_links(response.section_ids),
            citations=context.citations(contributions),
        )
        for response, contributions in zip(responses, cited)
    ]


def outcome_decisions(*, outcome: OutcomePage, request) -> list[DecisionSummary]:
    """The outcome's live, public decisions in tree order: two queries."""
    if outcome.pk is None:
        return []
    decisions = list(DecisionPage.objects.child_of(outcome).live().public().order_by("path"))
    milestones = _milestones_by_page(decisions)
    out = []
    for decision in decisions:
        status = _status(milestones[decision.pk])
        out.append(
            DecisionSummary(
                page=decision,
                url=decision.get_url(request),
                status=status,
                status_label=_status_label(status, DecisionStatus),
                reference=decision.official_reference,
                jort_reference=decision.jort_reference,
            )
        )
    return out


def participation_figures(*, consultation: ConsultationPage) -> tuple[dict, bool]:
    """The frozen statistics (snapshot) and False; or, before the outcome was first published
    (a preview), the statistics as they stand now and True: they are provisional."""
    snapshot = ParticipationSnapshot.objects.filter(
        consultation_key=consultation.translation_key
    ).first()
    if snapshot is not None:
        return snapshot.data, False
    from consultations.statistics import participation_statistics

    return participation_statistics(consultation=consultation), True


def governorate_rows(statistics: dict) -> list[tuple[str, int]]:
    """(governorate name, contributors), the most first; "Not given" for accounts without."""
    from accounts.governorates import Governorate

    rows = []
    for row in statistics.get("governorates", []):
        code = row["code"]
        label = _status_label(code, Governorate) if code else _("Not given")
        rows.append((label, row["contributors"]))
    return rows


def moderation_rows(statistics: dict) -> dict:
    """Per reason (label in the page's language): how many contributions moderators removed
    and how many they did not publish, with the totals."""
    from deliberation.models import Reason

    moderation = statistics.get("moderation", {})
    hidden, rejected = moderation.get("hidden", {}), moderation.get("rejected", {})
    reasons = sorted(
        set(hidden) | set(rejected),
        key=lambda reason: (-(hidden.get(reason, 0) + rejected.get(reason, 0)), reason),
    )
    return {
        "rows": [
            (
                _status_label(reason, Reason) if reason else _("No reason given"),
                hidden.get(reason, 0),
                rejected.get(reason, 0),
            )
            for reason in reasons
        ],
        "hidden_total": sum(hidden.values()),
        "rejected_total": sum(rejected.values()),
    }


def outcome_view(*, outcome: OutcomePage, request) -> dict:
    """Everything the outcome page shows, in a fixed number of queries."""
    from cms.l10n import format_day

    consultation = outcome.consultation
    context = _Context(consultation, request)
    statistics, provisional = participation_figures(consultation=consultation)
    time_zone = consultation.institution.time_zone
    taken_at = datetime.datetime.fromisoformat(statistics["taken_at"]).astimezone(
        ZoneInfo(time_zone)
    )
    return {
        "consultation": consultation,
        "consultation_url": context.url,
        "institution": consultation.institution,
        "phase": consultation.phase,
        "responses": outcome_responses(
            outcome=outcome, context=context, preview=_is_preview(request, outcome)
        ),
        "decisions": outcome_decisions(outcome=outcome, request=request),
        "statistics": statistics,
        "provisional": provisional,
        "taken_at": taken_at,
        "taken_on": format_day(taken_at.date()),
        "time_zone": time_zone,
        "governorates": governorate_rows(statistics),
        "moderation": moderation_rows(statistics),
        "section_label": context.statistics_section_label,
    }


# --- Decision ---------------------------------------------------------------------------------


def decision_responses(
    *, decision: DecisionPage, outcome: OutcomePage | None, request, preview: bool
) -> list[ResponseLink]:
    """The responses a decision rests on, linked on their outcome, in order. A translated
    decision names its own outcome's (``outcomes.decision_translation_relink``). One query
    when they all stand on ``outcome``, two otherwise."""
    cited = list(decision.responses.all())
    if preview:
        cited = list(OutcomeResponse.objects.filter(pk__in=[r.pk for r in cited]))
    if not cited:
        return []
    elsewhere = {r.page_id for r in cited if outcome is None or r.page_id != outcome.pk}
    pages = {page.pk: page for page in OutcomePage.objects.filter(pk__in=elsewhere)} if elsewhere else {}
    if outcome is not None:
        pages[outcome.pk] = outcome
    links = []
    for response in sorted(cited, key=lambda r: (r.sort_order or 0, r.pk)):
        page = pages.get(response.page_id)
        base = (page.get_url(request) or "") if page is not None else ""
        links.append(
            ResponseLink(
                response.theme,
                _status_label(response.status, ResponseStatus),
                f"{base}#{response.anchor}",
            )
        )
    return links


def decision_view(*, decision: DecisionPage, request) -> dict:
    """Everything the decision page shows, in a fixed number of queries."""
    from cms.l10n import format_day

    preview = _is_preview(request, decision)
    consultation = decision.consultation
    context = _Context(consultation, request)
    outcome = OutcomePage.objects.ancestor_of(decision).first()
    history = sorted(decision.milestones.all(), key=lambda m: (m.date, m.sort_order or 0))
    status = _status(history)
    if preview:
        contributions = list(
            _contributions_by_id(c.pk for c in decision.contributions.all()).values()
        )
    else:
        contributions = list(decision.contributions.all().select_related("author", "thread"))
    documents = decision.documents.all()
    if not preview:
        documents = documents.select_related("document")
    return {
        "consultation": consultation,
        "consultation_url": context.url,
        "outcome": outcome,
        "outcome_url": outcome.get_url(request) if outcome is not None else "",
        "status": status,
        "status_label": _status_label(status, DecisionStatus),
        "milestones": [
            Milestone(
                m.status, _status_label(m.status, DecisionStatus), m.date, format_day(m.date), m.note
            )
            for m in history
        ],
        "reference": decision.official_reference,
        "signed_on": format_day(decision.signed_on) if decision.signed_on else "",
        "documents": list(documents),
        "response_links": decision_responses(
            decision=decision, outcome=outcome, request=request, preview=preview
        ),
        "citations": context.citations(contributions),
        "sections": context.section_links(decision.section_ids),
    }
