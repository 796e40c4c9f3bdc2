"""A questionnaire page's questions as plain data, keyed by their translation-stable ids.

``questions_of(page)`` reads the StreamField once: each question has its ``key`` (the block
id), its number (1-based position), its options (``key`` = the list item's id) and its
condition resolved to keys. ``structure_errors`` says what an editor must fix (Page.clean).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from questionnaires.blocks import LONG_TEXT_MAX, SCALE_VALUES, SHORT_TEXT_MAX, Kind


@dataclass(frozen=True)
class Option:
    key: str
    number: int
    label: str


@dataclass(frozen=True)
class Condition:
    question_key: str
    option_keys: frozenset[str]


@dataclass(frozen=True)
class Question:
    key: str
    number: int
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_length: int | None = None
    condition: Condition | None = None
    # The raw condition as the editor typed it (question number, option numbers).
    condition_source: tuple[int | None, str] = field(default=(None, ""), compare=False)

    @property
    def option_keys(self) -> list[str]:
        return [option.key for option in self.options]

    @property
    def text_limit(self) -> int:
        if self.max_length:
            return self.max_length
        return LONG_TEXT_MAX if self.kind == Kind.LONG_TEXT else SHORT_TEXT_MAX

    @property
    def scale_values(self) -> tuple[int, ...]:
        return SCALE_VALUES if self.kind == Kind.SCALE else ()


def _option_numbers(raw: str) -> list[int] | None:
    numbers = []
    for part in (raw or "").replace("،", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            return None
        numbers.append(int(part))
    return numbers


def questions_of(page) -> list[Question]:
    """The page's questions in order, their conditions resolved to keys (a condition that does
    not resolve, which ``structure_errors`` refuses on publication, is dropped)."""
    raw = []
    for number, child in enumerate(
        (c for c in (page.questions or []) if c.block_type == "question"), start=1
    ):
        value = child.value
        options = tuple(
            Option(key=str(item.id), number=n, label=str(item.value))
            for n, item in enumerate(value["options"].bound_blocks, start=1)
        )
        raw.append((number, str(child.id), value, options))

    questions: list[Question] = []
    for number, key, value, options in raw:
        condition = None
        on = value.get("show_if_question")
        if on:
            numbers = _option_numbers(value.get("show_if_options") or "")
            if 0 < on < number and numbers:
                _, target_key, target_value, target_options = raw[on - 1]
                keys = {o.key for o in target_options if o.number in numbers}
                if target_value["kind"] in Kind.CONDITIONS_ON and len(keys) == len(set(numbers)):
                    condition = Condition(question_key=target_key, option_keys=frozenset(keys))
        questions.append(
            Question(
                key=key,
                number=number,
                kind=value["kind"],
                text=value["text"],
                help_text=value.get("help_text") or "",
                required=bool(value.get("required")),
                options=options if value["kind"] in Kind.WITH_OPTIONS else (),
                min_value=value.get("min_value"),
                max_value=value.get("max_value"),
                max_length=value.get("max_length"),
                condition=condition,
                condition_source=(on, value.get("show_if_options") or ""),
            )
        )
    return questions


def structure_errors(page) -> list[str]:
    """What is wrong with the page's questions, in the editor's words (empty when fine)."""
    errors = []
    kinds = {}
    option_counts = {}
    for child_number, child in enumerate(
        (c for c in (page.questions or []) if c.block_type == "question"), start=1
    ):
        value = child.value
        kind = value["kind"]
        count = len(value["options"])
        kinds[child_number] = kind
        option_counts[child_number] = count
        where = {"number": child_number}
        if kind in Kind.WITH_OPTIONS and count < 2:
            errors.append(_("Question %(number)d needs at least two options.") % where)
        if kind == Kind.NUMBER:
            low, high = value.get("min_value"), value.get("max_value")
            if low is not None and high is not None and low > high:
                errors.append(
                    _("Question %(number)d: the minimum is above the maximum.") % where
                )
        on = value.get("show_if_question")
        raw_options = value.get("show_if_options") or ""
        if on is None and raw_options.strip():
            errors.append(
                _("Question %(number)d: say which question its condition depends on.") % where
            )
        if on is not None:
            numbers = _option_numbers(raw_options)
            if on >= child_number:
                errors.append(
                    _("Question %(number)d can depend only on an earlier question.") % where
                )
            elif kinds.get(on) not in Kind.CONDITIONS_ON:
                errors.append(
                    _(
                        "Question %(number)d can depend only on a single or multiple choice "
                        "question."
                    )
                    % where
                )
            elif not numbers or any(n < 1 or n > option_counts[on] for n in numbers):
                errors.append(
                    _(
                        "Question %(number)d: give option numbers of question %(on)d, "
                        "between 1 and %(count)d."
                    )
                    % {"number": child_number, "on": on, "count": option_counts[on]}
                )
    return errors
