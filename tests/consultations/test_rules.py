import pytest
from django.contrib.auth.models import AnonymousUser

from deliberation.models import Participation
from deliberation.rules import refusal
from deliberation.services import thread_for_page

pytestmark = pytest.mark.django_db


def _may_post(user, consultation) -> bool:
    """Taking part in a consultation is asked of its thread's permission."""
    return refusal(user, "deliberation.post_thread", thread_for_page(page=consultation)) is None


def test_citizen_may_comment_only_while_open_and_follow_at_any_phase(make_consultation, citizen):
    open_one = make_consultation(opens_in=-1, closes_in=5)
    upcoming = make_consultation(opens_in=2, closes_in=5)
    closed = make_consultation(opens_in=-5, closes_in=-1)
    assert _may_post(citizen, open_one)
    assert not _may_post(citizen, upcoming)
    assert not _may_post(citizen, closed)
    for page in (open_one, upcoming, closed):
        assert citizen.has_perm("consultations.follow_consultation", page)


def test_anonymous_reads_but_cannot_take_part(make_consultation):
    page = make_consultation()
    anonymous = AnonymousUser()
    assert anonymous.has_perm("consultations.view_consultation", page)
    assert not _may_post(anonymous, page)
    assert not anonymous.has_perm("consultations.follow_consultation", page)


def test_verified_only_consultation_needs_a_verified_email(make_consultation, citizen):
    page = make_consultation(participation=Participation.VERIFIED)
    assert not _may_post(citizen, page)
    citizen.email_verified = True
    assert _may_post(citizen, page)


def test_unpublished_consultation_allows_nothing(make_consultation, citizen):
    page = make_consultation()
    thread = thread_for_page(page=page)
    page.unpublish()
    page.refresh_from_db()
    thread.refresh_from_db()
    assert not citizen.has_perm("consultations.view_consultation", page)
    assert not citizen.has_perm("consultations.follow_consultation", page)
    assert refusal(citizen, "deliberation.post_thread", thread) is not None
