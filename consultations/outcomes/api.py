"""``/api/decisions/``: the public decisions taken after consultations, and the trace of each
one back to the responses, contributions and draft sections it rests on. Documented in
/api/openapi.json.

Only live pages nobody restricted are shown. The list answers in the same number of queries
whatever the number of decisions (each page of them is read in bulk: milestones, topics,
outcomes, consultations and institutions in one query each); the detail whatever the number of
contributions a decision cites. A cited contribution since hidden or refused by moderation
never appears.
"""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from accounts.names import author_name
from citizen_ideas.links import idea_url
from citizen_ideas.models import IdeaStatus
from cms.pagination import BoundedPageNumberPagination
from consultations.api import PAGE_ID_MAX
from consultations.models import ConsultationPage
from consultations.outcomes.models import DecisionPage, DecisionStatus
from consultations.outcomes.presentation import cited_ideas
from consultations.outcomes.selectors import decision_ancestors, decision_list
from deliberation.models import Status
from deliberation.selectors import thread_url

router = Router(tags=["decisions"])

EXCERPT_CHARS = 280


# --- Schemas -----------------------------------------------------------------------------------


class InstitutionOut(Schema):
    id: int
    slug: str
    title: str


class ConsultationLinkOut(Schema):
    id: int
    title: str
    url: str


class DecisionOut(Schema):
    id: int
    title: str
    slug: str
    url: str
    language: str
    institution: InstitutionOut | None
    consultation: ConsultationLinkOut | None = Field(description="The consultation it follows")
    outcome_url: str | None = Field(description="The published outcome of that consultation")
    status: str = Field(description="Latest status: " + ", ".join(DecisionStatus.values))
    status_label: str = Field(description="The status in the request's language")
    reference_kind: str | None = Field(
        description="Kind of act: law, decree, order, municipal or other"
    )
    reference_number: str | None
    official_reference: str | None = Field(
        description="Kind and number, in the request's language (for example: Decree 2026-412)"
    )
    jort_reference: str | None = Field(description="Official Journal (JORT) issue and page")
    signed_on: datetime.date | None
    year: int | None = Field(
        description="Year it was signed, or of its first milestone when not signed yet"
    )
    summary: str
    topics: list[str] = Field(description="Topic slugs")


class MilestoneOut(Schema):
    status: str
    date: datetime.date
    note: str


class ResponseOut(Schema):
    id: int
    theme: str
    status: str = Field(
        description="adopted, partly_adopted, not_adopted, outside_scope or further_study"
    )
    url: str = Field(description="The response on the outcome page")


class CitedContributionOut(Schema):
    id: int
    url: str = Field(description="The contribution in its thread")
    author: str = Field(description="The author's display name")
    excerpt: str = Field(description="The beginning of the text, as plain text")
    section_id: str | None = Field(
        description="Draft section the contribution's thread is about (none: the whole "
        "consultation)"
    )
    thread: str = Field(description="Key of its thread: /api/threads/{thread}/contributions/")


class CitedIdeaOut(Schema):
    id: int = Field(description="The idea: /api/ideas/{id}/")
    title: str
    status: str = Field(description="The idea's status: " + ", ".join(IdeaStatus.values))
    url: str = Field(description="The idea's page")
    author: str = Field(description="The author's display name")
    contribution: int = Field(description="The contribution that is the idea's text")
    excerpt: str = Field(description="The beginning of the text, as plain text")


class SectionLinkOut(Schema):
    id: str = Field(description="Stable block id of the draft section")
    heading: str
    anchor: str = Field(description="Fragment of the section on the consultation page")


class DecisionDetailOut(DecisionOut):
    body_html: str
    milestones: list[MilestoneOut] = Field(description="Status history, oldest first")
    responses: list[ResponseOut] = Field(description="Outcome responses it follows from")
    contributions: list[CitedContributionOut] = Field(
        description="Published contributions it rests on (besides the ideas)"
    )
    ideas: list[CitedIdeaOut] = Field(
        description="Citizens' ideas it rests on (each cited through the contribution that "
        "is its text)"
    )
    sections: list[SectionLinkOut] = Field(description="Draft sections it concerns")


class DecisionFilters(Schema):
    institution: str | None = Field(None, description="Institution slug")
    status: str | None = Field(
        None,
        description="Latest status (empty: any; another value is a 400)",
        json_schema_extra={"enum": ["", *DecisionStatus.values]},
    )
    year: int | None = Field(
        None,
        ge=1,
        le=9999,
        description="Year it was signed (or of its first milestone when not signed yet)",
    )
    topic: str | None = Field(None, description="Topic slug")
    language: str | None = Field(
        None,
        description="Language of the decisions (empty: any; another value is a 400)",
        json_schema_extra={"enum": ["", *(code for code, _name in settings.LANGUAGES)]},
    )


class Error(Schema):
    detail: str


def _url(page: Page | None, request: HttpRequest) -> str | None:
    if page is None:
        return None
    url = page.get_url(request)
    return request.build_absolute_uri(url) if url else None


def _out(decision: DecisionPage, ancestors: tuple, request: HttpRequest) -> dict:
    outcome, consultation, institution = ancestors
    status = decision.current_status
    return {
        "id": decision.pk,
        "title": decision.title,
        "slug": decision.slug,
        "url": _url(decision, request),
        "language": decision.locale.language_code,
        "institution": (
            {"id": institution.pk, "slug": institution.slug, "title": institution.title}
            if institution
            else None
        ),
        "consultation": (
            {"id": consultation.pk, "title": consultation.title, "url": _url(consultation, request)}
            if consultation
            else None
        ),
        "outcome_url": _url(outcome, request),
        "status": status,
        "status_label": str(DecisionStatus(status).label),
        "reference_kind": decision.reference_kind or None,
        "reference_number": decision.reference_number or None,
        "official_reference": decision.official_reference or None,
        "jort_reference": decision.jort_reference or None,
        "signed_on": decision.signed_on,
        "year": decision.year,
        "summary": decision.summary,
        "topics": sorted(tag.slug for tag in decision.topics.all()),
    }


class _DecisionPage:
    """What the paginator slices: a page of decisions is read and turned into output in
    bulk, never one decision at a time."""

    def __init__(self, queryset: QuerySet[DecisionPage], request: HttpRequest):
        self.queryset = queryset
        self.request = request

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        decisions = list(self.queryset[window])
        ancestors = decision_ancestors(decisions)
        return [_out(d, ancestors[d.path], self.request) for d in decisions]


def _responses(decision: DecisionPage, request) -> list[dict]:
    """The live responses the decision follows from, in order (a translated decision names
    its own outcome's: ``services.decision_translation_relink``). One query."""
    cited = decision.responses.filter(page__live=True).select_related("page").order_by(
        "sort_order", "pk"
    )
    return [
        {
            "id": response.pk,
            "theme": response.theme,
            "status": response.status,
            "url": f"{_url(response.page, request) or ''}#{response.anchor}",
        }
        for response in cited
    ]


def _contributions(
    decision: DecisionPage, consultation: ConsultationPage | None, request
) -> tuple[list[dict], list[dict]]:
    """The published contributions the decision rests on, linked into their threads on the
    consultation in the decision's language, and apart, the citizens' ideas among them (those
    that are an idea's text): two queries."""
    contributions = list(
        decision.contributions.filter(status=Status.PUBLISHED)
        .select_related("author", "thread")
        .order_by("created_at", "pk")
    )
    ideas = cited_ideas(c.pk for c in contributions)
    bases: dict[int, str] = {}
    out, idea_out = [], []
    for contribution in contributions:
        idea = ideas.get(contribution.pk)
        if idea is not None:
            idea_out.append(
                {
                    "id": idea.pk,
                    "title": idea.title,
                    "status": idea.status,
                    "url": request.build_absolute_uri(
                        idea_url(idea, decision.locale.language_code)
                    ),
                    "author": author_name(contribution.author),
                    "contribution": contribution.pk,
                    "excerpt": Truncator(contribution.body).chars(EXCERPT_CHARS),
                }
            )
            continue
        thread = contribution.thread
        if thread.pk not in bases:
            base = thread_url(thread, page=consultation) if consultation else ""
            bases[thread.pk] = request.build_absolute_uri(base.split("#")[0]) if base else ""
        out.append(
            {
                "id": contribution.pk,
                "url": f"{bases[thread.pk]}#contribution-{contribution.pk}",
                "author": author_name(contribution.author),
                "excerpt": Truncator(contribution.body).chars(EXCERPT_CHARS),
                "section_id": thread.section_id or None,
                "thread": thread.key,
            }
        )
    return out, idea_out


# --- Endpoints ---------------------------------------------------------------------------------


@router.get(
    "/decisions/",
    response={200: list[DecisionOut], 400: Error},
    summary="List published decisions taken after consultations",
    description=(
        "Most recently changed first. `year` is the year of signature, or of the first "
        "milestone for a decision not signed yet."
    ),
)
@paginate(BoundedPageNumberPagination, page_size=20)
def list_decisions(request, filters: Query[DecisionFilters]):
    if filters.status and filters.status not in DecisionStatus.values:
        raise HttpError(400, _("status: unknown status “%(value)s”.") % {"value": filters.status})
    languages = [code for code, _name in settings.LANGUAGES]
    if filters.language and filters.language not in languages:
        raise HttpError(
            400, _("language: unknown language “%(value)s”.") % {"value": filters.language}
        )
    queryset = decision_list(
        language=filters.language,
        institution=filters.institution,
        status=filters.status,
        year=filters.year,
        topic=filters.topic,
    )
    return _DecisionPage(queryset, request)


@router.get(
    "/decisions/{decision_id}/",
    response={200: DecisionDetailOut, 404: Error},
    summary="One decision, with what it rests on",
    description=(
        "The trace of a decision: its official reference and status history, the outcome "
        "responses it follows from, the published contributions it rests on (each linked "
        "into its thread) and the draft sections it concerns."
    ),
)
def get_decision(request, decision_id: int = Path(..., ge=1, le=PAGE_ID_MAX)):
    decision = get_object_or_404(decision_list(), pk=decision_id)
    ancestors = decision_ancestors([decision])[decision.path]
    _outcome, consultation, _institution = ancestors
    sections = {section.id: section for section in consultation.sections} if consultation else {}
    contributions, ideas = _contributions(decision, consultation, request)
    return {
        **_out(decision, ancestors, request),
        "body_html": expand_db_html(decision.body),
        "milestones": [
            {"status": m.status, "date": m.date, "note": m.note} for m in decision.history
        ],
        "responses": _responses(decision, request),
        "contributions": contributions,
        "ideas": ideas,
        "sections": [
            {"id": section.id, "heading": section.heading, "anchor": section.anchor}
            for section in (sections.get(section_id) for section_id in decision.section_ids or [])
            if section is not None
        ],
    }
