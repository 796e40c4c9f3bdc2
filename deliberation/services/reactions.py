"""Reacting to and reporting a contribution."""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from deliberation import conf
from deliberation import rules as deliberation_rules
from deliberation.markup import normalise_text
from deliberation.models import Contribution, Flag, Reaction, ReactionKind, Reason, Status
from deliberation.models import ModerationActionKind as Kind
from deliberation.realtime.events import (
    moderation_flagged_notify,
    thread_event_record,
    thread_lock_for_event,
)
from deliberation.services.checks import rate_limit, refuse_if, refuse_lone_surrogates
from deliberation.services.errors import Invalid
from deliberation.services.moderation import moderation_action_record


def contribution_react(
    *, user: User, contribution: Contribution, kind: str | None
) -> Contribution:
    """Agree, disagree, or (``kind`` None) take one's reaction back. One per person."""
    if kind is not None and kind not in ReactionKind.values:
        raise Invalid(_("Unknown reaction."), field="kind")
    refuse_if(deliberation_rules.react_refusal(user, contribution))
    rate_limit(action="react", user=user, ip_address=None)
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
    refuse_if(deliberation_rules.flag_refusal(user, contribution))
    refuse_lone_surrogates(note, field="note")
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
