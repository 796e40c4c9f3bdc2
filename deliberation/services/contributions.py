"""Posting and editing: what citizens write in a thread."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from deliberation import conf, notifications
from deliberation import rules as deliberation_rules
from deliberation.markup import normalise_text, render_markup
from deliberation.models import (
    Contribution,
    ContributionRevision,
    Flag,
    ModerationMode,
    Reason,
    Status,
    Thread,
    WatchedWordAction,
)
from deliberation.models import (
    ModerationActionKind as Kind,
)
from deliberation.realtime.events import (
    moderation_flagged_notify,
    moderation_pending_notify,
    thread_event_record,
    thread_lock_for_event,
)
from deliberation.services.checks import rate_limit, refuse_if, refuse_lone_surrogates
from deliberation.services.errors import Blocked, Invalid, NotFound
from deliberation.services.moderation import moderation_action_record
from deliberation.watched import watched_words_match


@dataclass(frozen=True)
class PostResult:
    contribution: Contribution
    created: bool  # False when the idempotency key had already been used: nothing new


def _clean_body(body: str) -> str:
    refuse_lone_surrogates(body, field="body")
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
    parent_id: int | None = None,
    ip_address: str | None = None,
    language: str = "",
    now: datetime.datetime | None = None,
    screened_with: str = "",
) -> PostResult:
    """Post a contribution (or a reply to contribution ``parent_id``) in ``thread``.

    The same ``idempotency_key`` from the same author gives back the first contribution and
    creates nothing, also when both requests race. Raises a DeliberationError (nothing saved)
    when the author may not post, the text is empty, too long or blocked, or the rate is
    exceeded.
    """
    if author.is_authenticated:
        existing = Contribution.objects.filter(author=author, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, thread)
    refuse_if(deliberation_rules.post_refusal(author, thread))
    text = _clean_body(body)
    parent = _reply_parent(thread=thread, parent_id=parent_id)
    is_moderator = author.has_perm("deliberation.moderate_thread", thread)
    match = watched_words_match(
        text=f"{screened_with}\n{text}" if screened_with else text, language=language
    )
    if match and match.action == WatchedWordAction.BLOCK:
        raise Blocked(
            _("Your contribution was not published: it contains words this platform does not accept (%(words)s). Please rephrase it.")
            % {"words": ", ".join(match.phrases)},
            field="body",
        )
    rate_limit(action="post", user=author, ip_address=ip_address)
    status = _initial_status(author=author, thread=thread, moderator=is_moderator)
    if match and match.action == WatchedWordAction.HOLD and not is_moderator:
        status = Status.PENDING
    fields = dict(
        thread=thread, parent=parent, author=author, body=text, body_html=render_markup(text),
        language=language, status=status, idempotency_key=idempotency_key,
        draft_version=thread.target.contribution_version(language=language),
    )
    try:
        with transaction.atomic():
            # The thread row is the lock that orders concurrent posts in this thread.
            locked = Thread.objects.select_for_update().only("last_number", "last_seq").get(pk=thread.pk)
            existing = Contribution.objects.filter(
                author=author, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return _replayed(existing, thread)
            contribution = _contribution_store(locked=locked, now=now or timezone.now(), **fields)
            _posted_record(contribution, locked=locked, match=match)
    except IntegrityError:
        # A concurrent request with the same key won the race.
        existing = Contribution.objects.filter(author=author, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _replayed(existing, thread)
    return PostResult(contribution, created=True)


def _reply_parent(*, thread: Thread, parent_id: int | None) -> Contribution | None:
    """The contribution a reply answers: published, in ``thread``, not nested too deep."""
    if parent_id is None:
        return None
    parent = contribution_in_thread(contribution_id=parent_id, thread=thread, field="parent")
    if parent.status != Status.PUBLISHED:
        raise Invalid(_("You can only reply to a published contribution."), field="parent")
    if parent.depth >= conf.get("DELIBERATION_MAX_DEPTH"):
        raise Invalid(_("Replies cannot be nested any deeper here."), field="parent")
    return parent


def _contribution_store(*, locked: Thread, parent: Contribution | None, now, **fields) -> Contribution:
    """Create the contribution under the thread's lock (``locked``), numbered next in the thread:
    its path places it after its parent's earlier replies."""
    locked.last_number += 1
    step = f"{locked.last_number:0{Contribution.PATH_STEP}d}"
    return Contribution.objects.create(
        parent=parent,
        root=(parent.root or parent) if parent else None,
        path=(parent.path if parent else "") + step,
        depth=(parent.depth + 1) if parent else 1,
        created_at=now,
        published_at=now if fields["status"] == Status.PUBLISHED else None,
        **fields,
    )


def _posted_record(contribution: Contribution, *, locked: Thread, match) -> None:
    """What follows a new contribution in its transaction: a watched word's hold or flag, its
    event (published) or the moderators' notice (pending), and the thread row saved once."""
    if match and match.action == WatchedWordAction.HOLD and contribution.status == Status.PENDING:
        moderation_action_record(None, Kind.AUTO_HOLD, contribution, note=", ".join(match.phrases))
    elif match and match.action == WatchedWordAction.FLAG:
        Flag.objects.create(
            contribution=contribution, reason=Reason.OTHER, note=", ".join(match.phrases)
        )
        Contribution.objects.filter(pk=contribution.pk).update(open_flag_count=1)
        contribution.open_flag_count = 1
        moderation_action_record(None, Kind.AUTO_FLAG, contribution, note=", ".join(match.phrases))
    if contribution.status == Status.PUBLISHED:
        thread_event_record(
            thread_id=locked.pk, type="contribution.published", contribution=contribution,
            locked=locked, locked_fields=("last_number",),
        )
        # robust: a mail failure is logged; the saved contribution is not an error.
        transaction.on_commit(lambda: notifications.reply_published(contribution.pk), robust=True)
    else:
        locked.save(update_fields=["last_number"])
        moderation_pending_notify(contribution=contribution)
    if contribution.open_flag_count:
        moderation_flagged_notify(contribution=contribution)


def contribution_in_thread(*, contribution_id: int, thread: Thread, field: str = "id") -> Contribution:
    """Contribution ``contribution_id`` of ``thread``; NotFound (naming ``field``) when the
    thread has none by that number."""
    contribution = Contribution.objects.filter(pk=contribution_id, thread_id=thread.pk).first()
    if contribution is None:
        raise NotFound(
            _("The contribution you are replying to does not exist in this discussion.")
            if field == "parent"
            else _("This contribution does not exist in this discussion."),
            field=field,
        )
    contribution.thread = thread
    return contribution


def _replayed(existing: Contribution, thread: Thread) -> PostResult:
    if existing.thread_id != thread.pk:
        raise Invalid(_("This submission key was already used for another contribution."))
    return PostResult(existing, created=False)


def contribution_edit(
    *, contribution: Contribution, editor: User, body: str, now: datetime.datetime | None = None
) -> Contribution:
    """Replace the text within the grace period; the earlier text is kept as a revision."""
    now = now or timezone.now()
    refuse_if(deliberation_rules.edit_refusal(editor, contribution, now=now))
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
        thread_lock_for_event(contribution.thread_id)
        # Work on the row as it is now (a moderator may have acted since it was read).
        contribution = (
            Contribution.objects.select_for_update(of=("self",)).select_related("thread").get(pk=contribution.pk)
        )
        refuse_if(deliberation_rules.edit_refusal(editor, contribution, now=now))
        ContributionRevision.objects.create(
            contribution=contribution,
            body=contribution.body,
            created_at=contribution.edited_at or contribution.created_at,
        )
        contribution.body = text
        contribution.body_html = render_markup(text)
        contribution.edited_at = now
        fields = ["body", "body_html", "edited_at"]
        fields += _edit_moderation(contribution, editor=editor, match=match)
        contribution.save(update_fields=fields)
        _edit_announce(contribution, fields=fields)
    return contribution


def _edit_moderation(contribution: Contribution, *, editor: User, match) -> list[str]:
    """Hold or flag an edited contribution as posting its new text would have; returns the
    fields this changed."""
    fields: list[str] = []
    moderator = editor.has_perm("deliberation.moderate_thread", contribution.thread)
    held = match and match.action == WatchedWordAction.HOLD
    # What needed a moderator's approval needs it again once changed: otherwise an
    # approved text could be rewritten into anything during the grace period.
    premoderated = (
        _initial_status(author=editor, thread=contribution.thread, moderator=moderator)
        == Status.PENDING
    )
    if contribution.status == Status.PUBLISHED and not moderator and (held or premoderated):
        contribution.status = Status.PENDING
        fields.append("status")
        moderation_action_record(
            None,
            Kind.AUTO_HOLD,
            contribution,
            note=", ".join(match.phrases) if held else _("edited after approval"),
        )
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
        moderation_action_record(None, Kind.AUTO_FLAG, contribution, note=", ".join(match.phrases))
    return fields


def _edit_announce(contribution: Contribution, *, fields: list[str]) -> None:
    """Tell readers and moderators what the edit changed."""
    if contribution.status == Status.PUBLISHED:
        thread_event_record(
            thread_id=contribution.thread_id, type="contribution.edited", contribution=contribution
        )
    elif "status" in fields:  # back to moderation: readers no longer see it
        thread_event_record(
            thread_id=contribution.thread_id,
            type="contribution.withdrawn",
            contribution=contribution,
        )
        moderation_pending_notify(contribution=contribution)
    if "open_flag_count" in fields:
        moderation_flagged_notify(contribution=contribution)
