"""Reads for threads, the public moderation log and the moderation queue.

Every function here answers in a fixed number of queries whatever the thread's size: a thread
is read in one ordered query and assembled in Python.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from accounts.models import Suspension
from accounts.names import shown_name
from cms.disclosure import count_alone
from deliberation import conf
from deliberation.models import (
    Appeal,
    AppealStatus,
    Contribution,
    Flag,
    ForumTopicPage,
    ModerationAction,
    ModerationActionKind,
    ProposalStatus,
    Reaction,
    Reason,
    Status,
    Thread,
    ThreadKind,
    TopicProposal,
)
from deliberation.rules import moderated_institution_keys

PUBLIC_STATUSES = (Status.PUBLISHED, Status.HIDDEN)


# --- URLs --------------------------------------------------------------------------------------


def thread_page_in(thread: Thread, language: str | None = None) -> Page:
    """The translation of the thread's page in ``language`` (or the thread's own page)."""
    language = language or get_language()
    page = thread.page
    if page.locale.language_code != language:
        locale = Locale.objects.filter(language_code=language).first()
        translation = page.get_translation_or_none(locale) if locale else None
        if translation is not None and translation.live:
            page = translation
    return page.specific


def thread_url(thread: Thread, language: str | None = None, *, page: Page | None = None) -> str:
    if thread.kind == ThreadKind.IDEA:
        return idea_url(thread, language) + "#discussion"
    page = page or thread_page_in(thread, language)
    if thread.kind == ThreadKind.SECTION:
        return page.url + page.reverse_subpage("section", args=[thread.section_id])
    return page.url + "#discussion"


def idea_url(thread: Thread, language: str | None = None, *, idea_id: int | None = None) -> str:
    """The page of the idea (citizen_ideas) whose thread is ``thread``, in ``language``."""
    with translation.override(language or get_language()):
        return reverse("citizen_ideas:detail", args=[idea_id or thread.idea.pk])


def contribution_url(contribution: Contribution, language: str | None = None) -> str:
    return thread_url(contribution.thread, language).split("#")[0] + f"#contribution-{contribution.pk}"


def official_reference(contribution_id: int) -> str:
    """The reference of an official reply's signed document (``C-<id>``): stable, whatever
    the page's title or address."""
    return f"C-{contribution_id}"


# --- Threads -----------------------------------------------------------------------------------


def thread_find(*, page, section_id: str = "") -> Thread | None:
    return Thread.objects.filter(
        translation_key=page.translation_key, section_id=section_id
    ).first()


def published_counts(*, translation_keys) -> dict:
    """Published contributions per (translation_key, section_id): one query."""
    rows = (
        Contribution.objects.filter(
            thread__translation_key__in=list(translation_keys), status=Status.PUBLISHED
        )
        .values_list("thread__translation_key", "thread__section_id")
        .annotate(n=Count("pk"))
    )
    return {(key, section): n for key, section, n in rows}


REASON_LABELS = dict(Reason.choices)


class ThreadItem:
    """One contribution as a thread page shows it (read from a values_list row)."""

    __slots__ = (
        "pk", "parent_id", "path", "depth", "author_id", "author_name", "body_html", "status",
        "reason", "pinned", "official", "agree_count", "disagree_count", "created_at",
        "edited_at",
        # The institution's signature of an official reply (null when not signed):
        "signed_id", "signed_code",
        # Filled for the viewer:
        "view_depth", "opens_replies", "closes", "my_reaction", "flagged_by_me", "mine",
        "editable", "can_reply", "when",
        # Where a live outcome response or decision cites it (consultations.outcomes.Citation):
        "citations",
    )
    QUERY_FIELDS = (
        "pk", "parent_id", "path", "depth", "author_id", "author__display_name", "body_html",
        "status", "reason", "pinned", "official", "agree_count", "disagree_count", "created_at",
        "edited_at", "signed_document_id", "signed_document__verification_code",
    )

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)
        self.author_name = shown_name(self.author_name)  # None: a deleted account
        self.citations = ()

    def get_reason_display(self) -> str:
        return str(REASON_LABELS.get(self.reason, self.reason))


@dataclass
class ThreadView:
    thread: Thread | None
    items: list[ThreadItem]
    published_count: int
    pending_count: int  # visible to the viewer: their own, or all for a moderator
    moderator: bool


def thread_view(*, thread: Thread | None, viewer) -> ThreadView:
    """A thread as ``viewer`` sees it, in reading order, with pinned conversations first.

    Published contributions and placeholders for hidden ones are public; the viewer also sees
    their own pending or refused contributions, and a moderator sees every pending one.
    Three queries at most, whatever the size of the thread, and three more once the
    consultation's outcome is published (where responses and decisions cite its
    contributions, for their badges).
    """
    if thread is None:
        return ThreadView(None, [], 0, 0, False)
    moderator = viewer.is_authenticated and viewer.has_perm("deliberation.moderate_thread", thread)
    visible = Q(status__in=PUBLIC_STATUSES)
    if moderator:
        visible |= Q(status=Status.PENDING)
    if viewer.is_authenticated:
        visible |= Q(author=viewer)
    # Plain rows, not model instances: building thousands of instances cost more than the
    # query itself (docs/performance.md).
    items = [
        ThreadItem(*row)
        for row in Contribution.objects.filter(visible, thread=thread)
        .order_by("path")
        .values_list(*ThreadItem.QUERY_FIELDS)
    ]
    reactions, flagged = {}, set()
    if viewer.is_authenticated and items:
        reactions = dict(
            Reaction.objects.filter(contribution__thread=thread, user=viewer).values_list(
                "contribution_id", "kind"
            )
        )
        flagged = set(
            Flag.objects.filter(contribution__thread=thread, user=viewer).values_list(
                "contribution_id", flat=True
            )
        )
    citations = thread_citations(thread=thread, items=items)
    items = _pinned_first(items)
    _mark_tree(items)
    grace = datetime.timedelta(minutes=conf.get("DELIBERATION_EDIT_GRACE_MINUTES"))
    now = timezone.now()
    max_depth = conf.get("DELIBERATION_MAX_DEPTH")
    for item in items:
        item.my_reaction = reactions.get(item.pk)
        item.flagged_by_me = item.pk in flagged
        item.mine = viewer.is_authenticated and item.author_id == viewer.pk
        item.editable = (
            item.mine
            and item.status in (Status.PUBLISHED, Status.PENDING)
            and now <= item.created_at + grace
            and item.signed_id is None
        )
        item.can_reply = item.status == Status.PUBLISHED and item.depth < max_depth
        item.citations = citations.get(item.pk, ())
    statuses = Counter(item.status for item in items)
    return ThreadView(
        thread, items, statuses[Status.PUBLISHED], statuses[Status.PENDING], moderator
    )


def thread_citations(*, thread: Thread, items, language: str | None = None) -> dict:
    """{contribution id: [citation]} for the published ``items`` of ``thread`` that a live
    page cites (a consultation's outcome response or decision), read in ``language`` (the
    active one by default): no query when nothing is published, nor when the thread's page
    cannot be cited (``DiscussionPage.contribution_citations``)."""
    if not any(item.status == Status.PUBLISHED for item in items):
        return {}
    return thread.target.contribution_citations(thread=thread, language=language or get_language())



def _pinned_first(items: list[ThreadItem]) -> list[ThreadItem]:
    step = Contribution.PATH_STEP
    pinned_roots = {item.path for item in items if item.depth == 1 and item.pinned}
    if not pinned_roots:
        return items
    return sorted(items, key=lambda item: (item.path[:step] not in pinned_roots, item.path))


def _mark_tree(items: list[ThreadItem]) -> None:
    """Give each item what the template needs to nest lists without recursion: its depth
    among the visible items, whether a list of replies opens after it, and how many lists
    close after it."""
    depth_of: dict[int, int] = {}
    for item in items:
        item.view_depth = depth_of.get(item.parent_id, 0) + 1
        depth_of[item.pk] = item.view_depth
    for index, item in enumerate(items):
        next_depth = items[index + 1].view_depth if index + 1 < len(items) else 1
        item.opens_replies = next_depth > item.view_depth
        item.closes = range(max(0, item.view_depth - next_depth))


# --- Public moderation log --------------------------------------------------------------------


def moderation_log_counts(*, translation_key) -> dict:
    """Hidden and refused contributions by reason, for one consultation or forum topic.

    Counts and reason codes only: never the text, never the author.
    """
    rows = (
        Contribution.objects.filter(
            thread__translation_key=translation_key,
            status__in=[Status.HIDDEN, Status.REJECTED],
        )
        .values_list("status", "reason")
        .annotate(n=Count("pk"))
    )
    labels = dict(Reason.choices)
    hidden, rejected = Counter(), Counter()
    for status, reason, n in rows:
        (hidden if status == Status.HIDDEN else rejected)[reason] += n
    return {
        "hidden": [(labels.get(r, r), n) for r, n in hidden.most_common()],
        "rejected": [(labels.get(r, r), n) for r, n in rejected.most_common()],
        "hidden_total": sum(hidden.values()),
        "rejected_total": sum(rejected.values()),
        "published_total": Contribution.objects.filter(
            thread__translation_key=translation_key, status=Status.PUBLISHED
        ).count(),
        **appeal_counts(translation_key=translation_key),
    }


def appeal_counts(*, translation_key) -> dict:
    """Appeals against hidden contributions of one consultation or forum topic, and how many
    reversed the decision (counts only)."""
    counts = Appeal.objects.filter(
        contribution__thread__translation_key=translation_key
    ).aggregate(
        appeals_total=Count("pk"),
        reversed_total=Count("pk", filter=Q(status=AppealStatus.REVERSED)),
    )
    return {key: value or 0 for key, value in counts.items()}


# --- Moderation queue ------------------------------------------------------------------------


class Queue:
    PENDING = "pending"
    FLAGGED = "flagged"
    HIDDEN = "hidden"
    ALL = "all"


def moderation_queue(
    *,
    user,
    queue: str = Queue.PENDING,
    institution_key=None,
    page_key=None,
    reason: str = "",
    older_than_hours: int | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Contribution]:
    """Contributions ``user`` moderates in one queue, oldest waiting first."""

    now = now or timezone.now()
    queryset = Contribution.objects.select_related(
        "author", "thread", "thread__page", "thread__institution"
    )
    keys = moderated_institution_keys(user)
    if keys is not None:
        queryset = queryset.filter(thread__institution__translation_key__in=keys)
    if queue == Queue.PENDING:
        queryset = queryset.filter(status=Status.PENDING).order_by("created_at")
    elif queue == Queue.FLAGGED:
        queryset = queryset.filter(open_flag_count__gt=0).order_by("-open_flag_count", "created_at")
    elif queue == Queue.HIDDEN:
        since = now - datetime.timedelta(days=conf.get("DELIBERATION_RECENTLY_HIDDEN_DAYS"))
        queryset = queryset.filter(status=Status.HIDDEN, moderated_at__gte=since).order_by("-moderated_at")
    else:
        queryset = queryset.order_by("-created_at")
    if institution_key:
        queryset = queryset.filter(thread__institution__translation_key=institution_key)
    if page_key:
        queryset = queryset.filter(thread__translation_key=page_key)
    if reason:
        queryset = queryset.filter(Q(reason=reason) | Q(flags__reason=reason, flags__reviewed_at__isnull=True)).distinct()
    if older_than_hours:
        queryset = queryset.filter(created_at__lte=now - datetime.timedelta(hours=older_than_hours))
    return queryset


def proposals_of(*, user) -> QuerySet:
    """The forum topics ``user`` proposed, newest first, with their institution and page."""
    return TopicProposal.objects.filter(proposer=user).select_related("institution", "page")


def proposal_decisions(*, institution, limit: int = 50) -> list:
    """The public log of decisions on topics proposed to ``institution`` (any translation):
    when, approved or rejected, the public reason, and the topic when approved. Never the
    text of a rejected proposal, nor who proposed it."""
    return list(
        ModerationAction.objects.filter(
            proposal__institution__translation_key=institution.translation_key,
            action__in=[ModerationActionKind.APPROVE, ModerationActionKind.REJECT],
        )
        .select_related("proposal__page")
        .order_by("-created_at", "-pk")[:limit]
    )


def proposal_queue(*, user, status: str = ProposalStatus.PENDING) -> QuerySet:
    """The proposals ``user`` moderates in ``status`` (pending: oldest first, to be fair;
    decided: newest decision first)."""
    queryset = TopicProposal.objects.filter(status=status).select_related(
        "institution", "proposer", "page", "decided_by"
    )
    keys = moderated_institution_keys(user)
    if keys is not None:
        queryset = queryset.filter(institution__translation_key__in=keys)
    if status == ProposalStatus.PENDING:
        return queryset.order_by("created_at", "pk")
    return queryset.order_by("-decided_at", "-pk")


# --- The home page -----------------------------------------------------------------------------


def forum_topics_recent(*, language: str, limit: int) -> list:
    """The latest live, public forum topics in ``language``: one query."""
    return list(
        ForumTopicPage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .order_by("-first_published_at", "-pk")[:limit]
    )


def participation_totals() -> dict:
    """Published contributions on pages anyone may read, and how many people wrote them (a
    count of people: small numbers hidden, cms.disclosure). One query."""
    totals = Contribution.objects.filter(
        status=Status.PUBLISHED, thread__page__in=Page.objects.live().public().values("pk")
    ).aggregate(contributions=Count("pk"), people=Count("author", distinct=True))
    return {
        "contribution_total": totals["contributions"],
        "participant_total": count_alone(totals["people"]),
    }


# --- Appeals and suspensions (the moderators' side) ------------------------------------------


def _suspension_scope(keys) -> Q:
    """Suspensions given over a contribution in a thread of the institutions ``keys``."""
    return Q(
        pk__in=ModerationAction.objects.filter(
            action=ModerationActionKind.SUSPEND,
            suspension__isnull=False,
            thread__institution__translation_key__in=keys,
        ).values("suspension_id")
    )


def appeal_queue(*, user) -> QuerySet:
    """Appeals awaiting a decision about what ``user`` moderates, oldest first, with the
    decision appealed against and who made it."""
    queryset = Appeal.objects.filter(status=AppealStatus.PENDING).select_related(
        "appellant",
        "contribution__thread__institution",
        "suspension",
        "decision__actor",
    )
    keys = moderated_institution_keys(user)
    if keys is not None:
        queryset = queryset.filter(
            Q(contribution__thread__institution__translation_key__in=keys)
            | Q(suspension__in=Suspension.objects.filter(_suspension_scope(keys)))
        )
    return queryset.order_by("created_at", "pk")


def suspensions_in_force(*, user) -> QuerySet:
    """Suspensions in force that ``user`` may lift, the most recent first."""
    queryset = Suspension.objects.active().select_related("user", "created_by")
    keys = moderated_institution_keys(user)
    if keys is not None:
        queryset = queryset.filter(_suspension_scope(keys))
    return queryset.order_by("-starts_at", "-pk")
