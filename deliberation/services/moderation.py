"""Moderators' actions on contributions, threads and accounts, each written to the audit log."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Suspension, User
from deliberation import notifications
from deliberation import rules as deliberation_rules
from deliberation.models import (
    Contribution,
    Flag,
    ModerationAction,
    Reason,
    Status,
    Thread,
)
from deliberation.models import (
    ModerationActionKind as Kind,
)
from deliberation.realtime.events import (
    account_suspended_notify,
    moderation_decided_notify,
    moderation_thread_notify,
    thread_event_record,
    thread_lock_for_event,
)
from deliberation.services.errors import Invalid, Refused
from deliberation.services.official import official_reply_sign


def moderation_action_record(
    actor,
    action,
    contribution=None,
    *,
    thread=None,
    subject=None,
    proposal=None,
    suspension=None,
    appeal=None,
    reason="",
    note="",
) -> ModerationAction:
    """Append one entry to the audit log; ``actor`` None for what the system did itself.
    ``proposal``: a forum topic a citizen proposed (its proposer is the account concerned);
    ``suspension``, ``appeal``: the suspension or appeal the entry is about."""
    if subject is None:
        subject = contribution.author if contribution else (proposal.proposer if proposal else None)
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        contribution=contribution,
        proposal=proposal,
        suspension=suspension,
        appeal=appeal,
        thread=thread or (contribution.thread if contribution else None),
        subject=subject,
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
    *,
    moderator: User,
    contribution: Contribution,
    action: str,
    reason: str = "",
    note: str = "",
    notify: bool = True,
) -> Contribution:
    """Apply one moderator action and write it to the audit log, or refuse and change nothing.

    ``notify=False``: the author is not mailed about it (an appeal's decision sends its own)."""
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
    signed = None
    try:
        with transaction.atomic():
            thread_lock_for_event(contribution.thread_id)
            locked = (
                Contribution.objects.select_for_update(of=("self",))
                .select_related("thread__institution", "thread__page__locale")
                .get(pk=contribution.pk)
            )
            was = locked.status
            if locked.status not in allowed_from:
                raise Invalid(
                    _("This contribution is now “%(status)s”: that action no longer applies. Another moderator may have acted on it.")
                    % {"status": locked.get_status_display()}
                )
            if _already_done(locked, action):
                raise Invalid(
                    _("That action no longer applies to this contribution. Another moderator may have acted on it.")
                )
            if action == Kind.MARK_OFFICIAL and locked.signed_document_id is None:
                signed = official_reply_sign(contribution=locked, moderator=moderator)
                locked.signed_document = signed
            first_publication = becomes == Status.PUBLISHED and locked.published_at is None
            fields = _decision_apply(locked, action=action, becomes=becomes, reason=reason, now=now)
            locked.save(update_fields=fields + (["signed_document"] if signed else []))
            moderation_action_record(moderator, action, locked, reason=reason if needs_reason else "", note=note)
            _decision_announce(
                locked,
                action=action,
                was=was,
                moderator=moderator,
                first_publication=first_publication,
                notify=notify,
            )
    except BaseException:
        if signed is not None:  # its row was rolled back: its PDF goes too
            signed.pdf.delete(save=False)
        raise
    return locked


def _decision_apply(locked: Contribution, *, action, becomes, reason: str, now) -> list[str]:
    """Set what the action changes on the (locked) contribution; returns those fields."""
    fields = ["moderated_at"]
    locked.moderated_at = now
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
    return fields


def _decision_announce(
    locked: Contribution,
    *,
    action,
    was: str,
    moderator: User,
    first_publication: bool,
    notify: bool = True,
) -> None:
    """The thread event, the moderators' live queue and the e-mails a decision sends."""
    event = _thread_event_type(action, was)
    if event:
        thread_event_record(
            thread_id=locked.thread_id,
            type=event,
            contribution=locked,
            data={
                "reason": locked.reason,
                "pinned": locked.pinned,
                "official": locked.official,
            },
        )
    moderation_decided_notify(contribution=locked, action=action, actor=moderator)
    if notify and action in NOTIFIED_ACTIONS:
        # robust: a mail failure is logged; the decision stands and is not an error.
        transaction.on_commit(
            lambda: notifications.moderation_decided(locked.pk, action), robust=True
        )
    if first_publication:  # approved, or restored after a rejection: replied-to authors hear now
        transaction.on_commit(
            lambda: notifications.reply_published(locked.pk), robust=True
        )



def _thread_event_type(action: Kind, was: Status) -> str | None:
    """What readers of the thread see of a moderator's action (nothing for a pending item
    refused, or reports dismissed)."""
    if action == Kind.APPROVE or (action == Kind.RESTORE and was == Status.REJECTED):
        return "contribution.published"
    return {
        Kind.HIDE: "contribution.hidden",
        Kind.RESTORE: "contribution.restored",
        Kind.PIN: "contribution.pinned",
        Kind.UNPIN: "contribution.pinned",
        Kind.MARK_OFFICIAL: "contribution.official",
        Kind.UNMARK_OFFICIAL: "contribution.official",
    }.get(action)


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
        moderation_action_record(moderator, Kind.LOCK if locked else Kind.UNLOCK, thread=row, note=note)
        thread_event_record(thread_id=row.pk, type="thread.locked", data={"locked": locked})
        moderation_thread_notify(thread=row, locked=locked, actor=moderator)
    return row


def user_suspend(
    *,
    moderator: User,
    user: User,
    days: int | None = None,
    reason: str,
    note: str = "",
    contribution: Contribution | None = None,
    permanent: bool = False,
) -> Suspension:
    """Bar ``user`` from posting and reacting for ``days`` days, or until a moderator lifts it
    (``permanent``), for a stated reason.

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
    if not permanent and (days is None or not 1 <= days <= 365):
        raise Invalid(_("A suspension lasts from 1 to 365 days."), field="days")
    now = timezone.now()
    with transaction.atomic():
        suspension = Suspension.objects.create(
            user=user,
            reason=reason,
            note=note,
            starts_at=now,
            ends_at=None if permanent else now + datetime.timedelta(days=days),
            created_by=moderator,
        )
        vars(user).pop("_active_suspension", None)  # rules cache the answer on the object
        moderation_action_record(
            moderator,
            Kind.SUSPEND,
            contribution,
            thread=contribution.thread if contribution else None,
            subject=user,
            suspension=suspension,
            reason=reason,
            note=note
            or (
                _("Permanent")
                if permanent
                else ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
            ),
        )
        account_suspended_notify(suspension=suspension)
    return suspension


LIFT_REASON_MAX_LENGTH = 1000


def suspension_lift_apply(
    *, moderator: User, suspension: Suspension, reason: str, appeal=None
) -> Suspension:
    """Lift ``suspension`` in the current transaction and log it; no e-mail (for the services
    that send their own: ``user_suspension_lift``, an appeal reversed). The caller checked the
    moderator's right."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the suspension is lifted."), field="reason")
    if len(reason) > LIFT_REASON_MAX_LENGTH:
        raise Invalid(
            ngettext(
                "Write at most %(max)d character.",
                "Write at most %(max)d characters.",
                LIFT_REASON_MAX_LENGTH,
            )
            % {"max": LIFT_REASON_MAX_LENGTH},
            field="reason",
        )
    now = timezone.now()
    row = Suspension.objects.select_for_update(of=("self",)).select_related("user").get(pk=suspension.pk)
    if row.lifted_at is not None:
        raise Invalid(_("This suspension is already lifted."))
    if row.ends_at is not None and row.ends_at <= now:
        raise Invalid(_("This suspension has already ended."))
    row.lifted_at = now
    row.lifted_by = moderator
    row.lift_reason = reason
    row.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    vars(row.user).pop("_active_suspension", None)
    moderation_action_record(
        moderator, Kind.LIFT, subject=row.user, suspension=row, appeal=appeal, note=reason
    )
    return row


def user_suspension_lift(*, moderator: User, suspension: Suspension, reason: str) -> Suspension:
    """Lift a suspension before its end (or a permanent one), with a reason: the citizen may
    post and react again at once, the lifting is logged and they are e-mailed."""
    if not moderator.has_perm("deliberation.lift_suspension", suspension):
        raise Refused(deliberation_rules.refusal(moderator, "deliberation.lift_suspension", suspension))
    with transaction.atomic():
        row = suspension_lift_apply(moderator=moderator, suspension=suspension, reason=reason)
        transaction.on_commit(
            lambda: notifications.suspension_lifted(row.pk), robust=True
        )
    if Suspension.user.is_cached(suspension):  # rules cache the answer on the account object
        vars(suspension.user).pop("_active_suspension", None)
    return row
