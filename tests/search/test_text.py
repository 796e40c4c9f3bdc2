"""Folding, the query language and highlighting (search/text.py), without a database."""

import pytest

from search.text import QueryError, folded_text, highlight, parse_query, words


@pytest.mark.parametrize(
    "written, folded",
    [
        ("أحمد إسلام آمال ٱلله", "احمد اسلام امال له"),
        ("مدرسة", "مدرسه"),
        ("مستشفى", "مستشفي"),
        ("القُرْآنُ", "قران"),
        ("كـــتـاب", "كتاب"),
        ("والماء بالمدرسة للمواطن", "ماء مدرسه مواطن"),
        ("ال الا", "ال الا"),  # too short to carry an article
        ("٢٠٢٤ ۲۰۲۵", "2024 2025"),
        ("Décret ÉCOLE œuvre Straße", "decret ecole oeuvre strasse"),
        ("l'eau, aujourd'hui — n°12", "l eau aujourd hui n 12"),
        ("esc\u200broc", "escroc"),
    ],
)
def test_folding(written, folded):
    assert folded_text(written) == folded


def test_a_query_reads_words_phrases_and_a_last_prefix():
    query = parse_query('décret "code des eaux" irrig')
    assert [(clause.words, clause.prefix) for clause in query.clauses] == [
        (("decret",), False),
        (("code", "des", "eaux"), False),
        (("irrig",), True),
    ]
    assert not parse_query("irrig ").clauses[-1].prefix
    assert not parse_query('"code des eaux"').clauses[-1].prefix
    assert parse_query('"code des').clauses[0].words == ("code", "des")  # an unclosed quote
    assert not parse_query("  ").clauses
    assert parse_query("«مجلة المياه»").clauses[0].words == ("مجله", "مياه")


def test_operators_are_only_punctuation():
    assert parse_query("eau AND (bus OR nuit*) -x title:y").terms == [
        "eau", "and", "bus", "or", "nuit", "x", "title", "y"
    ]


@pytest.mark.parametrize("typed", ["a" * 201, "mot " * 13, "b" * 41, "eau\x07"])
def test_queries_too_big_or_with_control_characters_are_refused(typed):
    with pytest.raises(QueryError):
        parse_query(typed)


def test_highlight_marks_words_as_written_and_escapes_the_rest():
    query = parse_query('decret "code des eaux"')
    html = highlight("Le <b>Décret</b> relatif au Code des eaux.", query)
    assert html == "Le &lt;b&gt;<mark>Décret</mark>&lt;/b&gt; relatif au <mark>Code des eaux</mark>."


def test_highlight_finds_arabic_words_under_their_marks_and_article():
    html = highlight("زيارة المَدْرَسَة غدا", parse_query("مدرسة"))
    assert html == "زيارة <mark>المَدْرَسَة</mark> غدا"


def test_a_long_text_is_cut_around_its_first_match():
    text = " ".join(["mot"] * 200) + " fontaines " + " ".join(["fin"] * 200)
    html = highlight(text, parse_query("fontaines"), length=80)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>fontaines</mark>" in html
    assert len(html) < 130
    assert highlight(text, parse_query(""), length=20).startswith("mot mot")


def test_words_keep_digits_and_letters_only():
    assert words("2024-15/A") == ["2024", "15", "a"]
