"""The factories build what the tests expect of them."""

import pytest

from deliberation.phases import Phase

pytestmark = pytest.mark.django_db


def test_page_factories_add_live_pages_under_their_parent(
    site, institution_page_factory, consultation_page_factory
):
    institution = institution_page_factory(parent=site["home"]["fr"], slug="sfax")
    page = consultation_page_factory(parent=institution)
    published = consultation_page_factory(parent=institution, publish=True)
    assert page.live and page.get_parent().pk == institution.pk
    assert page.locale.language_code == "fr" and page.phase == Phase.OPEN
    assert page.live_revision is None and published.live_revision is not None
    assert [s.heading for s in page.sections] == ["Principes", "Priorités"]


def test_reaction_and_flag_factories_attach_to_a_contribution(
    thread, citizen, post, reaction_factory, flag_factory
):
    contribution = post(citizen, thread)
    reaction_factory(contribution=contribution)
    flag_factory(contribution=contribution)
    assert contribution.reactions.get().kind == "agree"
    assert contribution.flags.get().reason == "spam"
