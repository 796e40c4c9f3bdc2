"""The answering page (``QuestionnairePage.serve``): the form, sent as plain HTML (no script
needed; ``static/js/questionnaire.js`` shows and hides conditional questions live)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.refusals import Refusal
from deliberation.phases import Phase
from questionnaires import guard
from questionnaires.answers import answers_clean, question_shown
from questionnaires.blocks import Kind
from questionnaires.forms import field_name, rank_field_name, raw_from_post
from questionnaires.rules import answer_refusal
from questionnaires.selectors import normalized_values, response_values
from questionnaires.services import InvalidAnswers, response_of, response_save


def _items(page, values: dict, errors: dict) -> list[dict]:
    """What the template draws for each question: its field names, the values to show, its
    error, and whether it is shown now (the answers' conditions, as the server reads them)."""
    shown_values = answers_clean(page.question_list, values, draft=True).values
    names = {question.key: field_name(question.key) for question in page.question_list}
    by_key = {question.key: question for question in page.question_list}
    items = []
    for question in page.question_list:
        value = values.get(question.key)
        chosen = set(value if isinstance(value, list) else [value] if value else [])
        ranks = list(value) if question.kind == Kind.RANKING and isinstance(value, list) else []
        items.append(
            {
                "question": question,
                "name": names[question.key],
                "value": "" if value is None or isinstance(value, list) else value,
                "chosen": chosen,
                "places": [
                    {
                        "number": place,
                        "name": rank_field_name(question.key, place),
                        "value": ranks[place - 1] if place <= len(ranks) else "",
                    }
                    for place in range(1, len(question.options) + 1)
                ],
                "scale": [str(v) for v in question.scale_values],
                "error": errors.get(question.key),
                "shown": question_shown(question, shown_values),
                "condition_field": names.get(question.condition.question_key)
                if question.condition
                else "",
                "condition_on": by_key[question.condition.question_key]
                if question.condition
                else None,
                "condition_labels": [
                    option.label
                    for option in by_key[question.condition.question_key].options
                    if option.key in question.condition.option_keys
                ]
                if question.condition
                else [],
                "condition_options": " ".join(sorted(question.condition.option_keys))
                if question.condition
                else "",
            }
        )
    return items


def questionnaire_page(request, page):
    user = request.user
    token = None if user.is_authenticated else guard.browser_token(request)
    existing = response_of(page=page, user=user, token=token)
    values = normalized_values(page, response_values(existing))
    errors: dict = {}
    error = None
    status = 200
    refusal = answer_refusal(user, page)
    if refusal is not None and refusal.code == "not_found":
        raise Http404(str(refusal))

    new_token = None
    retry_after = None
    if request.method == "POST":
        draft = request.POST.get("action") == "draft"
        raw = raw_from_post(page, request.POST)
        if not user.is_authenticated and not token:
            token = new_token = guard.new_token()
        try:
            saved = response_save(
                page=page,
                user=user,
                raw=raw,
                draft=draft,
                token=token,
                language=get_language() or "",
                **guard.request_device(request),
            )
        except InvalidAnswers as invalid:
            values, errors, error, status = raw, invalid.errors, invalid.message, 400
        except Refusal as refused:
            values, error, status = raw, refused.message, refused.status
            retry_after = getattr(refused, "retry_after", None)
        else:
            if saved.response.is_draft:
                messages.info(request, _("Your draft is saved. It is not counted until you send it."))
            elif saved.created or existing is None or existing.is_draft:
                messages.success(request, _("Thank you: your response is recorded."))
            else:
                messages.success(request, _("Your response is updated."))
            response = redirect(page.url)
            if new_token:
                guard.set_token(response, new_token)
            return response

    context = {
        "page": page,
        "self": page,
        "institution": page.institution,
        "consultation": page.consultation,
        "phase": page.phase,
        "closes_at": page.effective_closes_at,
        "refusal": refusal,
        "can_answer": refusal is None,
        "login_required": refusal is not None and refusal.code == "login_required",
        "existing": existing,
        "sent": existing is not None and not existing.is_draft,
        "items": _items(page, values, errors),
        "error": error,
        "error_count": len(errors),
        "open": page.phase == Phase.OPEN,
    }
    response = TemplateResponse(
        request, "questionnaires/questionnaire_page.html", context, status=status
    )
    if new_token and status < 400:
        guard.set_token(response, new_token)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
