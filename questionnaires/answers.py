"""Checking a response against the questionnaire's questions: one function for the form and
the API (``answers_clean``).

Raw answers are keyed by question key: an option key (single choice), a list of option keys
(multiple choice; ranking, in order, first preferred), a number or its text (scale, number),
a text (short and long text). What comes back is the cleaned values of the questions shown,
or the errors by question key, each translated; answers to questions hidden by their
condition are dropped.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from questionnaires.blocks import Kind
from questionnaires.structure import Question


@dataclass(frozen=True)
class Cleaned:
    """The checked answers: {question key: value} (an option key, a list of option keys, a
    Decimal or a text) of the questions shown and answered."""

    values: dict
    errors: dict  # {question key: message}


def _empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not [v for v in value if not _empty(v)]
    return False


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _clean_one(question: Question, value, *, draft: bool):
    """(value, None) or (None, message) for an answer that is not empty."""
    kind = question.kind
    if kind == Kind.SINGLE:
        if isinstance(value, (list, tuple)):
            values = [v for v in value if not _empty(v)]
            if len(values) != 1:
                return None, _("Choose one option.")
            value = values[0]
        if str(value) not in question.option_keys:
            return None, _("This option is not one of this question's options.")
        return str(value), None
    if kind == Kind.MULTIPLE:
        values = [str(v) for v in _as_list(value) if not _empty(v)]
        if any(v not in question.option_keys for v in values):
            return None, _("This option is not one of this question's options.")
        if len(set(values)) != len(values):
            return None, _("Choose each option at most once.")
        return [key for key in question.option_keys if key in values], None
    if kind == Kind.RANKING:
        values = [str(v) for v in _as_list(value)]
        if any(v and v not in question.option_keys for v in values):
            return None, _("This option is not one of this question's options.")
        given = [v for v in values if v]
        if len(set(given)) != len(given):
            return None, _("Give each option one place only: an option is ranked twice.")
        if not draft and len(given) != len(question.option_keys):
            return None, _("Rank every option, from the first to the last.")
        return given, None
    if kind == Kind.SCALE:
        number = _number(value)
        if number is None or number != number.to_integral_value() or int(number) not in question.scale_values:
            return None, _("Choose a value from 1 to 5.")
        return Decimal(int(number)), None
    if kind == Kind.NUMBER:
        number = _number(value)
        if number is None:
            return None, _("Enter a number.")
        if abs(number) >= Decimal("1e12") or number.as_tuple().exponent < -4:
            return None, _("Enter a number with at most four decimals.")
        low, high = question.min_value, question.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                message = _("Enter a number between %(min)s and %(max)s.")
            elif low is not None:
                message = _("Enter a number of at least %(min)s.")
            else:
                message = _("Enter a number of at most %(max)s.")
            return None, message % {"min": _plain(low), "max": _plain(high)}
        return number, None
    # Short and long text.
    if not isinstance(value, str):
        return None, _("Enter a text.")
    text = value.strip()
    if "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return None, _("Your text contains an invalid character. Remove it and send again.")
    limit = question.text_limit
    if len(text) > limit:
        return None, ngettext(
            "Keep your answer under %(limit)d character (it has %(count)d).",
            "Keep your answer under %(limit)d characters (it has %(count)d).",
            limit,
        ) % {"limit": limit, "count": len(text)}
    return text, None


def _plain(number: Decimal | None) -> str:
    if number is None:
        return ""
    return format(number.normalize(), "f") if number == number.to_integral_value() else str(number)


def question_shown(question: Question, values: dict) -> bool:
    """Whether ``question`` is shown given the (cleaned) answers to the earlier questions."""
    if question.condition is None:
        return True
    answer = values.get(question.condition.question_key)
    chosen = set(_as_list(answer))
    return bool(chosen & question.condition.option_keys)


def answers_clean(questions: list[Question], raw: dict, *, draft: bool = False) -> Cleaned:
    """Check ``raw`` against ``questions``. A draft may leave required questions and rankings
    unfinished; everything it holds is checked as for a response sent."""
    values, errors = {}, {}
    known = {question.key for question in questions}
    for question in questions:
        if not question_shown(question, values):
            continue  # its answer, if any, is dropped
        value = raw.get(question.key)
        if _empty(value):
            if question.required and not draft:
                errors[question.key] = _("This question requires an answer.")
            continue
        cleaned, message = _clean_one(question, value, draft=draft)
        if message:
            errors[question.key] = message
        elif not _empty(cleaned):
            values[question.key] = cleaned
    unknown = sorted(set(raw) - known)
    if unknown:
        errors[unknown[0]] = _("This questionnaire has no such question.")
    return Cleaned(values=values, errors=errors)
