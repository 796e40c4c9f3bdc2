"""An idea's public status: who may set it, and what setting it does.

The institution's staff (its editors and approvers, cms' "Editors: <slug>" and "Approvers:
<slug>" groups, as for its pages; a superuser everywhere) give an idea a status with a reason.
Each change is dated in the idea's public history (``IdeaStatusChange``) and e-mailed once to
the author and to each supporter, in their language (``notifications.idea_status_send``).
Saving the same status again only corrects the reason: no new history entry, no e-mail.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.refusals import Invalid, NotFound, Refused
from citizen_ideas.live import idea_counts_publish_on_commit
from citizen_ideas.models import Idea, IdeaStatus, IdeaStatusChange
from cms.models import InstitutionPage
from cms.services import institution_group_names

REASON_MAX_LENGTH = 2000

# Statuses an idea may be cited in an outcome or a decision with.
CITABLE_STATUSES = frozenset({IdeaStatus.ACCEPTED, IdeaStatus.IMPLEMENTED})


def staff_institution_keys(user) -> set | None:
    """Translation keys of the institutions whose ideas ``user`` answers (as one of their
    editors or approvers); None: every institution (a superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached = getattr(user, "_idea_staff_keys", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {
            institution.translation_key
            for institution in InstitutionPage.objects.only("slug", "translation_key")
            if names & set(institution_group_names(institution))
        } if names else set()
        user._idea_staff_keys = cached
    return cached


def is_idea_staff(user, institution) -> bool:
    """Whether ``user`` answers the ideas sent to ``institution`` (any of its translations)."""
    keys = staff_institution_keys(user)
    return keys is None or (institution is not None and institution.translation_key in keys)


def status_change_refusal(user, idea: Idea) -> str | None:
    """Why ``user`` may not change ``idea``'s status (None: they may)."""
    if not is_idea_staff(user, idea.institution):
        return _("Only the staff of the institution the idea was sent to can change its status.")
    return None


@transaction.atomic
def idea_status_change(
    *,
    idea: Idea,
    status: str,
    reason: str,
    by,
    now: datetime.datetime | None = None,
) -> IdeaStatusChange | None:
    """``by`` (the institution's staff) gives ``idea`` ``status`` for ``reason``. A new status
    is dated in the idea's history and e-mailed, once the change commits, to the author and
    each supporter. The same status again only corrects the reason (returns None, sends
    nothing). Refuses (``Refusal``, nothing stored) a non-staff account, an unknown status, a
    missing or over-long reason."""
    refusal = status_change_refusal(by, idea)
    if refusal:
        raise Refused(refusal)
    if status not in IdeaStatus.values:
        raise Invalid(_("“%(value)s” is not a status of an idea.") % {"value": status}, field="status")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            _("Give the reason for this status: it is shown with it to the public."),
            field="reason",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise Invalid(
            _("A reason can be at most %(limit)d characters long (this one has %(length)d).")
            % {"limit": REASON_MAX_LENGTH, "length": len(reason)},
            field="reason",
        )
    locked = Idea.objects.select_for_update().filter(pk=idea.pk).first()
    if locked is None:
        raise NotFound(_("This idea does not exist."))
    now = now or timezone.now()
    if locked.status == status:
        if locked.status_reason != reason:
            Idea.objects.filter(pk=locked.pk).update(status_reason=reason)
            idea.status_reason = reason
        return None
    change = IdeaStatusChange.objects.create(
        idea=locked, status=status, reason=reason, changed_by=by, changed_at=now
    )
    Idea.objects.filter(pk=locked.pk).update(
        status=status, status_reason=reason, status_changed_at=now
    )
    idea.status, idea.status_reason, idea.status_changed_at = status, reason, now
    change_id = change.pk

    def send():
        # (notifications reads the pages the e-mails link to)
        from citizen_ideas.notifications import idea_status_send

        idea_status_send(change_id)

    transaction.on_commit(send, robust=True)
    idea_counts_publish_on_commit(idea_id=idea.pk)  # the lists show the new status, live
    return change
