"""Each question kind checked, good and bad (``questionnaires.answers``), without a database."""

from decimal import Decimal

import pytest
from django.utils import translation

from questionnaires.answers import answers_clean
from questionnaires.structure import Condition, Option, Question


def options(key, n=3):
    return tuple(Option(key=f"{key}-{i}", number=i, label=f"o{i}") for i in range(1, n + 1))


SINGLE = Question(key="s", number=1, kind="single", text="S", required=True, options=options("s"))
MULTIPLE = Question(key="m", number=2, kind="multiple", text="M", options=options("m"))
SCALE = Question(key="sc", number=3, kind="scale", text="Sc")
RANKING = Question(key="r", number=4, kind="ranking", text="R", options=options("r"))
NUMBER = Question(
    key="n", number=5, kind="number", text="N", min_value=Decimal("0"), max_value=Decimal("10")
)
SHORT = Question(key="t", number=6, kind="short_text", text="T", max_length=10)
LONG = Question(key="l", number=7, kind="long_text", text="L")
CONDITIONAL = Question(
    key="c", number=8, kind="short_text", text="C", required=True,
    condition=Condition(question_key="s", option_keys=frozenset({"s-1"})),
)
ALL = [SINGLE, MULTIPLE, SCALE, RANKING, NUMBER, SHORT, LONG, CONDITIONAL]


@pytest.mark.parametrize(
    "question,value,expected",
    [
        (SINGLE, "s-2", "s-2"),
        (MULTIPLE, ["m-3", "m-1"], ["m-1", "m-3"]),
        (SCALE, "5", Decimal(5)),
        (RANKING, ["r-3", "r-1", "r-2"], ["r-3", "r-1", "r-2"]),
        (NUMBER, "7,5", Decimal("7.5")),
        (NUMBER, 0, Decimal(0)),
        (SHORT, " court ", "court"),
        (LONG, "x" * 5000, "x" * 5000),
    ],
)
def test_good_answers(question, value, expected):
    cleaned = answers_clean([question], {question.key: value})
    assert cleaned.errors == {}
    assert cleaned.values[question.key] == expected


@pytest.mark.parametrize(
    "question,value,message",
    [
        (SINGLE, "m-1", "This option is not one of this question's options."),
        (SINGLE, ["s-1", "s-2"], "Choose one option."),
        (MULTIPLE, ["m-1", "s-1"], "This option is not one of this question's options."),
        (MULTIPLE, ["m-1", "m-1"], "Choose each option at most once."),
        (SCALE, "6", "Choose a value from 1 to 5."),
        (SCALE, "2.5", "Choose a value from 1 to 5."),
        (RANKING, ["r-1", "r-1", "r-2"], "Give each option one place only: an option is ranked twice."),
        (RANKING, ["r-1", "r-2"], "Rank every option, from the first to the last."),
        (RANKING, ["r-1", "r-2", "x"], "This option is not one of this question's options."),
        (NUMBER, "11", "Enter a number between 0 and 10."),
        (NUMBER, "-1", "Enter a number between 0 and 10."),
        (NUMBER, "abc", "Enter a number."),
        (NUMBER, "NaN", "Enter a number."),
        (SHORT, "x" * 11, "Keep your answer under 10 characters (it has 11)."),
        (LONG, "x" * 5001, "Keep your answer under 5000 characters (it has 5001)."),
        (SHORT, ["liste"], "Enter a text."),
    ],
)
def test_bad_answers(question, value, message):
    with translation.override("en"):
        cleaned = answers_clean([question], {question.key: value})
    assert cleaned.errors == {question.key: message}
    assert cleaned.values == {}


def test_errors_are_translated():
    with translation.override("fr"):
        fr = answers_clean([SINGLE], {}).errors["s"]
    with translation.override("ar"):
        ar = answers_clean([SINGLE], {}).errors["s"]
    with translation.override("en"):
        en = answers_clean([SINGLE], {}).errors["s"]
    assert en == "This question requires an answer."
    assert fr != en and ar != en and ar != fr


def test_required_and_draft():
    assert set(answers_clean(ALL, {}).errors) == {"s"}
    draft = answers_clean(ALL, {"r": ["r-2"]}, draft=True)
    assert draft.errors == {} and draft.values == {"r": ["r-2"]}
    # A draft's answers are still checked.
    assert answers_clean(ALL, {"n": "99"}, draft=True).errors.keys() == {"n"}


def test_conditional_question_shown_and_hidden():
    shown = answers_clean(ALL, {"s": "s-1"})
    assert "c" in shown.errors
    hidden = answers_clean(ALL, {"s": "s-2", "c": "dropped"})
    assert hidden.errors == {} and "c" not in hidden.values
    kept = answers_clean(ALL, {"s": "s-1", "c": "kept"})
    assert kept.values["c"] == "kept"


def test_unknown_question():
    cleaned = answers_clean([SINGLE], {"s": "s-1", "nope": "x"})
    assert "nope" in cleaned.errors
