"""Matching contributions against moderators' watched words.

Text and phrases are compared in a normal form that ignores case, accents and Arabic
diacritics, tatweel, invisible characters, and the alef/hamza, taa marbuta and alef maqsura
spellings, so one entry catches the common ways of writing a word. Phrases match whole words
only.
"""

import re
import unicodedata
from dataclasses import dataclass

from deliberation.models import WatchedWord, WatchedWordAction

ARABIC_FOLD = str.maketrans({"ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
SEVERITY = [WatchedWordAction.BLOCK, WatchedWordAction.HOLD, WatchedWordAction.FLAG]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Mn: diacritics and hamza marks; Cf: zero-width and soft-hyphen characters that would
    # otherwise split a word invisibly ("esc\u200broc").
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Cf"))
    return " ".join(stripped.translate(ARABIC_FOLD).split())


@dataclass(frozen=True)
class WatchedMatch:
    action: WatchedWordAction
    phrases: tuple[str, ...]


ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]")


def languages_of(text: str, page_language: str) -> set[str]:
    """The lists that apply: the page's language, every-language entries, and the languages
    the text is written in as far as its script tells (Arabic letters: ar; Latin: fr and en).
    So writing French from the Arabic page does not dodge the French list."""
    languages = {page_language, ""}
    if ARABIC_LETTERS.search(text):
        languages.add("ar")
    if LATIN_LETTERS.search(text):
        languages.update({"fr", "en"})
    return languages


def watched_words_match(*, text: str, language: str) -> WatchedMatch | None:
    """The most severe action the text triggers, with the phrases that triggered it."""
    words = WatchedWord.objects.filter(language__in=languages_of(text, language)).values_list(
        "phrase", "action"
    )
    folded = fold(text)
    hits: dict[str, list[str]] = {}
    for phrase, action in words:
        if re.search(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)", folded):
            hits.setdefault(action, []).append(phrase)
    for action in SEVERITY:
        if action in hits:
            return WatchedMatch(WatchedWordAction(action), tuple(hits[action]))
    return None
