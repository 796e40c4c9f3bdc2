"""Reads for the answering form and the API."""

from questionnaires.blocks import Kind
from questionnaires.models import QuestionnairePage, Response


def response_values(response: Response | None) -> dict:
    """A stored response as raw answers (the shape ``answers_clean`` takes): what the form
    shows again and the API returns."""
    if response is None:
        return {}
    values: dict = {}
    for answer in response.answers.order_by("question_key", "rank", "pk"):
        if answer.option_key:
            values.setdefault(answer.question_key, []).append(answer.option_key)
        elif answer.number is not None:
            number = answer.number.normalize()
            values[answer.question_key] = number.quantize(1) if number == number.to_integral() else number
        else:
            values[answer.question_key] = answer.text
    return values


def normalized_values(page: QuestionnairePage, values: dict) -> dict:
    """``response_values`` with a single choice as one option key, not a list."""
    kinds = {question.key: question.kind for question in page.question_list}
    return {
        key: (value[0] if kinds.get(key) == Kind.SINGLE and isinstance(value, list) else value)
        for key, value in values.items()
    }


def questionnaires_of(page) -> list[QuestionnairePage]:
    """The live questionnaires under ``page`` (a consultation or an institution), in the
    reader's locale, for a link from it."""
    return list(
        QuestionnairePage.objects.child_of(page).live().public().specific().order_by("path")
    )


def questionnaire_in_language(
    questionnaire_id: int, language: str | None
) -> QuestionnairePage | None:
    """The live questionnaire of that id, as its translation in ``language`` when it has one
    (the API's ``?language=``); who may read it is the caller's question."""
    page = QuestionnairePage.objects.live().filter(pk=questionnaire_id).first()
    if page is not None and language:
        page = (
            QuestionnairePage.objects.live()
            .filter(translation_key=page.translation_key, locale__language_code=language)
            .first()
            or page
        )
    return page
