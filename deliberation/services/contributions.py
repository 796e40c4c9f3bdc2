"""Posting, editing, reacting and reporting: what citizens do in a thread."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from accounts.models import User
from consultations.models import DraftVersion, ModerationMode
from deliberation import conf, notifications
from deliberation import rules as deliberation_rules
from deliberation.markup import has_lone_surrogate, normalise_text, render_markup
from deliberation.models import (
    Contribution,
    ContributionRevision,
    Flag,
    ModerationActionKind as Kind,
    Reaction,
    ReactionKind,
    Reason,
    Status,
    Thread,
    ThreadKind,
    WatchedWordAction,
)
from accounts.ratelimits import rate_limit_hit
from deliberation.realtime.events import (
    moderation_flagged_notify,
    moderation_pending_notify,
    thread_event_record,
    thread_lock_for_event,
)
from deliberation.services.errors import Blocked, Invalid, NotFound, RateLimited, Refused
from deliberation.services.moderation import moderation_action_record
from deliberation.watched import watched_words_match


def _refuse_if(message: str | None) -> None:
    if isinstance(message, deliberation_rules.Unreadable):
        raise NotFound(message)
    if message:
        raise Refused(message)


@dataclass(frozen=True)
class PostResult:
    contribution: Contribution
    created: bool  # False when the idempotency key had already been used: nothing new


INVALID_CHARACTER = gettext_lazy(
    "Your text contains an invalid character, probably from a bad copy and paste. Remove it "
    "and send again."
)


def _refuse_lone_surrogates(text: str, *, field: str) -> None:
    if has_lone_surrogate(text):
        raise Invalid(str(INVALID_CHARACTER), field=field)


def _clean_body(body: str) -> str:
    _refuse_lone_surrogates(body, field="body")
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
            ngettext(
                "You are going too fast. Please wait %(seconds)d second and try again; what you wrote is kept below.",
                "You are going too fast. Please wait %(seconds)d seconds and try again; what you wrote is kept below.",
                exceeded.retry_after,
            )
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
    parent_id: int | None = None,
    ip_address: str | None = None,
    language: str = "",
    now: datetime.datetime | None = None,
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
    _refuse_if(deliberation_rules.post_refusal(author, thread))
    text = _clean_body(body)
    parent = None
    if parent_id is not None:
        parent = contribution_in_thread(contribution_id=parent_id, thread=thread, field="parent")
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
                moderation_action_record(None, Kind.AUTO_HOLD, contribution, note=", ".join(match.phrases))
            elif match and match.action == WatchedWordAction.FLAG:
                Flag.objects.create(
                    contribution=contribution, reason=Reason.OTHER, note=", ".join(match.phrases)
                )
                Contribution.objects.filter(pk=contribution.pk).update(open_flag_count=1)
                contribution.open_flag_count = 1
                moderation_action_record(None, Kind.AUTO_FLAG, contribution, note=", ".join(match.phrases))
            if status == Status.PUBLISHED:
                thread_event_record(
                    thread_id=thread.pk, type="contribution.published", contribution=contribution
                )
                # robust: a mail failure is logged; the saved contribution is not an error.
                transaction.on_commit(
                    lambda: notifications.reply_published(contribution.pk), robust=True
                )
            else:
                moderation_pending_notify(contribution=contribution)
            if contribution.open_flag_count:
                moderation_flagged_notify(contribution=contribution)
    except IntegrityError:
        # A concurrent request with the same key won the race.
        existing = Contribution.objects.filter(author=author, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _replayed(existing, thread)
    return PostResult(contribution, created=True)


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
        thread_lock_for_event(contribution.thread_id)
        # Work on the row as it is now (a moderator may have acted since it was read).
        contribution = (
            Contribution.objects.select_for_update().select_related("thread").get(pk=contribution.pk)
        )
        _refuse_if(deliberation_rules.edit_refusal(editor, contribution, now=now))
        ContributionRevision.objects.create(
            contribution=contribution,
            body=contribution.body,
            created_at=contribution.edited_at or contribution.created_at,
        )
        contribution.body = text
        contribution.body_html = render_markup(text)
        contribution.edited_at = now
        fields = ["body", "body_html", "edited_at"]
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
        contribution.save(update_fields=fields)
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
        thread_lock_for_event(contribution.thread_id)
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
        thread_event_record(
            thread_id=locked.thread_id,
            type="contribution.reactions",
            contribution=locked,
            data={"agree": locked.agree_count, "disagree": locked.disagree_count},
        )
    return locked


def _trusted_reporters_q(*, now: datetime.datetime) -> Q:
    """Flags whose reporter may help hide a contribution without a moderator: staff, or an
    account with a confirmed address that is at least DELIBERATION_FLAG_TRUSTED_ACCOUNT_DAYS
    old."""
    joined_before = now - datetime.timedelta(days=conf.get("DELIBERATION_FLAG_TRUSTED_ACCOUNT_DAYS"))
    return Q(user__is_staff=True) | Q(
        user__email_verified=True, user__date_joined__lte=joined_before
    )


def contribution_flag(
    *, user: User, contribution: Contribution, reason: str, note: str = ""
) -> Flag:
    """Report a contribution. Every report reaches the moderators' queue at once; at the
    threshold of open reports from trusted accounts it is hidden pending review."""
    if reason not in Reason.values or reason == Reason.FLAGGED:
        raise Invalid(_("Choose why you are reporting this contribution."), field="reason")
    _refuse_if(deliberation_rules.flag_refusal(user, contribution))
    _refuse_lone_surrogates(note, field="note")
    note = normalise_text(note)[:500]
    with transaction.atomic():
        thread_lock_for_event(contribution.thread_id)
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if Flag.objects.filter(contribution=locked, user=user).exists():
            raise Invalid(_("You have already reported this contribution. Moderators will look at it."))
        flag = Flag.objects.create(contribution=locked, user=user, reason=reason, note=note)
        open_flags = Flag.objects.filter(contribution=locked, reviewed_at__isnull=True)
        locked.open_flag_count = open_flags.count()
        fields = ["open_flag_count"]
        # The threshold counts trusted readers' reports: not a watched word's automatic flag,
        # and not accounts that are new or unverified, which anyone can make by the dozen
        # (docs/security.md, "Reports and hiding"). Every report reaches the queue below.
        if (
            locked.status == Status.PUBLISHED
            and open_flags.filter(_trusted_reporters_q(now=timezone.now())).count()
            >= conf.get("DELIBERATION_FLAG_THRESHOLD")
        ):
            locked.status, locked.reason, locked.moderated_at = Status.HIDDEN, Reason.FLAGGED, timezone.now()
            fields += ["status", "reason", "moderated_at"]
            moderation_action_record(None, Kind.AUTO_HIDE, locked, reason=Reason.FLAGGED)
        locked.save(update_fields=fields)
        if locked.status == Status.HIDDEN and "status" in fields:
            thread_event_record(
                thread_id=locked.thread_id,
                type="contribution.hidden",
                contribution=locked,
                data={"reason": locked.reason},
            )
        moderation_flagged_notify(contribution=locked)
    return flag
