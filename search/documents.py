"""The one document schema, built from each kind of source.

A source is a page (``page-<id>``: one document per translation, in its language), a
contribution (``contribution-<id>``) or a citizen request (``request-<id>``: one document, in
the language it was written in, like a contribution). ``document_for(key)`` says what the document of a source
is *now*, or ``None`` when it must not be found: a page not live, restricted to some readers,
or not of a searched kind; a contribution not published (pending, refused, hidden) or whose
discussion page is not public; a request not a published suggestion or notice, or whose
institution has no public page of suggestions and notices. Fields common to every kind are the model's; kind-specific
ones (author, number, consultation, closing date) go in ``extra``.

| kind | title | text | status | date |
| --- | --- | --- | --- | --- |
| decision | title | summary, official reference, text | status (proposed … implemented) | signature date, else first publication |
| outcome | title | what we heard; each response's theme, "you said", "we did" | (none) | outcome publication |
| consultation | title | summary, context, each draft section | phase (upcoming, open, closed, outcome) | opening |
| policy | title | summary, body | (none) | its date, else first publication |
| topic | title | summary, text | phase (open, closed) | first publication |
| contribution | the discussion's page (and section) | the citizen's text | (none) | publication |
| request | subject | text, then the answer once sent | stage (received … out of scope) | filing |
| idea | title | the citizen's text | status (received … implemented) | proposal |
| questionnaire | title | introduction, each question and its options (never an answer) | phase (upcoming, open, closed) | opening |

An idea (``idea-<id>``) is found only once its text is published and while the page it was
sent to (consultation, forum topic or institution) is public; its text is not found a second
time as a contribution. A request's document never names its author: its ``extra`` holds its kind (suggestion or
notice), tracking number and number of supporters only.

A consultation without an outcome keeps its opening and closing dates, a forum topic its
closing date: searches read its phase at their own moment from them (search/backends/base.py,
``status_at``), so a phase that changes by date needs no indexing.

Over 400 lines on purpose: every kind's document is built here, side by side, so that what one
kind shows and another hides is compared in one read (the privacy rules above are its contract).
"""

import datetime
import html
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, override
from wagtail.models import Page

from citizen_ideas.links import idea_url
from citizen_ideas.models import Idea
from citizen_requests.models import CitizenRequest, Publicity, PublicRequestsPage
from citizen_requests.stages import PUBLIC_KINDS
from cms.models import InstitutionPage, PolicyPage
from cms.rules import page_read_refusal
from consultations.models import ConsultationPage, DecisionPage, OutcomePage
from deliberation.models import Contribution, ForumTopicPage, Status
from deliberation.selectors import thread_page_in, thread_url
from questionnaires.models import QuestionnairePage
from search.models import Kind
from search.text import folded_text


@dataclass
class DocumentData:
    key: str
    kind: str
    language: str
    title: str
    body: str
    url: str
    date: datetime.datetime
    institution: str = ""
    institution_name: str = ""
    status: str = ""
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None
    reference: str = ""
    topics: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def fields(self) -> dict:
        """The ``SearchDocument`` columns."""
        local = timezone.localtime(self.date, ZoneInfo(settings.TIME_ZONE))
        return {
            "kind": self.kind,
            "language": self.language,
            "title": self.title[:500],
            "body": self.body,
            "url": self.url[:500],
            "institution": self.institution,
            "institution_name": self.institution_name,
            "status": self.status,
            "opens_at": self.opens_at,
            "closes_at": self.closes_at,
            "reference": self.reference[:255],
            "topics": sorted(set(self.topics)),
            "date": self.date,
            "year": local.year,
            "extra": self.extra,
            # A contribution's title only names its discussion: its words are the citizen's.
            # (A request's title is its subject, the citizen's words: searched.)
            "title_words": "" if self.kind == Kind.CONTRIBUTION else folded_text(self.title),
            "body_words": folded_text(self.body),
        }


def page_key(page_id: int) -> str:
    return f"page-{page_id}"


def contribution_key(contribution_id: int) -> str:
    return f"contribution-{contribution_id}"


def request_key(request_id: int) -> str:
    return f"request-{request_id}"


def idea_key(idea_id: int) -> str:
    return f"idea-{idea_id}"


def plain(html_text: str) -> str:
    """Rich text as the words a reader sees."""
    return " ".join(html.unescape(strip_tags(html_text or "")).split())


def stream_text(stream) -> str:
    """The searchable words of a StreamField value, block by block."""
    parts = []
    for child in stream or []:
        parts.extend(str(text) for text in child.block.get_searchable_content(child.value))
    return plain(" ".join(parts))


def is_public(page: Page) -> bool:
    """Readable by anyone, signed in or not (``cms.rules.page_read_refusal`` for an anonymous
    reader): it and its ancestors live, no view restriction on it or above it. The index
    holds only such pages, so what the search page, its feed and the API find is public."""
    return page_read_refusal(AnonymousUser(), page) is None


def _as_datetime(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _topics(page) -> list[str]:
    return sorted({tag.name for tag in page.topics.all()}) if hasattr(page, "topics") else []


def _institution(page) -> tuple[str, str]:
    # An idea sent to an institution only has the institution as its thread's page.
    institution = page if isinstance(page, InstitutionPage) else InstitutionPage.objects.ancestor_of(page).first()
    return (institution.slug, institution.title) if institution else ("", "")


def _page_common(page, kind: str, body: str, date) -> DocumentData:
    institution, institution_name = _institution(page)
    return DocumentData(
        key=page_key(page.pk),
        kind=kind,
        language=page.locale.language_code,
        title=page.title,
        body=body,
        url=page.url or "",
        date=date or page.first_published_at or timezone.now(),
        institution=institution,
        institution_name=institution_name,
        topics=_topics(page),
    )


def _consultation(page) -> DocumentData:
    sections = " ".join(
        " ".join([section.heading, section.text]) for section in page.sections
    )
    body = " ".join([page.summary, plain(page.context), sections])
    document = _page_common(page, Kind.CONSULTATION, body, page.opens_at)
    document.status = page.phase_at(timezone.now())
    if page.outcome_published_at is None:  # (an outcome's phase ends on no date)
        document.opens_at, document.closes_at = page.opens_at, page.closes_at
    document.extra = {"opens_at": page.opens_at.isoformat(), "closes_at": page.closes_at.isoformat()}
    return document


def _outcome(page) -> DocumentData:
    parts = [plain(page.what_we_heard)]
    for response in page.responses.all():
        parts += [response.theme, response.heard, plain(response.reasoning)]
    consultation = page.get_parent().specific
    date = getattr(consultation, "outcome_published_at", None)
    document = _page_common(page, Kind.OUTCOME, " ".join(parts), date)
    document.topics = _topics(consultation)
    document.extra = {"consultation": consultation.title}
    return document


def _decision(page) -> DocumentData:
    reference = " · ".join(part for part in (page.official_reference, page.jort_reference) if part)
    body = " ".join([page.summary, reference, plain(page.body)])
    document = _page_common(page, Kind.DECISION, body, _as_datetime(page.signed_on))
    document.status = page.status
    document.reference = reference
    return document


def _policy(page) -> DocumentData:
    body = " ".join([page.summary, stream_text(page.body)])
    return _page_common(page, Kind.POLICY, body, _as_datetime(page.published_on))


def _forum_topic(page) -> DocumentData:
    document = _page_common(page, Kind.FORUM_TOPIC, " ".join([page.summary, plain(page.body)]), None)
    document.status = page.phase
    document.closes_at = page.closes_at
    return document


def _questionnaire(page) -> DocumentData:
    """A questionnaire: its introduction, questions and options (never an answer)."""
    questions = " ".join(
        " ".join([question.text, *(option.label for option in question.options)])
        for question in page.question_list
    )
    consultation = page.consultation
    opens_at = page.opens_at or (consultation.opens_at if consultation else None)
    document = _page_common(page, Kind.QUESTIONNAIRE, " ".join([plain(page.intro), questions]), opens_at)
    document.status = page.phase
    document.opens_at = opens_at
    document.closes_at = page.effective_closes_at
    if consultation is not None:
        document.topics = _topics(consultation)
    document.extra = {
        "consultation": consultation.title if consultation else "",
        "results_public": page.results_public,
    }
    return document


BUILDERS = {
    ConsultationPage: _consultation,
    OutcomePage: _outcome,
    DecisionPage: _decision,
    PolicyPage: _policy,
    ForumTopicPage: _forum_topic,
    QuestionnairePage: _questionnaire,
}


def page_document(page: Page) -> DocumentData | None:
    page = page.specific
    builder = BUILDERS.get(type(page))
    if builder is None or not is_public(page):
        return None
    with override(page.locale.language_code):  # labels (a decision's kind) in its language
        return builder(page)


@dataclass
class DiscussionContext:
    """What the contributions of one thread share, in one language (built once per batch)."""

    page: Page
    public: bool
    title: str
    url_base: str
    section: str
    institution: tuple[str, str]
    topics: list[str]


def _discussion(thread, language: str) -> DiscussionContext:
    page = thread_page_in(thread, language)
    # The thread is read as its own page is; the document links to ``page``, its translation.
    public = is_public(page) and (page.pk == thread.page_id or is_public(thread.page))
    section = ""
    if public and thread.section_id:
        sections = getattr(page, "sections", [])
        section = next((s.heading for s in sections if s.id == thread.section_id), "")
    with override(language):
        title = gettext("Contribution to “%(title)s”") % {"title": page.title}
        url_base = thread_url(thread, language, page=page).split("#")[0] if public else ""
    return DiscussionContext(
        page=page,
        public=public,
        title=title,
        url_base=url_base,
        section=section,
        institution=_institution(page) if public else ("", ""),
        topics=_topics(page) if public else [],
    )


def _opens_idea(contribution) -> bool:
    """Whether ``contribution`` is an idea's text (found as the idea, not twice)."""
    try:
        return contribution.idea is not None
    except Idea.DoesNotExist:
        return False


def contribution_document(contribution, *, memo: dict | None = None) -> DocumentData | None:
    if contribution.status != Status.PUBLISHED or _opens_idea(contribution):
        return None
    thread = contribution.thread
    language = contribution.language or thread.page.locale.language_code
    memo = {} if memo is None else memo
    context = memo.get((thread.pk, language))
    if context is None:
        context = memo[(thread.pk, language)] = _discussion(thread, language)
    if not context.public:
        return None
    return DocumentData(
        key=contribution_key(contribution.pk),
        kind=Kind.CONTRIBUTION,
        language=language,
        title=context.title,
        body=contribution.body,
        url=f"{context.url_base}#contribution-{contribution.pk}",
        date=contribution.published_at or contribution.created_at,
        institution=context.institution[0],
        institution_name=context.institution[1],
        topics=context.topics,
        extra={
            "author": contribution.author.display_name if contribution.author_id else "",
            "number": contribution.pk,
            "page_title": context.page.title,
            "section": context.section,
            "official": contribution.official,
        },
    )


def _contributions(ids):
    """The contributions of ``ids``, locked until the indexing transaction ends: two indexings
    of one contribution (an edit, then a hide) then write in the order of its changes."""
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("thread__page__locale", "author", "idea")
        .filter(pk__in=ids)
        .order_by("pk")
    )


# --- citizen requests ------------------------------------------------------------------------


def requests_page_for(institution, language: str, *, memo: dict | None = None):
    """The public page of suggestions and notices of ``institution`` (any of its
    translations) that an anonymous reader may read: its translation in ``language`` if it
    has one, else the one under the institution's own page, else any. ``None``: none."""
    memo = {} if memo is None else memo
    memo_key = ("requests_page", institution.translation_key, language)
    if memo_key not in memo:
        memo[memo_key] = _requests_page_choose(institution, language)
    return memo[memo_key]


def _requests_page_choose(institution, language: str):
    parents = InstitutionPage.objects.filter(translation_key=institution.translation_key)
    candidates = [
        page
        for parent in parents
        for page in PublicRequestsPage.objects.child_of(parent).live().select_related("locale")
    ]
    candidates = [page for page in candidates if is_public(page)]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda page: (
            page.locale.language_code != language,
            not page.path.startswith(institution.path),
            page.pk,
        ),
    )


def is_public_request(request) -> bool:
    """A suggestion or notice its author asked to publish and the institution published."""
    return request.publicity == Publicity.PUBLIC and request.kind in PUBLIC_KINDS


def request_document(request, *, memo: dict | None = None) -> DocumentData | None:
    if not is_public_request(request):
        return None
    page = requests_page_for(request.desk.institution, request.language, memo=memo)
    if page is None:
        return None
    institution, institution_name = _institution(page)
    body = " ".join(part for part in (request.text, request.answer) if part)
    return DocumentData(
        key=request_key(request.pk),
        kind=Kind.REQUEST,
        language=request.language,
        title=request.subject,
        body=body,
        url=(page.url or "") + page.reverse_subpage("section", args=[request.tracking_number]),
        date=request.created_at,
        institution=institution,
        institution_name=institution_name,
        status=request.stage,
        # Never the author: what a request is, its number and how many support it.
        extra={
            "request_kind": request.kind,
            "tracking_number": request.tracking_number,
            "supporters": request.supporters_count,
        },
    )


def _requests(ids):
    """The requests of ``ids``, locked until the indexing transaction ends (as contributions)."""
    return (
        CitizenRequest.objects.select_for_update(of=("self",))
        .select_related("desk__institution")
        .filter(pk__in=ids)
        .order_by("pk")
    )


# --- citizens' ideas --------------------------------------------------------------------------


def idea_document(idea, *, memo: dict | None = None) -> DocumentData | None:
    """A published idea sent to a public page: its title and text, in the language the citizen
    wrote in, with its status; ``extra`` names the author (as a contribution does), the
    number of supporters and the consultation or topic it was sent within."""
    opening = idea.opening
    if opening.status != Status.PUBLISHED:
        return None
    thread = idea.thread
    language = opening.language or thread.page.locale.language_code
    memo = {} if memo is None else memo
    context = memo.get((thread.pk, language))
    if context is None:
        context = memo[(thread.pk, language)] = _discussion(thread, language)
    if not context.public:
        return None
    return DocumentData(
        key=idea_key(idea.pk),
        kind=Kind.IDEA,
        language=language,
        title=idea.title,
        body=opening.body,
        url=idea_url(idea, language),
        date=idea.created_at,
        institution=context.institution[0],
        institution_name=context.institution[1],
        status=idea.status,
        topics=context.topics,
        extra={
            "author": idea.author.display_name if idea.author_id else "",
            "supporters": idea.support_count,
            # The consultation or forum topic it was sent within (none: the institution).
            "page_title": context.page.title if idea.consultation_id or idea.topic_id else "",
        },
    )


def _ideas(ids):
    """The ideas of ``ids``, locked until the indexing transaction ends (as contributions)."""
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("opening", "author", "thread__page__locale")
        .filter(pk__in=ids)
        .order_by("pk")
    )


# --- any source ------------------------------------------------------------------------------


def _ids(keys: list[str], kind: str) -> list[int]:
    return [int(key.partition("-")[2]) for key in keys if key.startswith(f"{kind}-")]


def documents_prefetch(*, keys: list[str]) -> dict:
    """A memo for ``document_for`` holding the batch's contributions and requests, each read
    in one query."""
    contributions, requests = _ids(keys, "contribution"), _ids(keys, "request")
    ideas = _ids(keys, "idea")
    return {
        "contributions": {each.pk: each for each in _contributions(contributions)} if contributions else {},
        "requests": {each.pk: each for each in _requests(requests)} if requests else {},
        "ideas": {each.pk: each for each in _ideas(ideas)} if ideas else {},
    }


def _prefetched(memo: dict, name: str, pk: str, read):
    prefetched = memo.get(name)
    if prefetched is not None and int(pk) in prefetched:
        return prefetched[int(pk)]
    return read([pk]).first()


def document_for(key: str, *, memo: dict | None = None) -> DocumentData | None:
    """What the document of source ``key`` is now (``None``: not searchable). ``memo``
    (``documents_prefetch``) holds what a batch shares: its contributions and requests, what
    the contributions of one discussion have in common, each institution's requests page."""
    kind, _, pk = key.partition("-")
    memo = {} if memo is None else memo
    if kind == "page":
        page = Page.objects.filter(pk=pk).first()
        return page_document(page) if page is not None else None
    if kind == "contribution":
        contribution = _prefetched(memo, "contributions", pk, _contributions)
        return contribution_document(contribution, memo=memo) if contribution is not None else None
    if kind == "request":
        request = _prefetched(memo, "requests", pk, _requests)
        return request_document(request, memo=memo) if request is not None else None
    if kind == "idea":
        idea = _prefetched(memo, "ideas", pk, _ideas)
        return idea_document(idea, memo=memo) if idea is not None else None
    raise ValueError(f"Unknown search source {key!r}")
