"""Fixtures shared by the deliberation tests."""

import pytest

from deliberation import services
from tests.pages import draft


@pytest.fixture
def other_thread(site, institution_page_factory, consultation_page_factory):
    """The thread of an open consultation of a second institution (Sfax), in French."""
    institution = institution_page_factory(
        parent=site["home"]["fr"], title="Ville de Sfax", slug="sfax"
    )
    page = consultation_page_factory(
        parent=institution, title="Plan de mobilité", draft=draft(("Bus", "Plus de bus."))
    )
    return services.thread_for_page(page=page)
