"""One word for each recurring concept (docs/glossary.csv, explained in docs/glossary.md):
no Arabic or French catalog writes a variant the glossary forbids."""

import csv
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = ["django", "djangojs"]


def glossary() -> list[dict]:
    with open(ROOT / "docs" / "glossary.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _variants(row: dict, language: str) -> list[str]:
    return [v.strip() for v in row[f"{language}_forbidden"].split("|") if v.strip()]


def _pattern(variant: str, language: str) -> re.Pattern:
    # Arabic attaches و ف ب ل ك ال to the word: a variant is found inside a longer word.
    # French words stand alone: "mél" must not match "mélange".
    if language == "ar":
        return re.compile(re.escape(variant))
    return re.compile(rf"(?<!\w){re.escape(variant)}(?!\w)", re.IGNORECASE)


def catalog(language: str, domain: str) -> Catalog:
    with open(ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle, locale=language)


def _texts(message) -> list[str]:
    return [text for text in (message.string if isinstance(message.string, tuple) else (message.string,)) if text]


def forbidden_uses(catalog: Catalog, language: str) -> list[tuple[str, str, str]]:
    """(concept, variant, msgid) for every translation that writes a forbidden variant."""
    checks = [
        (row["concept"], variant, _pattern(variant, language))
        for row in glossary()
        for variant in _variants(row, language)
    ]
    found = []
    for message in catalog:
        if not message.id:
            continue
        texts = _texts(message)
        for concept, variant, pattern in checks:
            if any(pattern.search(text) for text in texts):
                found.append((concept, variant, message.id))
    return found


def test_the_glossary_gives_one_term_per_language_for_each_concept():
    rows = glossary()
    assert {"password", "dismiss reports", "moderator", "contribution", "consultation", "request",
            "idea", "decision", "outcome", "support"} <= {row["concept"] for row in rows}
    for row in rows:
        assert row["ar"] and row["fr"], row["concept"]
        for language in ("ar", "fr"):
            assert row[language] not in _variants(row, language), row["concept"]


@pytest.mark.parametrize("domain", CATALOGS)
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_no_catalog_writes_a_forbidden_variant(language, domain):
    assert forbidden_uses(catalog(language, domain), language) == []


@pytest.mark.parametrize(
    "language, msgid, msgstr, concept",
    [
        ("ar", "Change your password", "غيّر كلمة العبور", "password"),
        ("ar", "Forgot your password?", "نسيت رمز المرور؟", "password"),
        ("ar", "Dismiss reports", "حفظ التبليغات", "dismiss reports"),
        ("fr", "Dismiss reports", "Classer les signalements", "dismiss reports"),
        ("fr", "Email address", "Adresse de courriel", "email"),
    ],
)
def test_the_check_catches_a_variant(language, msgid, msgstr, concept):
    written = Catalog(locale=language)
    written.add(msgid, msgstr)
    assert [use[0] for use in forbidden_uses(written, language)] == [concept]


def test_a_french_variant_is_a_whole_word():
    written = Catalog(locale="fr")
    written.add("mixes", "Ce nom mélange les alphabets.")
    written.add("nickname", "Votre pseudo")
    assert [use[2] for use in forbidden_uses(written, "fr")] == ["nickname"]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_glossary_terms_are_the_ones_the_catalogs_use(language):
    """A glossary nobody follows is no glossary: each term appears in its catalog."""
    texts = [text for domain in CATALOGS for message in catalog(language, domain) for text in _texts(message)]
    corpus = "\n".join(texts).lower()
    missing = [row["concept"] for row in glossary() if row[language].lower() not in corpus]
    assert missing == []
