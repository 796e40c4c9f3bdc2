import pytest
from django.contrib.auth.models import AnonymousUser

from deliberation.models import Participation

pytestmark = pytest.mark.django_db


def test_citizen_may_comment_only_while_open(make_consultation, citizen):
    open_one = make_consultation(opens_in=-1, closes_in=5)
    upcoming = make_consultation(opens_in=2, closes_in=5)
    closed = make_consultation(opens_in=-5, closes_in=-1)
    assert citizen.has_perm("consultations.comment_consultation", open_one)
    assert not citizen.has_perm("consultations.comment_consultation", upcoming)
    assert not citizen.has_perm("consultations.comment_consultation", closed)
    assert citizen.has_perm("consultations.flag_consultation", closed)
    assert not citizen.has_perm("consultations.react_consultation", closed)
    for page in (open_one, upcoming, closed):
        assert citizen.has_perm("consultations.follow_consultation", page)


def test_anonymous_reads_but_cannot_take_part(make_consultation):
    page = make_consultation()
    anonymous = AnonymousUser()
    assert anonymous.has_perm("consultations.view_consultation", page)
    assert not anonymous.has_perm("consultations.comment_consultation", page)
    assert not anonymous.has_perm("consultations.follow_consultation", page)


def test_verified_only_consultation_needs_a_verified_email(make_consultation, citizen):
    page = make_consultation(participation=Participation.VERIFIED)
    assert not citizen.has_perm("consultations.comment_consultation", page)
    citizen.email_verified = True
    assert citizen.has_perm("consultations.comment_consultation", page)


def test_unpublished_consultation_allows_nothing(make_consultation, citizen):
    page = make_consultation()
    page.unpublish()
    page.refresh_from_db()
    assert not citizen.has_perm("consultations.view_consultation", page)
    assert not citizen.has_perm("consultations.comment_consultation", page)
