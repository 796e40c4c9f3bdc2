"""What the public outcome and decision pages show, as plain data: the consultation they
answer (naming its sections, linking into its threads), the contributions they cite, and the
participation statistics as rows.

However many contributions a response or a decision cites, they are read in one query with
their authors and threads; each thread's URL is worked out once, not once per contribution.
Sections are named as the consultation names them in the page's language (threads and section
ids are shared by a consultation's translations). A cited contribution since hidden or refused
by moderation is counted, never shown.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.governorates import Governorate
from accounts.names import author_name as shown_author
from citizen_ideas.links import idea_url
from citizen_ideas.models import Idea, IdeaStatus
from cms.disclosure import Count
from consultations.models import ConsultationPage
from consultations.outcomes.models import DecisionPage, DecisionStatus, OutcomeResponse
from deliberation.models import Reason, Status
from deliberation.selectors import thread_url

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


@dataclass(frozen=True)
class CitedIdea:
    """A citizen's idea cited (through the contribution that is its text), shown apart from
    the other contributions."""

    pk: int
    contribution_pk: int
    title: str
    status: str
    status_label: str
    author_name: str
    excerpt: str
    url: str  # the idea's page
    language: str


@dataclass
class Citations:
    """The contributions one response or decision cites, as the public may see them: the
    citizens' ideas apart."""

    shown: list[CitedContribution] = field(default_factory=list)
    removed: int = 0  # cited, then hidden or refused by moderation
    ideas: list[CitedIdea] = field(default_factory=list)


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


class ConsultationContext:
    """The consultation a page answers, in the page's language, and what naming its sections
    and linking into its threads needs (no query after construction)."""

    def __init__(self, consultation: ConsultationPage, request):
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
        contributions = sorted(contributions, key=lambda c: (c.created_at, c.pk))
        ideas = cited_ideas(c.pk for c in contributions if c.status == Status.PUBLISHED)
        out = Citations()
        for contribution in contributions:
            if contribution.status != Status.PUBLISHED:
                out.removed += 1
                continue
            idea = ideas.get(contribution.pk)
            if idea is not None:
                out.ideas.append(
                    CitedIdea(
                        pk=idea.pk,
                        contribution_pk=contribution.pk,
                        title=idea.title,
                        status=idea.status,
                        status_label=choice_label(idea.status, IdeaStatus),
                        author_name=shown_author(contribution.author),
                        excerpt=Truncator(contribution.body).chars(EXCERPT_CHARS),
                        url=idea_url(idea),
                        language=contribution.language,
                    )
                )
                continue
            out.shown.append(
                CitedContribution(
                    pk=contribution.pk,
                    author_name=shown_author(contribution.author),
                    section=self.section_label(contribution.thread.section_id),
                    excerpt=Truncator(contribution.body).chars(EXCERPT_CHARS),
                    url=f"{self.thread_base_url(contribution.thread)}#contribution-{contribution.pk}",
                    created_at=contribution.created_at,
                    language=contribution.language,
                )
            )
        return out


def cited_ideas(contribution_ids) -> dict[int, Idea]:
    """{contribution id: the idea it is the text of} among ``contribution_ids``: one query
    (none when there are none)."""
    ids = list(contribution_ids)
    if not ids:
        return {}
    return {idea.opening_id: idea for idea in Idea.objects.filter(opening_id__in=ids)}


def latest_status(milestones) -> str:
    return milestones[-1].status if milestones else DecisionStatus.PROPOSED


def choice_label(status: str, choices) -> str:
    try:
        return str(choices(status).label)
    except ValueError:
        return status


def is_preview(request, page) -> bool:
    """A preview renders the editor's unsaved form: its children live in memory."""
    return bool(getattr(request, "is_preview", False)) or page.pk is None


# --- Participation statistics ----------------------------------------------------------------


def governorate_rows(governorates: list) -> list[tuple[str, Count]]:
    """(governorate name, contributors) from ``participation_published``: the counts shown,
    the most first; then the hidden ones by name, never in the order of their counts (which
    would tell them apart). "Not given" for accounts without."""
    rows = [
        (choice_label(code, Governorate) if code else _("Not given"), count)
        for code, count in governorates
    ]
    shown = sorted((row for row in rows if row[1].shown), key=lambda row: (-row[1].value, row[0]))
    hidden = sorted((row for row in rows if not row[1].shown), key=lambda row: row[0])
    return shown + hidden


def moderation_rows(statistics: dict) -> dict:
    """Per reason (label in the page's language): how many contributions moderators removed
    and how many they did not publish, with the totals."""
    moderation = statistics.get("moderation", {})
    hidden, rejected = moderation.get("hidden", {}), moderation.get("rejected", {})
    reasons = sorted(
        set(hidden) | set(rejected),
        key=lambda reason: (-(hidden.get(reason, 0) + rejected.get(reason, 0)), reason),
    )
    return {
        "rows": [
            (
                choice_label(reason, Reason) if reason else _("No reason given"),
                hidden.get(reason, 0),
                rejected.get(reason, 0),
            )
            for reason in reasons
        ],
        "hidden_total": sum(hidden.values()),
        "rejected_total": sum(rejected.values()),
    }
