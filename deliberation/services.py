"""Business rules of deliberation: posting, editing, reacting, flagging and moderating.

Every way in (HTML forms, the JSON API, later the websocket) calls these functions; they check
permission, validate, rate-limit, sanitise and apply the moderation policy, and change nothing
when they refuse. Errors carry a message translated for the person who caused them.
"""

import datetime
import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Suspension, User
from consultations.models import DraftVersion, ModerationMode
from deliberation import conf, notifications
from deliberation import rules as deliberation_rules
from deliberation.markup import normalise_text, render_markup
from deliberation.models import (
    Contribution,
    ContributionRevision,
    Flag,
    ModerationAction,
    ModerationActionKind as Kind,
    Reaction,
    ReactionKind,
    Reason,
    Status,
    Thread,
    ThreadKind,
    WatchedWordAction,
)
from deliberation.ratelimits import rate_limit_hit
from deliberation.watched import watched_words_match


class DeliberationError(Exception):
    """A refusal with a message for the person who asked. Nothing was changed."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DeliberationError):
    pass


class Blocked(DeliberationError):
    code = "blocked"


class Refused(DeliberationError):
    code = "forbidden"
    status = 403


class RateLimited(DeliberationError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _refuse_if(message: str | None) -> None:
    if message:
        raise Refused(message)


# --- Threads ---------------------------------------------------------------------------------


def thread_key_for(*, translation_key: uuid.UUID, kind: str, section_id: str = "") -> str:
    """ASCII, at most 100 characters (it names a channel-layer group in the real-time issue)."""
    prefix = {ThreadKind.CONSULTATION: "c", ThreadKind.SECTION: "s", ThreadKind.FORUM: "f"}[kind]
    key = f"{prefix}-{translation_key.hex}"
    return f"{key}-{section_id}" if section_id else key


def thread_for_page(*, page, section_id: str = "") -> Thread:
    """The thread of a consultation (whole or one section) or forum topic, made on first use.

    Translations of a page share one thread. Raises Invalid for a section the draft lacks.
    """
    from deliberation.models import ForumTopicPage

    page = page.specific
    if isinstance(page, ForumTopicPage):
        kind = ThreadKind.FORUM
        section_id = ""
    elif section_id:
        if section_id not in {section.id for section in page.sections}:
            raise Invalid(_("This section does not exist in the draft."), field="section")
        kind = ThreadKind.SECTION
    else:
        kind = ThreadKind.CONSULTATION
    existing = Thread.objects.filter(
        translation_key=page.translation_key, section_id=section_id
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Thread.objects.create(
                key=thread_key_for(
                    translation_key=page.translation_key, kind=kind, section_id=section_id
                ),
                kind=kind,
                translation_key=page.translation_key,
                section_id=section_id,
                page=page,
                institution=page.get_parent().specific,
            )
    except IntegrityError:  # made meanwhile by a concurrent request
        return Thread.objects.get(translation_key=page.translation_key, section_id=section_id)


THREAD_KEY = re.compile(r"^(?P<prefix>[csf])-(?P<hex>[0-9a-f]{32})(?:-(?P<section>[0-9a-f-]{1,64}))?$")


def thread_for_key(*, key: str) -> Thread | None:
    """The thread a key names, made on first use when the key names a live page (and, for a
    section thread, one of its draft's sections). None when it names nothing."""
    existing = Thread.objects.filter(key=key).first()
    if existing is not None:
        return existing
    match = THREAD_KEY.match(key or "")
    if match is None or (match["prefix"] == "s") != bool(match["section"]):
        return None
    from deliberation.models import ForumTopicPage
    from consultations.models import ConsultationPage

    model = ForumTopicPage if match["prefix"] == "f" else ConsultationPage
    page = (
        model.objects.live()
        .filter(translation_key=uuid.UUID(match["hex"]))
        .order_by("pk")
        .first()
    )
    if page is None:
        return None
    try:
        return thread_for_page(page=page, section_id=match["section"] or "")
    except Invalid:
        return None


# --- Posting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostResult:
    contribution: Contribution
    created: bool  # False when the idempotency key had already been used: nothing new


def _clean_body(body: str) -> str:
    text = normalise_text(body or "")
    if not text:
        raise Invalid(_("Write something before sending."), field="body")
    limit = conf.get("DELIBERATION_MAX_LENGTH")
    if len(text) > limit:
        raise Invalid(
            _("A contribution can be at most %(limit)d characters long (this one has %(length)d).")
            % {"limit": limit, "length": len(text)},
            field="body",
        )
    return text


def _rate_limit(*, action: str, user: User, ip_address: str | None) -> None:
    per_account = "DELIBERATION_REACT_RATE_PER_ACCOUNT" if action == "react" else "DELIBERATION_POST_RATE_PER_ACCOUNT"
    identities = {"account": (str(user.pk), conf.get(per_account))}
    if action == "post":
        identities["ip"] = (ip_address or "", conf.get("DELIBERATION_POST_RATE_PER_IP"))
    exceeded = rate_limit_hit(action=action, identities=identities)
    if exceeded:
        raise RateLimited(
            _("You are going too fast. Please wait %(seconds)d seconds and try again; what you wrote is kept below.")
            % {"seconds": exceeded.retry_after},
            retry_after=exceeded.retry_after,
        )


def _draft_version_for(thread: Thread, language: str) -> DraftVersion | None:
    if thread.kind == ThreadKind.FORUM:
        return None
    versions = DraftVersion.objects.filter(
        consultation__translation_key=thread.translation_key
    ).order_by("-number")
    return (
        versions.filter(consultation__locale__language_code=language).first()
        or versions.filter(consultation_id=thread.page_id).first()
    )


def _initial_status(*, author: User, thread: Thread, moderator: bool) -> Status:
    if moderator:
        return Status.PUBLISHED
    if thread.target.moderation_mode == ModerationMode.PRE:
        return Status.PENDING
    newcomer_limit = conf.get("DELIBERATION_NEW_ACCOUNT_PREMODERATED")
    if newcomer_limit and (
        Contribution.objects.filter(author=author, status__in=[Status.PUBLISHED, Status.HIDDEN])
        .values("pk")[:newcomer_limit]
        .count()
        < newcomer_limit
    ):
        return Status.PENDING
    return Status.PUBLISHED


def contribution_post(
    *,
    author: User,
    thread: Thread,
    body: str,
    idempotency_key: uuid.UUID,
    parent: Contribution | None = None,
    ip_address: str | None = None,
    language: str = "",
    now: datetime.datetime | None = None,
) -> PostResult:
    """Post a contribution (or a reply to ``parent``) in ``thread``.

    The same ``idempotency_key`` from the same author gives back the first contribution and
    creates nothing, also when both requests race. Raises a DeliberationError (nothing saved)
    when the author may not post, the text is empty, too long or blocked, or the rate is
    exceeded.
    """
    if author.is_authenticated:
        existing = Contribution.objects.filter(author=author, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, thread)
    _refuse_if(deliberation_rules.post_refusal(author, thread))
    text = _clean_body(body)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise Invalid(_("You can only reply to a contribution in the same thread."), field="parent")
        if parent.status != Status.PUBLISHED:
            raise Invalid(_("You can only reply to a published contribution."), field="parent")
        if parent.depth >= conf.get("DELIBERATION_MAX_DEPTH"):
            raise Invalid(_("Replies cannot be nested any deeper here."), field="parent")
    is_moderator = author.has_perm("deliberation.moderate_thread", thread)
    match = watched_words_match(text=text, language=language)
    if match and match.action == WatchedWordAction.BLOCK:
        raise Blocked(
            _("Your contribution was not published: it contains words this platform does not accept (%(words)s). Please rephrase it.")
            % {"words": ", ".join(match.phrases)},
            field="body",
        )
    _rate_limit(action="post", user=author, ip_address=ip_address)
    now = now or timezone.now()
    status = _initial_status(author=author, thread=thread, moderator=is_moderator)
    if match and match.action == WatchedWordAction.HOLD and not is_moderator:
        status = Status.PENDING
    try:
        with transaction.atomic():
            # The thread row is the lock that orders concurrent posts in this thread.
            locked = Thread.objects.select_for_update().get(pk=thread.pk)
            existing = Contribution.objects.filter(
                author=author, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return _replayed(existing, thread)
            locked.last_number += 1
            locked.save(update_fields=["last_number"])
            step = f"{locked.last_number:0{Contribution.PATH_STEP}d}"
            contribution = Contribution.objects.create(
                thread=thread,
                parent=parent,
                root=(parent.root or parent) if parent else None,
                path=(parent.path if parent else "") + step,
                depth=(parent.depth + 1) if parent else 1,
                author=author,
                body=text,
                body_html=render_markup(text),
                language=language,
                draft_version=_draft_version_for(thread, language),
                status=status,
                idempotency_key=idempotency_key,
                created_at=now,
                published_at=now if status == Status.PUBLISHED else None,
            )
            if match and match.action == WatchedWordAction.HOLD and status == Status.PENDING:
                _log(None, Kind.AUTO_HOLD, contribution, note=", ".join(match.phrases))
            elif match and match.action == WatchedWordAction.FLAG:
                Flag.objects.create(
                    contribution=contribution, reason=Reason.OTHER, note=", ".join(match.phrases)
                )
                Contribution.objects.filter(pk=contribution.pk).update(open_flag_count=1)
                contribution.open_flag_count = 1
                _log(None, Kind.AUTO_FLAG, contribution, note=", ".join(match.phrases))
            if status == Status.PUBLISHED:
                transaction.on_commit(lambda: notifications.reply_published(contribution.pk))
    except IntegrityError:
        # A concurrent request with the same key won the race.
        existing = Contribution.objects.filter(author=author, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _replayed(existing, thread)
    return PostResult(contribution, created=True)


def _replayed(existing: Contribution, thread: Thread) -> PostResult:
    if existing.thread_id != thread.pk:
        raise Invalid(_("This submission key was already used for another contribution."))
    return PostResult(existing, created=False)


def contribution_edit(
    *, contribution: Contribution, editor: User, body: str, now: datetime.datetime | None = None
) -> Contribution:
    """Replace the text within the grace period; the earlier text is kept as a revision."""
    now = now or timezone.now()
    _refuse_if(deliberation_rules.edit_refusal(editor, contribution, now=now))
    text = _clean_body(body)
    if text == contribution.body:
        return contribution
    match = watched_words_match(text=text, language=contribution.language)
    if match and match.action == WatchedWordAction.BLOCK:
        raise Blocked(
            _("Your change was not saved: it contains words this platform does not accept (%(words)s).")
            % {"words": ", ".join(match.phrases)},
            field="body",
        )
    with transaction.atomic():
        ContributionRevision.objects.create(
            contribution=contribution, body=contribution.body, created_at=contribution.edited_at or contribution.created_at
        )
        contribution.body = text
        contribution.body_html = render_markup(text)
        contribution.edited_at = now
        fields = ["body", "body_html", "edited_at"]
        if (
            match
            and match.action == WatchedWordAction.HOLD
            and contribution.status == Status.PUBLISHED
            and not editor.has_perm("deliberation.moderate_thread", contribution.thread)
        ):
            contribution.status = Status.PENDING
            fields.append("status")
            _log(None, Kind.AUTO_HOLD, contribution, note=", ".join(match.phrases))
        elif (
            match
            and match.action == WatchedWordAction.FLAG
            and not contribution.flags.filter(user=None, reviewed_at__isnull=True).exists()
        ):
            # Editing a flagged word in is flagged as posting it would have been.
            Flag.objects.create(
                contribution=contribution, reason=Reason.OTHER, note=", ".join(match.phrases)
            )
            contribution.open_flag_count = contribution.flags.filter(reviewed_at__isnull=True).count()
            fields.append("open_flag_count")
            _log(None, Kind.AUTO_FLAG, contribution, note=", ".join(match.phrases))
        contribution.save(update_fields=fields)
    return contribution


# --- Reactions and flags ------------------------------------------------------------------------


def contribution_react(
    *, user: User, contribution: Contribution, kind: str | None
) -> Contribution:
    """Agree, disagree, or (``kind`` None) take one's reaction back. One per person."""
    if kind is not None and kind not in ReactionKind.values:
        raise Invalid(_("Unknown reaction."), field="kind")
    _refuse_if(deliberation_rules.react_refusal(user, contribution))
    _rate_limit(action="react", user=user, ip_address=None)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if kind is None:
            Reaction.objects.filter(contribution=locked, user=user).delete()
        else:
            Reaction.objects.update_or_create(contribution=locked, user=user, defaults={"kind": kind})
        counts = Reaction.objects.filter(contribution=locked).aggregate(
            agree=Count("pk", filter=Q(kind=ReactionKind.AGREE)),
            disagree=Count("pk", filter=Q(kind=ReactionKind.DISAGREE)),
        )
        locked.agree_count, locked.disagree_count = counts["agree"], counts["disagree"]
        locked.save(update_fields=["agree_count", "disagree_count"])
    return locked


def contribution_flag(
    *, user: User, contribution: Contribution, reason: str, note: str = ""
) -> Flag:
    """Report a contribution. At the threshold of open reports it is hidden pending review."""
    if reason not in Reason.values or reason == Reason.FLAGGED:
        raise Invalid(_("Choose why you are reporting this contribution."), field="reason")
    _refuse_if(deliberation_rules.flag_refusal(user, contribution))
    note = normalise_text(note)[:500]
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if Flag.objects.filter(contribution=locked, user=user).exists():
            raise Invalid(_("You have already reported this contribution. Moderators will look at it."))
        flag = Flag.objects.create(contribution=locked, user=user, reason=reason, note=note)
        open_flags = Flag.objects.filter(contribution=locked, reviewed_at__isnull=True)
        locked.open_flag_count = open_flags.count()
        fields = ["open_flag_count"]
        # The threshold counts readers' reports, not a watched word's automatic flag.
        if (
            locked.status == Status.PUBLISHED
            and open_flags.filter(user__isnull=False).count()
            >= conf.get("DELIBERATION_FLAG_THRESHOLD")
        ):
            locked.status, locked.reason, locked.moderated_at = Status.HIDDEN, Reason.FLAGGED, timezone.now()
            fields += ["status", "reason", "moderated_at"]
            _log(None, Kind.AUTO_HIDE, locked, reason=Reason.FLAGGED)
        locked.save(update_fields=fields)
    return flag


# --- Moderation ---------------------------------------------------------------------------------


def _log(actor, action, contribution=None, *, thread=None, subject=None, reason="", note=""):
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        contribution=contribution,
        thread=thread or (contribution.thread if contribution else None),
        subject=subject or (contribution.author if contribution else None),
        reason=reason,
        note=note,
    )


# action: (statuses it applies to, status it leads to, needs a reason)
TRANSITIONS = {
    Kind.APPROVE: ({Status.PENDING}, Status.PUBLISHED, False),
    Kind.REJECT: ({Status.PENDING}, Status.REJECTED, True),
    Kind.HIDE: ({Status.PUBLISHED}, Status.HIDDEN, True),
    Kind.RESTORE: ({Status.HIDDEN, Status.REJECTED}, Status.PUBLISHED, False),
    Kind.DISMISS_FLAGS: ({Status.PUBLISHED}, None, False),
    Kind.PIN: ({Status.PUBLISHED}, None, False),
    Kind.UNPIN: ({Status.PUBLISHED, Status.HIDDEN}, None, False),
    Kind.MARK_OFFICIAL: ({Status.PUBLISHED}, None, False),
    Kind.UNMARK_OFFICIAL: ({Status.PUBLISHED, Status.HIDDEN}, None, False),
}
CONTRIBUTION_ACTIONS = tuple(TRANSITIONS)


def _already_done(contribution: Contribution, action: Kind) -> bool:
    """Pinning what is pinned (etc.) would change nothing and only add noise to the log."""
    return {
        Kind.PIN: contribution.pinned,
        Kind.UNPIN: not contribution.pinned,
        Kind.MARK_OFFICIAL: contribution.official,
        Kind.UNMARK_OFFICIAL: not contribution.official,
        Kind.DISMISS_FLAGS: contribution.open_flag_count == 0,
    }.get(action, False)
NOTIFIED_ACTIONS = {Kind.APPROVE, Kind.REJECT, Kind.HIDE, Kind.RESTORE}


def contribution_moderate(
    *, moderator: User, contribution: Contribution, action: str, reason: str = "", note: str = ""
) -> Contribution:
    """Apply one moderator action and write it to the audit log, or refuse and change nothing."""
    if not moderator.has_perm("deliberation.moderate_contribution", contribution):
        raise Refused(_("You do not moderate this discussion."))
    try:
        action = Kind(action)
        allowed_from, becomes, needs_reason = TRANSITIONS[action]
    except (ValueError, KeyError):
        raise Invalid(_("Unknown moderation action."), field="action") from None
    if needs_reason and (reason not in Reason.values or reason == Reason.FLAGGED):
        raise Invalid(_("Choose the public reason for this decision."), field="reason")
    now = timezone.now()
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().select_related("thread").get(pk=contribution.pk)
        if locked.status not in allowed_from:
            raise Invalid(
                _("This contribution is now “%(status)s”: that action no longer applies. Another moderator may have acted on it.")
                % {"status": locked.get_status_display()}
            )
        if _already_done(locked, action):
            raise Invalid(
                _("That action no longer applies to this contribution. Another moderator may have acted on it.")
            )
        fields = ["moderated_at"]
        locked.moderated_at = now
        first_publication = becomes == Status.PUBLISHED and locked.published_at is None
        if becomes is not None:
            locked.status = becomes
            locked.reason = reason if becomes in (Status.HIDDEN, Status.REJECTED) else ""
            fields += ["status", "reason"]
            if becomes == Status.PUBLISHED and locked.published_at is None:
                locked.published_at = now
                fields.append("published_at")
        if action in (Kind.HIDE, Kind.RESTORE, Kind.DISMISS_FLAGS, Kind.APPROVE, Kind.REJECT):
            Flag.objects.filter(contribution=locked, reviewed_at__isnull=True).update(reviewed_at=now)
            locked.open_flag_count = 0
            fields.append("open_flag_count")
        if action in (Kind.PIN, Kind.UNPIN):
            locked.pinned = action == Kind.PIN
            fields.append("pinned")
        if action in (Kind.MARK_OFFICIAL, Kind.UNMARK_OFFICIAL):
            locked.official = action == Kind.MARK_OFFICIAL
            fields.append("official")
        locked.save(update_fields=fields)
        _log(moderator, action, locked, reason=reason if needs_reason else "", note=note)
        if action in NOTIFIED_ACTIONS:
            transaction.on_commit(lambda: notifications.moderation_decided(locked.pk, action))
        if first_publication:  # approved, or restored after a rejection: replied-to authors hear now
            transaction.on_commit(lambda: notifications.reply_published(locked.pk))
    return locked


def thread_lock(*, moderator: User, thread: Thread, locked: bool, note: str = "") -> Thread:
    """Lock a thread (no new contributions, replies or edits) or unlock it."""
    if not moderator.has_perm("deliberation.moderate_thread", thread):
        raise Refused(_("You do not moderate this discussion."))
    with transaction.atomic():
        row = Thread.objects.select_for_update().get(pk=thread.pk)
        if row.locked == locked:
            raise Invalid(
                _("This thread is already locked.") if locked else _("This thread is not locked.")
            )
        row.locked_at = timezone.now() if locked else None
        row.save(update_fields=["locked_at"])
        _log(moderator, Kind.LOCK if locked else Kind.UNLOCK, thread=row, note=note)
    return row


def user_suspend(
    *,
    moderator: User,
    user: User,
    days: int,
    reason: str,
    note: str = "",
    contribution: Contribution | None = None,
) -> Suspension:
    """Bar ``user`` from posting and reacting for ``days`` days, for a stated reason.

    A moderator may suspend the author of a contribution in a thread they moderate;
    platform-wide moderators may suspend anyone but another moderator or an administrator.
    """
    allowed = (
        moderator.has_perm("deliberation.moderate_contribution", contribution)
        if contribution is not None
        else deliberation_rules.moderated_institution_keys(moderator) is None
    )
    if not allowed:
        raise Refused(_("You do not moderate this discussion."))
    if contribution is not None and contribution.author_id != user.pk:
        raise Invalid(_("This contribution was written by someone else."))
    if user.is_superuser or user.pk == moderator.pk or user.has_perm("deliberation.moderate"):
        raise Refused(_("Moderators and administrators cannot be suspended here."))
    if reason not in Reason.values or reason == Reason.FLAGGED:
        raise Invalid(_("Choose the reason for the suspension."), field="reason")
    if not 1 <= days <= 365:
        raise Invalid(_("A suspension lasts from 1 to 365 days."), field="days")
    now = timezone.now()
    with transaction.atomic():
        suspension = Suspension.objects.create(
            user=user,
            reason=reason,
            note=note,
            starts_at=now,
            ends_at=now + datetime.timedelta(days=days),
            created_by=moderator,
        )
        vars(user).pop("_active_suspension", None)  # rules cache the answer on the object
        _log(
            moderator,
            Kind.SUSPEND,
            contribution,
            thread=contribution.thread if contribution else None,
            subject=user,
            reason=reason,
            note=note or _("%(days)d days") % {"days": days},
        )
    return suspension
