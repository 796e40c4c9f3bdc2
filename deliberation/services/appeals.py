"""Appeals: a citizen asks, once, that a moderator's decision about them be looked at again (a
contribution hidden, their account suspended); another moderator upholds or reverses it.

Reversing uses the services that already exist: the contribution is restored through
``contribution_moderate`` (restore), the suspension lifted through ``suspension_lift_apply``.
Every step is in the moderation log; the citizen is e-mailed the outcome.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Suspension, User
from accounts.ratelimits import rate_limit_hit
from deliberation import conf, notifications
from deliberation import rules as deliberation_rules
from deliberation.models import Appeal, AppealStatus, Contribution, ModerationAction, Status
from deliberation.models import ModerationActionKind as Kind
from deliberation.services.checks import refuse_lone_surrogates
from deliberation.services.errors import Invalid, RateLimited, Refused
from deliberation.services.moderation import (
    contribution_moderate,
    moderation_action_record,
    suspension_lift_apply,
)

OUTCOMES = {"uphold": AppealStatus.UPHELD, "reverse": AppealStatus.REVERSED}


def _already_appealed() -> Invalid:
    return Invalid(_("You have already appealed this decision: a decision can be appealed once."))


def _text_clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write why the decision should be looked at again."), field="text")
    limit = conf.get("DELIBERATION_APPEAL_MAX_LENGTH")
    if len(text) > limit:
        raise Invalid(
            ngettext(
                "Your appeal is too long: write at most %(max)d character (you wrote %(count)d).",
                "Your appeal is too long: write at most %(max)d characters (you wrote %(count)d).",
                limit,
            )
            % {"max": limit, "count": len(text)},
            field="text",
        )
    refuse_lone_surrogates(text, field="text")
    return text


def _rate_limit(user: User, ip_address: str | None) -> None:
    exceeded = rate_limit_hit(
        action="appeal",
        identities={
            "account": (str(user.pk), conf.get("DELIBERATION_APPEAL_RATE_PER_ACCOUNT")),
            "ip": (ip_address or "", conf.get("DELIBERATION_APPEAL_RATE_PER_IP")),
        },
    )
    if exceeded:
        raise RateLimited(
            ngettext(
                "You have sent too many appeals. Please wait %(seconds)d second and try again.",
                "You have sent too many appeals. Please wait %(seconds)d seconds and try again.",
                exceeded.retry_after,
            )
            % {"seconds": exceeded.retry_after},
            retry_after=exceeded.retry_after,
        )


def _appeal_create(**fields) -> Appeal:
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(**fields)
    except IntegrityError:  # a concurrent appeal won the unique constraint
        raise _already_appealed() from None
    moderation_action_record(
        None,
        Kind.APPEAL,
        appeal.contribution,
        subject=appeal.appellant,
        suspension=appeal.suspension,
        appeal=appeal,
    )
    return appeal


def contribution_appeal(
    *, user: User, contribution: Contribution, text: str, ip_address: str | None = None
) -> Appeal:
    """Appeal the hiding of one's own contribution, once, with a text."""
    if not user.is_authenticated or contribution.author_id != user.pk:
        raise Refused(_("You can only appeal a decision about your own contribution."))
    if contribution.status != Status.HIDDEN:
        raise Invalid(_("Only a contribution removed by moderation can be appealed."))
    if Appeal.objects.filter(contribution=contribution).exists():
        raise _already_appealed()
    text = _text_clean(text)
    _rate_limit(user, ip_address)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.status != Status.HIDDEN:
            raise Invalid(_("Only a contribution removed by moderation can be appealed."))
        decision = (
            ModerationAction.objects.filter(
                contribution=locked, action__in=[Kind.HIDE, Kind.AUTO_HIDE]
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        return _appeal_create(appellant=user, contribution=locked, decision=decision, text=text)


def suspension_appeal(
    *, user: User, suspension: Suspension, text: str, ip_address: str | None = None
) -> Appeal:
    """Appeal one's own suspension while it is in force, once, with a text."""
    if not user.is_authenticated or suspension.user_id != user.pk:
        raise Refused(_("You can only appeal your own suspension."))
    if not Suspension.objects.active().filter(pk=suspension.pk).exists():
        raise Invalid(_("This suspension is no longer in force."))
    if Appeal.objects.filter(suspension=suspension).exists():
        raise _already_appealed()
    text = _text_clean(text)
    _rate_limit(user, ip_address)
    with transaction.atomic():
        locked = Suspension.objects.select_for_update().get(pk=suspension.pk)
        decision = (
            ModerationAction.objects.filter(suspension=locked, action=Kind.SUSPEND)
            .order_by("created_at", "pk")
            .first()
        )
        return _appeal_create(appellant=user, suspension=locked, decision=decision, text=text)


def appeal_decide(*, moderator: User, appeal: Appeal, outcome: str, note: str = "") -> Appeal:
    """Uphold or reverse the decision appealed against. Reversing restores the contribution
    or lifts the suspension. The moderator who made that decision may not decide."""
    if outcome not in OUTCOMES:
        raise Invalid(_("Choose to uphold or to reverse the decision."), field="outcome")
    refusal = deliberation_rules.refusal(moderator, "deliberation.decide_appeal", appeal)
    if refusal:
        raise Refused(refusal)
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("contribution__thread", "suspension__user", "appellant")
            .get(pk=appeal.pk)
        )
        if locked.status != AppealStatus.PENDING:
            raise Invalid(_("This appeal has already been decided. Another moderator may have acted on it."))
        status = OUTCOMES[outcome]
        if status == AppealStatus.REVERSED:
            _reverse(moderator=moderator, appeal=locked, note=note)
        locked.status = status
        locked.decided_by = moderator
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        moderation_action_record(
            moderator,
            Kind.APPEAL_REVERSE if status == AppealStatus.REVERSED else Kind.APPEAL_UPHOLD,
            locked.contribution,
            subject=locked.appellant,
            suspension=locked.suspension,
            appeal=locked,
            note=note,
        )
        transaction.on_commit(lambda: notifications.appeal_decided(locked.pk), robust=True)
    return locked


def _reverse(*, moderator: User, appeal: Appeal, note: str) -> None:
    """Undo the decision appealed against, if it still stands (a moderator may have restored
    the contribution, or the suspension ended, meanwhile)."""
    if appeal.contribution is not None:
        if appeal.contribution.status == Status.HIDDEN:
            contribution_moderate(
                moderator=moderator,
                contribution=appeal.contribution,
                action=Kind.RESTORE,
                note=note or _("Restored on appeal."),
                notify=False,  # the appeal's outcome is the one e-mail
            )
        return
    if Suspension.objects.active().filter(pk=appeal.suspension_id).exists():
        suspension_lift_apply(
            moderator=moderator,
            suspension=appeal.suspension,
            reason=note or _("Lifted on appeal."),
            appeal=appeal,
        )
