"""Free-text answers reviewed by moderators before they are published (docs/questionnaires.md,
"Review").

Every short or long text answer is saved ``pending``; the moderators of the questionnaire's
institution (the same people, and the same rule, as for its discussions:
``deliberation.rules.moderated_institution_keys``) approve or reject it in the admin's
Moderation menu. Only approved texts appear in the results, the open data and the snapshot.
A text edited by its author goes back to ``pending`` (questionnaires.services).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cms.models import InstitutionPage
from deliberation.rules import moderated_institution_keys
from questionnaires.models import Answer, QuestionnairePage, ReviewStatus

PAGE_SIZE = 50


def reviewable_questionnaire_keys(user) -> set | None:
    """The translation keys of the questionnaires whose free texts ``user`` reviews; None for
    all of them (platform-wide moderators)."""
    keys = moderated_institution_keys(user)
    if keys is None:
        return None
    if not keys:
        return set()
    paths = list(
        InstitutionPage.objects.filter(translation_key__in=keys).values_list("path", flat=True)
    )
    found = set()
    for path, key in QuestionnairePage.objects.values_list("path", "translation_key"):
        if any(path.startswith(prefix) for prefix in paths):
            found.add(key)
    return found


def may_review(user, answer: Answer) -> bool:
    keys = reviewable_questionnaire_keys(user)
    return keys is None or answer.response.questionnaire_key in keys


def review_queue(*, user, status: str = ReviewStatus.PENDING):
    """The free-text answers of submitted responses in ``status`` that ``user`` reviews,
    oldest first, with their response and questionnaire page."""
    answers = (
        Answer.objects.filter(review_status=status, response__is_draft=False)
        .exclude(text="")
        .select_related("response__questionnaire")
        .order_by("response__submitted_at", "pk")
    )
    keys = reviewable_questionnaire_keys(user)
    if keys is not None:
        answers = answers.filter(response__questionnaire_key__in=keys)
    return answers


def answer_review(*, answer: Answer, status: str, reviewer) -> Answer:
    """``reviewer`` approves or rejects a free-text answer. Refused (PermissionDenied) to
    anyone who does not moderate the questionnaire's institution; nothing changes then."""
    if status not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        raise ValueError(f"Not a review decision: {status!r}")
    if not answer.review_status or not may_review(reviewer, answer):
        raise PermissionDenied
    with transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(
            review_status=status, reviewed_at=timezone.now(), reviewed_by=reviewer
        )
    answer.refresh_from_db()
    key = answer.response.questionnaire_key
    transaction.on_commit(lambda: _results_changed(key), robust=True)
    return answer


def _results_changed(key) -> None:
    from questionnaires.live import results_change_publish

    results_change_publish(questionnaire_key=key)
