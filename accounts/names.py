"""Display names that cannot pass for someone else.

A citizen chooses the name shown beside what they write. Three tricks are refused or undone
here (docs/security.md, "Display names"):

- *Invisible format characters* (Unicode category Cf: bidi overrides, isolates and marks,
  zero-width joiners and spaces, the BOM…) are removed. In a name they only serve to reorder
  or hide letters ("Admin" U+202E " rotaredoM" shows as "Admin Moderator"); pages isolate each
  name (``<bdi>``) so a name needs none to be laid out right, in Arabic or Latin.
- *Mixed-script lookalikes*: a word whose letters come from several scripts and include a
  character confusable with another script's ("Mоderator" with a Cyrillic о) is refused,
  using the Unicode confusables data of ``confusable_homoglyphs``. A name may still mix
  scripts word by word ("Karim كريم").
- *Staff titles*: names that read as a role of the platform (admin, moderator, official… in
  Arabic, French and English) are refused, compared after folding case, accents, Arabic
  diacritics and letter forms, and confusable letters to their Latin lookalikes.

Staff accounts named in the Wagtail admin are only cleaned of format characters.
"""

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MIXED_SCRIPT_MESSAGE = _(
    "This display name mixes alphabets within a word, with letters that look like others "
    "(for example a Cyrillic “о” among Latin letters). Write each word in one alphabet."
)
RESERVED_MESSAGE = _(
    "This display name could be taken for the platform's staff (an administrator, a "
    "moderator or an official account). Please choose another one."
)

# Terms folded by ``_fold``; "*" ends a prefix ("moderat*": moderator, modérateur, moderation).
RESERVED_TERMS = (
    # English and French
    "admin*", "moderat*", "modérat*", "official*", "officiel*", "staff", "support",
    "majlis*", "webmaster", "sysadmin*", "root",
    # Arabic: supervisor/moderator, supervision, director, administration, official, council
    "مشرف*", "إشراف*", "مدير*", "إدار*", "رسمي*", "مسؤول*", "مجلس*",
)

_ARABIC_LETTERS = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None, "ٱ": "ا"})
# After case folding: letters and digits that read alike in a name.
_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("|", "l"), ("!", "l"), ("i", "l"),
               ("5", "s"), ("$", "s"), ("@", "a"), ("3", "e"))


def strip_format_characters(name: str) -> str:
    """``name`` without invisible format characters, with spaces collapsed."""
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    return " ".join(name.split())


@lru_cache(maxsize=4096)
def _latin_lookalike(ch: str) -> str:
    """A Latin letter that ``ch`` (from another script, not Arabic) is drawn like, or ``ch``."""
    if ch.isascii() or categories.alias(ch) in ("LATIN", "ARABIC", "COMMON"):
        return ch
    found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii():
                return glyph["c"]
    return ch


def _fold(text: str) -> str:
    """Case, accents, Arabic diacritics and letter forms, confusable letters and lookalike
    digits folded away: what a reader would take the text for."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(_latin_lookalike(ch) for ch in text).casefold().translate(_ARABIC_LETTERS)
    for lookalike, letter in _LOOKALIKES:
        text = text.replace(lookalike, letter)
    return text


def _reserved():
    return [(_fold(term.rstrip("*")), term.endswith("*")) for term in RESERVED_TERMS]


RESERVED = _reserved()
_WORD = re.compile(r"[^\W_]+|[|!$@]+")


def imitates_staff(name: str) -> bool:
    folded = _fold(strip_format_characters(name))
    words = ["".join(_WORD.findall(word)) for word in re.split(r"[\s\-_.,·()\[\]{}'\"/:]+", folded)]
    words = [w for w in words if w]
    # Arabic's article is written on the word: المشرف is مشرف.
    words += [w[2:] for w in words if w.startswith("ال") and len(w) > 3]
    joined = "".join(words)  # "A d m i n", "Ad.min"
    for term, prefix in RESERVED:
        for word in words + [joined]:
            if word == term or (prefix and word.startswith(term)):
                return True
    return False


def mixes_scripts_confusably(name: str) -> bool:
    return any(confusables.is_dangerous(word) for word in name.split())


def display_name_validate(name: str) -> str:
    """The name a citizen may use, cleaned (format characters removed, spaces collapsed), or
    ValidationError saying why not."""
    name = strip_format_characters(name)
    if mixes_scripts_confusably(name):
        raise ValidationError(MIXED_SCRIPT_MESSAGE, code="mixed_script")
    if imitates_staff(name):
        raise ValidationError(RESERVED_MESSAGE, code="reserved")
    return name


# --- Showing names --------------------------------------------------------------------------
# A name is written in its own direction, whatever the page's: without isolation a Latin name
# in an Arabic line reads ".Karim M", and an Arabic name drags the French punctuation after it.


def name_html(name: str) -> SafeString:
    """``name`` escaped and isolated for HTML: ``<bdi>`` (its own direction, the page's
    around it). Every template and fragment that prints a display name goes through this."""
    return format_html("<bdi>{}</bdi>", name)


def name_text(name: str) -> str:
    """``name`` isolated for plain text (e-mails, admin messages, choice labels): U+2068 FIRST
    STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, the text form of ``<bdi>``."""
    return f"\u2068{name}\u2069" if name else ""


def shown_name(name: str | None) -> str:
    """The display name as readers see it: ``None`` (the author deleted their account, whose
    rows keep no name) reads "Deleted account" in the reader's language (docs/data-rights.md)."""
    return gettext("Deleted account") if name is None else name


def author_name(user) -> str:
    """``shown_name`` of an account that may be gone (a nullable author foreign key)."""
    return shown_name(None if user is None else user.display_name)
