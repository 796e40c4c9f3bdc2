"""``/api/questionnaires/``: a questionnaire's structure in a language, and sending one's
response (the same checks and messages as the form: ``questionnaires.services``)."""

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import django_auth

from accounts.ratelimits import RETRY_AFTER_OPENAPI, client_ip
from accounts.refusals import Refusal
from cms.rules import page_read_refusal
from questionnaires.models import QuestionnairePage
from questionnaires.schemas import (
    DetailOut,
    QuestionnaireOut,
    ResponseErrorOut,
    ResponseIn,
    ResponseOut,
    StructureQuery,
)
from questionnaires.selectors import (
    normalized_values,
    questionnaire_in_language,
    response_values,
)
from questionnaires.services import InvalidAnswers, response_save

router = Router(tags=["questionnaires"])

PATH = "/questionnaires/{questionnaire_id}/"


def _page(questionnaire_id: int, user, language: str | None = None) -> QuestionnairePage | None:
    page = questionnaire_in_language(questionnaire_id, language)
    if page is None or page_read_refusal(user, page) is not None:
        return None
    return page


def _not_found() -> Status:
    return Status(
        404, {"code": "not_found", "message": _("This questionnaire does not exist.")}
    )


def _structure(page: QuestionnairePage) -> dict:
    from wagtail.rich_text import expand_db_html

    return {
        "id": page.pk,
        "translation_key": page.translation_key,
        "title": page.title,
        "language": page.locale.language_code,
        "url": page.url or "",
        "institution_id": page.institution.pk,
        "consultation_id": page.consultation.pk if page.consultation else None,
        "phase": str(page.phase),
        "accepts_answers": page.phase == "open",
        "closes_at": page.effective_closes_at,
        "anonymous_allowed": page.anonymous_allowed,
        "results_public": page.results_public,
        "intro_html": expand_db_html(page.intro or ""),
        "questions": [
            {
                "key": q.key,
                "number": q.number,
                "kind": q.kind,
                "text": q.text,
                "help_text": q.help_text,
                "required": q.required,
                "options": [
                    {"key": o.key, "number": o.number, "label": o.label} for o in q.options
                ],
                "min_value": q.min_value,
                "max_value": q.max_value,
                "max_length": q.text_limit if q.kind in ("short_text", "long_text") else None,
                "condition": {
                    "question_key": q.condition.question_key,
                    "option_keys": sorted(q.condition.option_keys),
                }
                if q.condition
                else None,
            }
            for q in page.question_list
        ],
    }


def _plain(values: dict) -> dict:
    return {
        key: (int(value) if value == int(value) else float(value))
        if not isinstance(value, (str, list))
        else value
        for key, value in values.items()
    }


@router.get(
    PATH,
    response={200: QuestionnaireOut, 404: ResponseErrorOut},
    summary="A questionnaire's questions in a language",
    description="Its questions, options and conditions, keyed by keys shared by all its "
    "translations; 404 when it does not exist or is not readable.",
)
def questionnaire_detail(request, questionnaire_id: int, params: Query[StructureQuery]):
    page = _page(questionnaire_id, request.user, params.language)
    if page is None:
        return _not_found()
    return Status(200, _structure(page))


@router.post(
    PATH + "response/",
    auth=django_auth,
    response={
        201: ResponseOut,
        200: ResponseOut,
        400: ResponseErrorOut,
        401: DetailOut,
        403: ResponseErrorOut | DetailOut,
        404: ResponseErrorOut,
        429: ResponseErrorOut,
    },
    summary="Send or save one's response (session and CSRF token required)",
    description=(
        "One response per account for all the questionnaire's translations: 201 when first "
        "stored, 200 when it replaces the earlier one (editable until closing). Refusals carry "
        "`code` and a translated `message`: 400 `invalid` with `errors` by question key "
        "(missing required answer, option not of that question, ranking with duplicates or "
        "missing options, number out of range, text too long), nothing stored; 403 `closed`, "
        "`not_open` or `forbidden` (participation rule, suspension); 404 unknown "
        "questionnaire; 429 too fast (with `Retry-After`)."
    ),
    openapi_extra={"responses": {429: RETRY_AFTER_OPENAPI}},
)
def response_send(request, questionnaire_id: int, payload: ResponseIn, response: HttpResponse):
    page = _page(questionnaire_id, request.user)
    if page is None:
        return _not_found()
    try:
        saved = response_save(
            page=page,
            user=request.user,
            raw=payload.answers,
            draft=payload.draft,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            language=get_language() or "",
        )
    except InvalidAnswers as invalid:
        return Status(
            400,
            {
                "code": invalid.code,
                "message": invalid.message,
                "field": "answers",
                "errors": invalid.errors,
            },
        )
    except Refusal as refused:
        if getattr(refused, "retry_after", None):
            response["Retry-After"] = str(refused.retry_after)
        return Status(refused.status, {"code": refused.code, "message": refused.message})
    stored = saved.response
    return Status(
        201 if saved.created else 200,
        {
            "questionnaire_key": stored.questionnaire_key,
            "is_draft": stored.is_draft,
            "submitted_at": stored.submitted_at,
            "updated_at": stored.updated_at,
            "answers": _plain(normalized_values(page, response_values(stored))),
        },
    )
