"""Outcomes and decisions: what may be cited, and what publishing one does.

Publishing an outcome (any translation) moves the consultation to the "outcome published"
phase, freezes its participation statistics once, tells the thread pages live, and emails
followers and contributors once. Publishing a decision whose status is new emails the citizens
whose contributions it rests on, once per status. Receivers in ``signal_handlers`` call these.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizen_ideas.models import Idea, IdeaStatus
from citizen_ideas.statuses import CITABLE_STATUSES
from consultations.models import ConsultationPage
from consultations.outcomes.models import (
    DECISION_NEXT,
    DecisionPage,
    DecisionStatus,
    OutcomePage,
    OutcomeResponse,
    ParticipationSnapshot,
    PublicationNotice,
)
from consultations.outcomes.notifications import decision_status_send, outcome_published_send
from consultations.outcomes.statistics import participation_statistics
from deliberation.models import Contribution, Status
from deliberation.realtime.events import threads_phase_record

# --- What may be cited -----------------------------------------------------------------------


def citation_refusals(*, consultation: ConsultationPage, contribution_ids) -> list[str]:
    """Why some of ``contribution_ids`` cannot be cited by an outcome or decision of
    ``consultation``: only its own published contributions can (in any of its threads, in any
    language). Empty when all can."""
    ids = list(dict.fromkeys(contribution_ids))
    if not ids:
        return []
    found = {
        pk: (status, key)
        for pk, status, key in Contribution.objects.filter(pk__in=ids).values_list(
            "pk", "status", "thread__translation_key"
        )
    }
    ideas = {
        idea.opening_id: idea
        for idea in Idea.objects.filter(opening_id__in=ids).only("opening_id", "title", "status")
    }
    errors = []
    for pk in ids:
        if pk not in found:
            errors.append(_("Contribution #%(id)s does not exist.") % {"id": pk})
        elif found[pk][1] != consultation.translation_key:
            errors.append(
                _(
                    "Contribution #%(id)s belongs to another consultation: only this "
                    "consultation's contributions can be cited."
                )
                % {"id": pk}
            )
        elif found[pk][0] != Status.PUBLISHED:
            errors.append(
                _(
                    "Contribution #%(id)s is not published (removed, refused or awaiting "
                    "moderation) and cannot be cited."
                )
                % {"id": pk}
            )
        elif pk in ideas and ideas[pk].status not in CITABLE_STATUSES:
            errors.append(
                _(
                    "Contribution #%(id)s is the idea “%(title)s”, whose status is “%(status)s”: "
                    "an idea can be cited only once it is accepted or implemented."
                )
                % {
                    "id": pk,
                    "title": ideas[pk].title,
                    "status": IdeaStatus(ideas[pk].status).label,
                }
            )
    return errors


def milestone_refusals(milestones) -> list[str]:
    """Why a decision's status history is not possible: each step must follow the one before
    it (proposed → adopted → in force → implemented; abandoned at any point before the end),
    in date order, each status once."""
    history = sorted(milestones, key=lambda m: (m.date, m.sort_order or 0))
    errors = []
    for before, after in zip(history, history[1:]):
        if DecisionStatus(after.status) not in DECISION_NEXT[DecisionStatus(before.status)]:
            errors.append(
                _("“%(after)s” cannot follow “%(before)s” in a decision's history.")
                % {
                    "after": DecisionStatus(after.status).label,
                    "before": DecisionStatus(before.status).label,
                }
            )
    return errors


# --- Publishing --------------------------------------------------------------------------------


def _claim(key: str) -> bool:
    """True the first time ``key`` is claimed: the caller sends that publication's emails."""
    try:
        with transaction.atomic():
            PublicationNotice.objects.create(key=key)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def outcome_publish_record(
    *, outcome: OutcomePage, now: datetime.datetime | None = None
) -> ParticipationSnapshot | None:
    """An editor published ``outcome``: the consultation (every translation) enters the
    "outcome published" phase; its statistics are frozen the first time; its threads learn the
    new phase; followers and contributors are emailed the first time. Returns the snapshot."""
    consultation = outcome.consultation
    if consultation is None:
        return None
    now = now or timezone.now()
    key = consultation.translation_key
    changed = ConsultationPage.objects.filter(
        translation_key=key, outcome_published_at__isnull=True
    ).update(outcome_published_at=now)
    snapshot = ParticipationSnapshot.objects.filter(consultation_key=key).first()
    if snapshot is None:
        snapshot = ParticipationSnapshot.objects.create(
            consultation_key=key,
            taken_at=now,
            data=participation_statistics(consultation=consultation, now=now),
        )
    if changed:
        threads_phase_record(page=consultation)
    # Emails only once anyone may read the outcome: a restricted one waits for its public
    # publication (the claim is not spent on it).
    if OutcomePage.objects.public().filter(pk=outcome.pk).exists() and _claim(f"outcome:{key}"):
        outcome_id = outcome.pk
        transaction.on_commit(lambda: outcome_published_send(outcome_id), robust=True)
    return snapshot


@transaction.atomic
def outcome_unpublish_record(*, outcome: OutcomePage) -> None:
    """The last live translation of an outcome was unpublished: the consultation goes back to
    its dated phase (the frozen statistics stay, for when it is published again)."""
    consultation = outcome.consultation
    if consultation is None:
        return
    # (A deleted page is unpublished while its row still says live: leave it out.)
    if (
        OutcomePage.objects.live()
        .filter(translation_key=outcome.translation_key)
        .exclude(pk=outcome.pk)
        .exists()
    ):
        return
    if ConsultationPage.objects.filter(
        translation_key=consultation.translation_key, outcome_published_at__isnull=False
    ).update(outcome_published_at=None):
        threads_phase_record(page=consultation)


@transaction.atomic
def decision_publish_record(*, decision: DecisionPage) -> bool:
    """An editor published ``decision``: if its status is one it never had in public, the
    citizens whose contributions it rests on are emailed (once per status, whichever
    translation). Returns whether emails were queued."""
    status = decision.status
    if not DecisionPage.objects.public().filter(pk=decision.pk).exists():
        return False
    if not _claim(f"decision:{decision.translation_key}:{status}"):
        return False
    decision_id = decision.pk
    transaction.on_commit(lambda: decision_status_send(decision_id, status), robust=True)
    return True


@transaction.atomic
def decision_translation_relink(*, decision: DecisionPage) -> int:
    """A decision just copied into another language still names the responses of the outcome
    it was copied from: point it at the same responses (by place: translations of an outcome
    keep their order) of the outcome it now stands under, in the page and in its latest
    revision, which the editor opens next. Returns how many were moved."""
    outcome_id = decision.get_parent().pk
    responses = list(decision.responses.all())
    if all(response.page_id == outcome_id for response in responses):
        return 0
    local = {r.sort_order: r for r in OutcomeResponse.objects.filter(page_id=outcome_id)}
    relinked = [
        response if response.page_id == outcome_id else local.get(response.sort_order)
        for response in responses
    ]
    decision.responses = [response for response in relinked if response is not None]
    decision.save(clean=False)
    decision.save_revision(clean=False, log_action=False)
    return sum(1 for before, after in zip(responses, relinked) if before is not after)
