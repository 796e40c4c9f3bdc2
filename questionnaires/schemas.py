"""The questionnaires API's shapes (``questionnaires.api``)."""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from questionnaires.blocks import Kind

KINDS = [value for value, _label in Kind.CHOICES]

AnswerValue = str | int | float | list[str] | None


class OptionOut(Schema):
    key: str = Field(description="Stable across the questionnaire's translations")
    number: int
    label: str


class ConditionOut(Schema):
    question_key: str = Field(description="An earlier single or multiple choice question")
    option_keys: list[str] = Field(description="Shown when one of these options is chosen")


class QuestionOut(Schema):
    key: str = Field(description="Stable across the questionnaire's translations")
    number: int
    kind: str = Field(json_schema_extra={"enum": KINDS})
    text: str
    help_text: str
    required: bool
    options: list[OptionOut] = Field(description="Single, multiple choice and ranking")
    min_value: Decimal | None = Field(description="Number questions")
    max_value: Decimal | None = Field(description="Number questions")
    max_length: int | None = Field(description="Text questions: most characters accepted")
    condition: ConditionOut | None


class QuestionnaireOut(Schema):
    id: int
    translation_key: uuid.UUID = Field(description="Shared by the questionnaire's translations")
    title: str
    language: str
    url: str
    institution_id: int
    consultation_id: int | None
    phase: str = Field(json_schema_extra={"enum": ["upcoming", "open", "closed", "outcome"]})
    accepts_answers: bool = Field(description="Open now (the answerer's own rights aside)")
    closes_at: datetime.datetime | None
    anonymous_allowed: bool
    results_public: bool
    intro_html: str
    questions: list[QuestionOut]


class StructureQuery(Schema):
    language: str | None = Field(
        None,
        description="The translation to read (default: the one asked for by id); a language "
        "it has no translation in is the page asked for",
    )


class ResponseIn(Schema):
    answers: dict[str, AnswerValue] = Field(
        description="By question key: an option key (single choice), option keys (multiple "
        "choice; ranking, first preferred, every option once), a number (scale 1-5, number) "
        "or a text (short, long text). Answers to questions hidden by their condition are "
        "dropped."
    )
    draft: bool = Field(
        False,
        description="Keep it as a draft (not counted; required answers may be missing). A "
        "response already sent stays sent.",
    )


class ResponseOut(Schema):
    questionnaire_key: uuid.UUID
    is_draft: bool
    submitted_at: datetime.datetime | None
    updated_at: datetime.datetime
    answers: dict[str, AnswerValue]


class ResponseErrorOut(Schema):
    code: str = Field(description="invalid, not_found, forbidden, closed, not_open, rate_limited")
    message: str = Field(description="For the person, in the request's language")
    field: str | None = Field(None, description="`answers` when answers are refused")
    errors: dict[str, str] = Field(
        default_factory=dict, description="By question key: what is wrong with that answer"
    )


class DetailOut(Schema):
    detail: str = Field(description="django-ninja's own: Unauthorized, CSRF check Failed")
