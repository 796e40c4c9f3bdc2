"""The PDF's text is the answer's text: Arabic letters as typed (each glyph maps back to its
letter), in logical order.

pypdf returns each line's runs from left to right as drawn, each run's characters in logical
order: the words of a line that is all Arabic come out in the order typed, but a neutral
character at the line's end (the full stop) comes out first, and a line mixing Arabic with
Latin (a file name and its hash) gives its runs in visual order. So the answer's paragraphs
are compared word by word, in order; the mixed lines by the words they contain."""

import io
import re
import unicodedata

import pypdf
import pytest

from tests.signatures.conftest import ANSWER_AR, SUBJECT_AR

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text))


def _in_order(needle: list[str], haystack: list[str]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def test_the_arabic_answer_comes_out_of_the_pdf_as_typed(signed_sample):
    text = _text(signed_sample["pdf"])
    words = _words(text)

    for paragraph in ANSWER_AR.split("\n\n"):
        # Word for word, in logical order (the lines wrap where the page ends).
        assert _in_order(_words(paragraph), words), paragraph
    for line in (SUBJECT_AR, "بلدية الكاف", "هادي بن علي", "رئيس مصلحة العلاقات مع المواطن"):
        assert line in text, line


def test_every_fact_of_the_answer_is_printed(signed_sample):
    words = set(_words(_text(signed_sample["pdf"])))

    assert set(_words(signed_sample["reference"])) <= words
    assert set(_words(signed_sample["code"])) <= words
    text = _text(signed_sample["pdf"])
    assert all(word in text for word in _words("محضر-المعاينة.pdf"))
    assert signed_sample["payload"]["attachments"][0]["sha256"] in text
    assert "رمز التحقق" in text


def test_no_letter_is_mistaken_for_another(signed_sample):
    """With a font that draws dotted letters as a dotless base and dots, ت came out as ة and
    ف as ن: every Arabic word of the answer must be found whole."""
    words = set(_words(_text(signed_sample["pdf"])))

    assert set(_words(ANSWER_AR)) <= words
