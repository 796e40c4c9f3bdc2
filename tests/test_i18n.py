"""The committed translation catalogs: complete for Arabic and French, and compiled."""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "locale"


# django: Python and templates; djangojs: the live thread's script (static/js), served by
# Django's JavaScriptCatalog.
DOMAINS = ["django", "djangojs"]


def catalog(language, domain="django"):
    with open(LOCALE / language / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_ui_string_is_translated(language, domain):
    """Django falls back to Arabic (LANGUAGE_CODE) for a French string left untranslated,
    so a gap here would show Arabic text on a French page."""
    messages = [m for m in catalog(language, domain) if m.id]
    assert messages
    untranslated = [m.id for m in messages if not m.string or (isinstance(m.string, tuple) and not all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_compiled_catalog_matches_the_po_file(language, domain):
    """The .mo files are committed (no gettext tools needed to run); they must not be stale."""
    with open(LOCALE / language / "LC_MESSAGES" / f"{domain}.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog(language, domain):
        if not message.id or not any(message.string):
            continue
        if isinstance(message.id, tuple):
            for form, text in enumerate(message.string):
                assert compiled._catalog[(message.id[0], form)] == text, message.id
        else:
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            assert compiled.gettext(key) == message.string, message.id
