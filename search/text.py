"""Words as search compares them, the journalist's query, and highlighted snippets.

Both backends compare *folded* words, made here in Python at index time and at query time,
so the database's own full-text engines (SQLite FTS5, PostgreSQL ``tsvector`` with the
``simple`` configuration) need no Arabic or French knowledge of their own and behave alike:

- case is ignored; accents are dropped (``décret`` = ``decret``, ``œ`` = ``oe``);
- Arabic diacritics and tatweel are ignored; أ إ آ ٱ fold to ا (and ؤ ئ lose their hamza);
  ة is written ه and ى is written ي; Arabic-Indic digits are read as 0-9;
- the Arabic definite article, alone or after و ب ك ف, is not part of the word (المدرسة =
  مدرسة, والماء = ماء; لل as in للمواطن too), as Lucene's light Arabic stemmer does for
  prefixes — suffixes are kept, so a word's meaning never changes;
- a word is a run of letters and digits: apostrophes, hyphens and punctuation separate words
  (``l'eau`` is ``l`` + ``eau``), and the same rule splits the query.

The query language is deliberately small and has no parser that can be made slow: words (all
must match), ``"quoted phrases"``, and the last word matched as a prefix while the journalist is
still typing it. Everything else (``AND``, ``*``, ``:``, brackets) is punctuation.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from search import conf

ARABIC_FOLD = str.maketrans(
    {"ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None, "œ": "oe", "æ": "ae", "ß": "ss"}
    | {chr(0x0660 + digit): str(digit) for digit in range(10)}  # Arabic-Indic
    | {chr(0x06F0 + digit): str(digit) for digit in range(10)}  # Eastern Arabic-Indic
)
# A word in the original text: letters and digits with the marks that belong to them (Arabic
# diacritics and tatweel, combining accents) and the invisible characters that may sit inside
# one (soft hyphen, zero-width space and joiners), so a voweled word stays one word.
WORD = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    r"\u00ad\u200b-\u200d\u2060])+"
)
QUOTES = '"«»“”„'


def fold(text: str) -> str:
    """One word, or a text, in the form search compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Cf"))
    return stripped.translate(ARABIC_FOLD)


ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")  # longest first


def without_article(word: str) -> str:
    for article in ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :]
    return word


@functools.lru_cache(maxsize=65536)
def word_forms(word: str) -> tuple[str, ...]:
    """One word as written (a WORD match) in the form search compares: usually one word,
    more when folding separates it. Cached: texts repeat their words, and highlighting folds
    every word of every result shown."""
    return tuple(without_article(part) for part in WORD.findall(fold(word)))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    folded = []
    for match in WORD.finditer(text or ""):
        folded.extend(word_forms(match.group()))
    return folded


def folded_text(text: str) -> str:
    """What the full-text engines index: the folded words, separated by single spaces."""
    return " ".join(words(text))


class QueryError(ValueError):
    """The journalist's query cannot be searched; ``message`` says why, in their language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Clause:
    """All ``words`` in this order (a phrase when more than one); the last one may be a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    clauses: tuple[Clause, ...]

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def terms(self) -> list[str]:
        return [word for clause in self.clauses for word in clause.words]


def parse_query(raw: str | None) -> ParsedQuery:
    """The clauses of a typed query. Raises ``QueryError`` for a query too long or with too many
    words; a query with no word at all is empty (the search then lists everything)."""
    typed = raw or ""
    raw = typed.strip()
    # Measured as sent, as the API's document says (maxLength, no control characters).
    if len(typed) > conf.get("SEARCH_MAX_QUERY_LENGTH"):
        raise QueryError(
            _("The search is too long: %(length)d characters, at most %(limit)d.")
            % {"length": len(typed), "limit": conf.get("SEARCH_MAX_QUERY_LENGTH")}
        )
    if any(unicodedata.category(ch) == "Cc" for ch in typed):
        raise QueryError(_("The search contains control characters; type words instead."))
    normalised = "".join('"' if ch in QUOTES else ch for ch in raw)
    clauses: list[Clause] = []
    # Outside quotes: words; inside a closed pair of quotes: a phrase. An unclosed quote is
    # read as a phrase running to the end.
    for index, part in enumerate(normalised.split('"')):
        found = words(part)
        if not found:
            continue
        if index % 2:
            clauses.append(Clause(tuple(found)))
        else:
            clauses.extend(Clause((word,)) for word in found)
    # A word still being typed: the query ends in it (no space, no closing quote after it).
    ends_in_word = bool(typed) and normalised.count('"') % 2 == 0 and WORD.match(typed[-1])
    if clauses and ends_in_word and not clauses[-1].is_phrase:
        clauses[-1] = Clause(clauses[-1].words, prefix=True)
    if sum(len(clause.words) for clause in clauses) > conf.get("SEARCH_MAX_QUERY_WORDS"):
        raise QueryError(
            _("The search has too many words: at most %(limit)d.") % {"limit": conf.get("SEARCH_MAX_QUERY_WORDS")}
        )
    if any(len(word) > conf.get("SEARCH_MAX_WORD_LENGTH") for clause in clauses for word in clause.words):
        raise QueryError(
            _("A word of the search is too long: at most %(limit)d letters.")
            % {"limit": conf.get("SEARCH_MAX_WORD_LENGTH")}
        )
    return ParsedQuery(raw=raw, clauses=tuple(clauses))


def _marked_spans(text: str, query: ParsedQuery) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose words match the query (phrases as a whole)."""
    tokens = [  # (folded word, start, end): one original word may fold into several
        (word, match.start(), match.end())
        for match in WORD.finditer(text)
        for word in word_forms(match.group())
    ]
    folded = [token[0] for token in tokens]
    spans = []
    for clause in query.clauses:
        head, last_word, size = list(clause.words[:-1]), clause.words[-1], len(clause.words)
        for start in range(len(tokens) - size + 1):
            last = folded[start + size - 1]
            if not (last.startswith(last_word) if clause.prefix else last == last_word):
                continue
            if head and folded[start : start + size - 1] != head:
                continue
            spans.append((tokens[start][1], tokens[start + size - 1][2]))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: ParsedQuery, *, length: int | None = None) -> SafeString:
    """An escaped excerpt of ``text`` around its first match, the matches in ``<mark>``. With
    no match (or no query) the excerpt is the text's beginning."""
    length = length or conf.get("SEARCH_SNIPPET_LENGTH")
    text = " ".join((text or "").split())
    spans = _marked_spans(text, query) if query else []
    start = 0
    if spans and spans[0][1] > length:
        start = max(0, spans[0][0] - length // 3)
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    return mark_safe(("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else ""))
