"""``/api/ideas/``: citizens' ideas as the public reads them, and supporting one. Documented
in /api/openapi.json (docs/api.md, Ideas).

Only published ideas (their text not awaiting moderation, refused or hidden) sent to a page
anyone may read are listed or shown; the others are a 404, as if they did not exist. The list
answers in the same number of queries whatever the number of ideas. Supporting and withdrawing
need the session and its CSRF token, like posting a contribution; they call the services of
the idea's page (``services.idea_support``), which apply its phase and participation rule.
"""

import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from wagtail.models import Page

from accounts.names import author_name
from accounts.ratelimits import client_ip
from accounts.refusals import Refusal
from citizen_ideas.links import idea_url
from citizen_ideas.models import Idea, IdeaStatus, IdeaStatusChange
from citizen_ideas.selectors import ORDERINGS, supported_by
from citizen_ideas.selectors_trace import ideas_citations
from citizen_ideas.services import idea_support, idea_support_withdraw
from cms.pagination import BoundedPageNumberPagination

router = Router(tags=["ideas"])

ID_MAX = 2**31 - 1
EXCERPT_CHARS = 280
# (Literal types: the document lists the values, and ninja refuses another one with a 422.)
STATUS_VALUES = Literal[("", *IdeaStatus.values)]
SORT_VALUES = Literal[("", *ORDERINGS)]


# --- Schemas -----------------------------------------------------------------------------------


class PlaceOut(Schema):
    id: int
    slug: str
    title: str


class CitedInOut(Schema):
    kind: str = Field(description="response (in a published outcome) or decision")
    title: str = Field(description="The response's theme or the decision's title")
    url: str


class IdeaOut(Schema):
    id: int
    title: str
    url: str = Field(description="The idea's page")
    language: str = Field(description="What the citizen wrote in (empty when unknown)")
    author: str = Field(description="The author's display name")
    excerpt: str = Field(description="The beginning of the text, as plain text")
    institution: PlaceOut
    consultation: PlaceOut | None = Field(description="The consultation it was sent within")
    topic: PlaceOut | None = Field(description="The forum topic it was sent within")
    status: str = Field(description="received, under_study, accepted, rejected or implemented")
    status_label: str = Field(description="The status in the request's language")
    status_reason: str = Field(description="The institution's reason for the status")
    status_changed_at: datetime.datetime | None
    support_count: int
    created_at: datetime.datetime


class StatusChangeOut(Schema):
    status: str
    status_label: str
    reason: str
    changed_at: datetime.datetime


class AttachmentOut(Schema):
    name: str = Field(description="The file's name, as the citizen gave it")
    content_type: str = Field(description="application/pdf, image/jpeg or image/png (from its bytes)")
    size: int = Field(description="In bytes")
    url: str = Field(description="Where to download it")


class IdeaDetailOut(IdeaOut):
    body: str = Field(description="The whole text, as the citizen wrote it (plain text)")
    thread: str = Field(
        description="Key of its discussion: /api/threads/{thread}/contributions/ (the first "
        "contribution is the idea's text)"
    )
    status_history: list[StatusChangeOut] = Field(description="Statuses given, oldest first")
    cited_in: list[CitedInOut] = Field(
        description="Outcome responses and decisions that rest on it (an accepted or "
        "implemented idea only)"
    )
    supported: bool = Field(description="Whether the signed-in account supports it")
    attachments: list[AttachmentOut] = Field(description="Files given with the idea")


class SupportOut(Schema):
    id: int
    support_count: int
    supported: bool


class ErrorOut(Schema):
    code: str = Field(description="not_found, invalid, conflict, forbidden or rate_limited")
    message: str = Field(description="For the person, in the request's language")


class DetailOut(Schema):
    detail: str = Field(description="django-ninja's own: Unauthorized, CSRF check Failed")


class IdeaFilters(Schema):
    institution: str | None = Field(None, description="Institution slug (any of its translations)")
    consultation: int | None = Field(
        None, ge=1, le=ID_MAX, description="Consultation page id (any of its translations)"
    )
    topic: int | None = Field(
        None, ge=1, le=ID_MAX, description="Forum topic page id (any of its translations)"
    )
    status: STATUS_VALUES = Field("", description="Only ideas with this status (empty: any)")
    sort: SORT_VALUES = Field(
        "",
        description="support (most supported first, the default), newest, or answered "
        "(most recently given a status first)",
    )


# --- Reads -------------------------------------------------------------------------------------


def public_ideas() -> QuerySet[Idea]:
    """Published ideas sent to a page anyone may read (live, no view restriction)."""
    return Idea.objects.public()


def _place(page) -> dict | None:
    if page is None:
        return None
    return {"id": page.pk, "slug": page.slug, "title": page.title}


def _out(idea: Idea, request: HttpRequest) -> dict:
    return {
        "id": idea.pk,
        "title": idea.title,
        "url": request.build_absolute_uri(idea_url(idea)),
        "language": idea.opening.language,
        "author": author_name(idea.author),
        "excerpt": Truncator(idea.opening.body).chars(EXCERPT_CHARS),
        "institution": _place(idea.institution),
        "consultation": _place(idea.consultation),
        "topic": _place(idea.topic),
        "status": idea.status,
        "status_label": str(IdeaStatus(idea.status).label),
        "status_reason": idea.status_reason,
        "status_changed_at": idea.status_changed_at,
        "support_count": idea.support_count,
        "created_at": idea.created_at,
    }


def _filtered(filters: IdeaFilters) -> QuerySet[Idea]:
    ideas = public_ideas()
    if filters.institution:
        ideas = ideas.filter(
            institution__translation_key__in=Page.objects.filter(
                slug=filters.institution
            ).values("translation_key")
        )
    if filters.consultation:
        ideas = ideas.filter(
            consultation__translation_key__in=Page.objects.filter(
                pk=filters.consultation
            ).values("translation_key")
        )
    if filters.topic:
        ideas = ideas.filter(
            topic__translation_key__in=Page.objects.filter(pk=filters.topic).values(
                "translation_key"
            )
        )
    if filters.status in IdeaStatus.values:
        ideas = ideas.filter(status=filters.status)
    sort = filters.sort if filters.sort in ORDERINGS else "support"
    return ideas.select_related(
        "author", "opening", "institution", "consultation", "topic"
    ).order_by(*ORDERINGS[sort])


class _IdeaPage:
    """What the paginator slices: a page of ideas read in one query."""

    def __init__(self, queryset: QuerySet[Idea], request: HttpRequest):
        self.queryset = queryset
        self.request = request

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [_out(idea, self.request) for idea in self.queryset[window]]


def _public_idea(idea_id: int) -> Idea | None:
    return (
        public_ideas()
        .select_related("author", "opening", "institution", "consultation", "topic", "thread__page")
        .filter(pk=idea_id)
        .first()
    )


def _not_found() -> Status:
    return Status(404, {"code": "not_found", "message": _("This idea does not exist.")})


def _refused(error: Refusal, response: HttpResponse) -> Status:
    if getattr(error, "retry_after", None):
        response["Retry-After"] = str(error.retry_after)
    # Supporting twice, or withdrawing a support never given: the request conflicts with
    # what the account already did.
    if error.field == "support":
        return Status(409, {"code": "conflict", "message": error.message})
    return Status(error.status, {"code": error.code, "message": error.message})


# --- Endpoints ---------------------------------------------------------------------------------


@router.get(
    "/ideas/",
    response={200: list[IdeaOut]},
    summary="List citizens' ideas",
    description=(
        "Published ideas sent to public pages, most supported first (or `sort`). An unknown "
        "institution, consultation or topic lists nothing."
    ),
)
@paginate(BoundedPageNumberPagination, page_size=20)
def list_ideas(request, filters: Query[IdeaFilters]):
    return _IdeaPage(_filtered(filters), request)


@router.get(
    "/ideas/{idea_id}/",
    response={200: IdeaDetailOut, 404: ErrorOut},
    summary="One idea, with its status history and where it was used",
)
def get_idea(request, idea_id: int = Path(..., ge=1, le=ID_MAX)):
    idea = _public_idea(idea_id)
    if idea is None:
        return _not_found()
    history = IdeaStatusChange.objects.filter(idea=idea).order_by("changed_at", "pk")
    citations = ideas_citations([idea], language=get_language()).get(idea.pk, [])
    return Status(
        200,
        {
            **_out(idea, request),
            "body": idea.opening.body,
            "thread": idea.thread.key,
            "status_history": [
                {
                    "status": change.status,
                    "status_label": str(IdeaStatus(change.status).label),
                    "reason": change.reason,
                    "changed_at": change.changed_at,
                }
                for change in history
            ],
            "cited_in": [
                {"kind": c.kind, "title": c.title, "url": request.build_absolute_uri(c.url)}
                for c in citations
            ],
            "supported": supported_by(request.user, idea),
            "attachments": [
                {
                    "name": item.name,
                    "content_type": item.content_type,
                    "size": item.size,
                    "url": request.build_absolute_uri(
                        reverse("citizen_ideas:attachment", args=[idea.pk, item.pk])
                    ),
                }
                for item in idea.attachments.all()
            ],
        },
    )


SUPPORT_RESPONSES = {
    200: SupportOut,
    401: DetailOut,
    403: ErrorOut | DetailOut,
    404: ErrorOut,
    409: ErrorOut,
    429: ErrorOut,
}
RETRY_AFTER = {
    "responses": {
        429: {
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again",
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        }
    }
}


@router.post(
    "/ideas/{idea_id}/support/",
    auth=django_auth,
    response=SUPPORT_RESPONSES,
    summary="Support an idea (session and CSRF token required)",
    description=(
        "One support per account. 200 with the new count; 409 `conflict` when the account "
        "already supports it; 403 `forbidden` when the idea's page does not let the account "
        "take part (its phase or participation rule; a missing or wrong CSRF token is ninja's "
        "`{\"detail\": \"CSRF check Failed\"}`); 404 unknown idea; 429 too fast (with "
        "`Retry-After`)."
    ),
    openapi_extra=RETRY_AFTER,
)
def support_idea(request, response: HttpResponse, idea_id: int = Path(..., ge=1, le=ID_MAX)):
    idea = _public_idea(idea_id)
    if idea is None:
        return _not_found()
    try:
        idea = idea_support(user=request.user, idea=idea, ip_address=client_ip(request))
    except Refusal as error:
        return _refused(error, response)
    return Status(200, {"id": idea.pk, "support_count": idea.support_count, "supported": True})


@router.delete(
    "/ideas/{idea_id}/support/",
    auth=django_auth,
    response=SUPPORT_RESPONSES,
    summary="Withdraw one's support of an idea (session and CSRF token required)",
    description=(
        "200 with the new count; 409 `conflict` when the account does not support it; 404 "
        "unknown idea."
    ),
    openapi_extra=RETRY_AFTER,
)
def withdraw_support(request, response: HttpResponse, idea_id: int = Path(..., ge=1, le=ID_MAX)):
    idea = _public_idea(idea_id)
    if idea is None:
        return _not_found()
    try:
        idea = idea_support_withdraw(user=request.user, idea=idea)
    except Refusal as error:
        return _refused(error, response)
    return Status(200, {"id": idea.pk, "support_count": idea.support_count, "supported": False})
