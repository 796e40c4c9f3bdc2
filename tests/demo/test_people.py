"""The demo's staff accounts are named in their owner's language: an Arabic-speaking
moderator's dashboard does not greet them as "Modération"."""

import re

import pytest

from demo.build.accounts import _institution_display_name
from demo.content.people import INSTITUTION_NAMES, ROLE_NAMES, STAFF

LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.mark.parametrize("role", sorted(STAFF))
def test_a_staff_display_name_is_in_its_owners_language(role):
    _email, name, language = STAFF[role]
    if language == "ar":
        assert ARABIC.search(name) and not LATIN.search(name), name
    else:
        assert LATIN.search(name) and not ARABIC.search(name), name


@pytest.mark.parametrize("slug", sorted(INSTITUTION_NAMES))
@pytest.mark.parametrize("role", sorted(ROLE_NAMES))
def test_institution_accounts_with_arabic_dashboards_have_arabic_names(slug, role):
    name = _institution_display_name(slug, role)
    assert ARABIC.search(name) and not LATIN.search(name), name
