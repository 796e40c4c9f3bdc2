"""The review of free-text answers in the Wagtail admin (Moderation → Free-text answers).

Thin by rule: the list is ``review.review_queue`` for the moderator; each button posts to
``answer_review``, which refuses a moderator of another institution and changes nothing then.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from questionnaires.models import Answer, ReviewStatus
from questionnaires.review import PAGE_SIZE, answer_review, review_queue

TABS = (ReviewStatus.PENDING, ReviewStatus.APPROVED, ReviewStatus.REJECTED)


def _moderator_required(user) -> None:
    if not user.has_perm("deliberation.moderate"):
        raise PermissionDenied


def _question_text(answer: Answer) -> str:
    page = answer.response.questionnaire
    if page is None:
        return ""
    for question in page.question_list:
        if question.key == answer.question_key:
            return question.text
    return ""


def review_list(request):
    _moderator_required(request.user)
    status = request.GET.get("status", ReviewStatus.PENDING)
    if status not in TABS:
        status = ReviewStatus.PENDING
    paginator = Paginator(review_queue(user=request.user, status=status), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    items = [
        {
            "answer": answer,
            "questionnaire": answer.response.questionnaire,
            "question": _question_text(answer),
        }
        for answer in page.object_list
    ]
    return TemplateResponse(
        request,
        "questionnaires/admin/review.html",
        {
            "page_title": _("Free-text answers"),
            "header_title": _("Free-text answers"),
            "header_icon": "help",
            "items": items,
            "page_obj": page,
            "status": status,
            "tabs": [
                {"value": value, "label": ReviewStatus(value).label, "active": value == status}
                for value in TABS
            ],
            "pending": ReviewStatus.PENDING,
        },
    )


@require_POST
def review_act(request, pk: int):
    _moderator_required(request.user)
    answer = get_object_or_404(Answer.objects.select_related("response"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        messages.error(request, _("Choose to approve or reject the answer."))
    else:
        answer_review(answer=answer, status=decision, reviewer=request.user)
        if decision == ReviewStatus.APPROVED:
            messages.success(request, _("Answer approved: it is published in the results."))
        else:
            messages.success(request, _("Answer rejected: it will not be published."))
    return redirect(reverse("questionnaires_review") + f"?status={request.POST.get('back', '')}")
