"""``/api/threads/{thread_key}/contributions/``: read a thread, nested and paginated, and post
to it (session + CSRF, idempotency key). Documented in /api/openapi.json.

Reads answer in a fixed number of queries whatever the thread's size: one page of top-level
contributions is chosen in SQL, then their whole conversations are read in one ordered query
and nested in Python. Posting goes through ``services.contribution_post`` like every other way in.
"""

import math

from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import django_auth

from accounts.names import author_name
from accounts.ratelimits import RETRY_AFTER_OPENAPI, client_ip
from cms.models import InstitutionPage
from cms.rules import page_read_refusal
from deliberation import conf
from deliberation.models import (
    Contribution,
    Reason,
    Thread,
    TopicProposal,
)
from deliberation.models import (
    Status as ContributionStatus,
)
from deliberation.rules import refusal
from deliberation.schemas import (
    ContributionIn,
    ContributionOut,
    DetailOut,
    ErrorOut,
    FieldErrorOut,
    PageQuery,
    ProposalIn,
    ProposalOut,
    ThreadPageOut,
)
from deliberation.selectors import proposals_of
from deliberation.services import (
    DeliberationError,
    Invalid,
    contribution_post,
    thread_for_key,
    topic_propose,
)

router = Router(tags=["threads"])

PUBLIC_STATUSES = (ContributionStatus.PUBLISHED, ContributionStatus.HIDDEN)


# --- Helpers -----------------------------------------------------------------------------------


def _thread(thread_key: str, user) -> Thread | None:
    """The thread the key names, if the user may see it (``deliberation.view_thread``: its page
    is live and lets them in, ``cms.rules.page_read_refusal``); else None. A key that names a
    live page (or one of its draft's sections) but has no thread yet gets one, as the HTML
    form would on its first post: the key a page advertises always works here."""
    thread = thread_for_key(key=thread_key)
    if refusal(user, "deliberation.view_thread", thread):
        return None
    return thread


def _not_found() -> Status:
    message = _("This discussion does not exist or is not published.")
    return Status(404, {"code": "not_found", "message": message})


def _item(
    contribution: Contribution, *, anchor: str | None, public: bool = True, citations=()
) -> dict:
    """One contribution for the API. ``public``: a hidden one becomes a placeholder.
    ``citations``: the citations of it (``DiscussionPage.contribution_citations``)."""
    reason = contribution.reason or None
    item = {
        "id": contribution.pk,
        "parent_id": contribution.parent_id,
        "depth": contribution.depth,
        "status": contribution.status,
        "reason": reason,
        "reason_label": str(dict(Reason.choices)[reason]) if reason in Reason.values else None,
        "created_at": contribution.created_at,
        "section_anchor": anchor,
        "replies": [],
    }
    if public and contribution.status == ContributionStatus.HIDDEN:
        return {
            **item,
            "author": None,
            "body_html": None,
            "edited": False,
            "reactions": {"agree": 0, "disagree": 0},
            "pinned": False,
            "official": False,
            "draft_version": None,
            "cited_by": [],
        }
    return {
        **item,
        "author": author_name(contribution.author),
        "body_html": contribution.body_html,
        "edited": contribution.edited,
        "reactions": {"agree": contribution.agree_count, "disagree": contribution.disagree_count},
        "pinned": contribution.pinned,
        "official": contribution.official,
        "draft_version": contribution.draft_version.number if contribution.draft_version else None,
        "cited_by": [
            {"kind": citation.kind, "title": citation.title, "url": citation.url}
            for citation in citations
        ],
    }


def _nest(
    rows: list[Contribution], root_ids: list[int], *, anchor: str | None, citations=None
) -> list[dict]:
    """Nest rows (in path order) under the roots. A hidden contribution stays, as a
    placeholder, only when a published contribution beneath it stays too. ``citations``:
    {contribution id: [Citation]}."""
    citations = citations or {}
    carries_published = set()
    for row in reversed(rows):  # children come after their parent in path order
        if row.status == ContributionStatus.PUBLISHED or row.pk in carries_published:
            if row.parent_id:
                carries_published.add(row.parent_id)
    nodes, roots = {}, {}
    wanted = set(root_ids)
    for row in rows:
        if row.status != ContributionStatus.PUBLISHED and row.pk not in carries_published:
            continue
        if row.parent_id is None:
            if row.pk not in wanted:
                continue
            node = roots[row.pk] = _item(row, anchor=anchor, citations=citations.get(row.pk, ()))
        elif row.parent_id in nodes:
            node = _item(row, anchor=anchor, citations=citations.get(row.pk, ()))
            nodes[row.parent_id]["replies"].append(node)
        else:  # under something that is not shown
            continue
        nodes[row.pk] = node
    return [roots[pk] for pk in root_ids if pk in roots]


def _citations(thread: Thread, rows: list[Contribution]) -> dict:
    """Where live pages cite the published ``rows``, in the request's language: one call for
    the page of items, none when nothing on it is published or the thread cannot be cited."""
    published = [row.pk for row in rows if row.status == ContributionStatus.PUBLISHED]
    if not published:
        return {}
    return thread.target.contribution_citations(
        thread=thread, contribution_ids=published, language=get_language()
    )


def _page_url(request: HttpRequest, page: int) -> str:
    return request.build_absolute_uri(f"{request.path}?page={page}")


def _error(error: DeliberationError, response: HttpResponse) -> Status:
    if getattr(error, "retry_after", None):
        response["Retry-After"] = str(error.retry_after)
    return Status(error.status, {"code": error.code, "message": error.message})


# --- Endpoints ---------------------------------------------------------------------------------

PATH = "/threads/{thread_key}/contributions/"


@router.get(
    PATH,
    response={200: ThreadPageOut, 404: ErrorOut},
    summary="A thread's published contributions, nested, by pages of top-level contributions",
    description=(
        "Reading order (oldest first, each reply after its parent). Removed contributions "
        "appear as placeholders (status `hidden`, reason code and label, no text or author) "
        "only where published replies hang beneath them; contributions awaiting moderation "
        "or not published never appear."
    ),
)
def list_contributions(request, thread_key: str, params: Query[PageQuery]):
    thread = _thread(thread_key, request.user)
    if thread is None:
        return _not_found()
    size = conf.get("DELIBERATION_API_PAGE_SIZE")
    published_beneath = Exists(
        Contribution.objects.filter(root=OuterRef("pk"), status=ContributionStatus.PUBLISHED)
    )
    roots = Contribution.objects.filter(thread=thread, depth=1).filter(
        Q(status=ContributionStatus.PUBLISHED)
        | (Q(status=ContributionStatus.HIDDEN) & published_beneath)
    )
    count = roots.count()
    pages = max(1, math.ceil(count / size))
    if params.page > pages:
        return Status(404, {"code": "not_found", "message": _("This page does not exist.")})
    start = (params.page - 1) * size
    # Pinned conversations first, as on the thread page; then reading order.
    root_ids = list(
        roots.order_by("-pinned", "path").values_list("pk", flat=True)[start : start + size]
    )
    rows = []
    if root_ids:
        rows = list(
            Contribution.objects.filter(thread=thread, status__in=PUBLIC_STATUSES)
            .filter(Q(pk__in=root_ids) | Q(root_id__in=root_ids))
            .select_related("author", "draft_version")
            .only(
                "pk", "parent_id", "path", "depth", "status", "reason", "author__display_name",
                "body_html", "created_at", "edited_at", "agree_count", "disagree_count",
                "pinned", "official", "draft_version__number",
            )
            .order_by("path")
        )
    anchor = thread.section_anchor or None
    citations = _citations(thread, rows)
    return {
        "thread": {
            "key": thread.key,
            "kind": thread.kind,
            "locked": thread.locked,
            "section_anchor": anchor,
        },
        "count": count,
        "page": params.page,
        "pages": pages,
        "next": _page_url(request, params.page + 1) if params.page < pages else None,
        "previous": _page_url(request, params.page - 1) if params.page > 1 else None,
        "items": _nest(rows, root_ids, anchor=anchor, citations=citations),
    }


@router.post(
    PATH,
    auth=django_auth,
    response={
        201: ContributionOut,
        200: ContributionOut,
        400: ErrorOut,
        401: DetailOut,
        403: ErrorOut | DetailOut,
        404: ErrorOut,
        429: ErrorOut,
    },
    summary="Post a contribution or a reply (session and CSRF token required)",
    description=(
        "201 with the new contribution (its `status` is `pending` when it awaits moderation); "
        "200 with the same contribution when `idempotency_key` was already used. Refusals "
        "carry `code` and a translated `message`: 400 invalid or blocked text or a parent "
        "that cannot be answered, 403 closed discussion, locked thread or suspended account "
        "(a missing or wrong CSRF token is ninja's `{\"detail\": \"CSRF check Failed\"}`), "
        "404 unknown thread or parent, 413 body too large, 429 too fast (with `Retry-After`)."
    ),
    openapi_extra={
        "responses": {
            429: {
                "headers": {
                    "Retry-After": {
                        "description": "Seconds to wait before posting again",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                }
            }
        }
    },
)
def post_contribution(request, thread_key: str, payload: ContributionIn, response: HttpResponse):
    thread = _thread(thread_key, request.user)
    if thread is None:
        return _not_found()
    limit = conf.get("DELIBERATION_MAX_LENGTH")
    if len(payload.body) > limit:  # as documented: the length sent, not the length kept
        message = _(
            "A contribution can be at most %(limit)d characters long (this one has %(length)d)."
        ) % {"limit": limit, "length": len(payload.body)}
        return _error(Invalid(message, field="body"), response)
    try:
        result = contribution_post(
            author=request.user,
            thread=thread,
            body=payload.body,
            idempotency_key=payload.idempotency_key,
            parent_id=payload.parent_id,
            ip_address=client_ip(request),
            language=get_language() or "",
        )
    except DeliberationError as error:
        return _error(error, response)
    item = _item(result.contribution, anchor=thread.section_anchor or None, public=False)
    return Status(201 if result.created else 200, item)


# --- Forum topics citizens propose ---------------------------------------------------------------

PROPOSALS = "/forum/proposals/"


def _proposal(proposal: TopicProposal) -> dict:
    page = proposal.page
    return {
        "id": proposal.pk,
        "institution_id": proposal.institution_id,
        "institution": proposal.institution.title,
        "language": proposal.language,
        "title": proposal.title,
        "text": proposal.text,
        "topics": proposal.topic_list,
        "status": proposal.status,
        "reason": proposal.reason or None,
        "reason_label": str(Reason(proposal.reason).label) if proposal.reason else None,
        "note": proposal.note,
        "created_at": proposal.created_at,
        "decided_at": proposal.decided_at,
        "topic_url": page.get_url() if page is not None and page.live else None,
    }


@router.get(
    PROPOSALS,
    auth=django_auth,
    tags=["forum"],
    response={200: list[ProposalOut], 401: DetailOut},
    summary="The forum topics you proposed, newest first (at most 100)",
    description="Each with its status (pending, approved, rejected), the public reason and the "
    "moderator's explanation of a rejection, and the topic's address once approved. Only "
    "your own: nothing of a proposal is public before a moderator approves it.",
)
def list_proposals(request):
    return [_proposal(item) for item in proposals_of(user=request.user)[:100]]


@router.post(
    PROPOSALS,
    auth=django_auth,
    tags=["forum"],
    response={
        201: ProposalOut,
        400: FieldErrorOut,
        401: DetailOut,
        403: FieldErrorOut | DetailOut,
        404: FieldErrorOut,
        429: FieldErrorOut,
    },
    summary="Propose a forum topic to an institution (session and CSRF token required)",
    description=(
        "201 with the proposal, `pending`: a moderator of the institution approves it (the "
        "topic is then published) or rejects it with a public reason, and you are e-mailed. "
        "Refusals carry `code`, a translated `message` and the `field` concerned: 400 invalid "
        "or blocked title, text or topics, 403 an account that may not propose (not confirmed, "
        "suspended), 404 unknown institution, 429 too fast (with `Retry-After`)."
    ),
    openapi_extra={"responses": {429: RETRY_AFTER_OPENAPI}},
)
def post_proposal(request, payload: ProposalIn, response: HttpResponse):
    institution = InstitutionPage.objects.live().filter(pk=payload.institution_id).first()
    if institution is None or page_read_refusal(request.user, institution) is not None:
        message = _("This institution does not exist.")
        return Status(404, {"code": "not_found", "message": message, "field": "institution_id"})
    try:
        proposal = topic_propose(
            proposer=request.user,
            institution=institution.specific,
            title=payload.title,
            text=payload.text,
            topics=payload.topics,
            language=get_language() or "",
            ip_address=client_ip(request),
        )
    except DeliberationError as error:
        if getattr(error, "retry_after", None):
            response["Retry-After"] = str(error.retry_after)
        return Status(error.status, {"code": error.code, "message": error.message, "field": error.field})
    return Status(201, _proposal(proposal))
