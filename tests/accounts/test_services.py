from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher

from accounts.models import User
from accounts.services import EmailTaken, user_sign_up, user_sign_up_request

pytestmark = pytest.mark.django_db


def test_user_sign_up_normalises_the_email():
    user = user_sign_up(
        email="  Salma@Example.TN ", display_name="Salma", password="x" * 12, preferred_language="ar"
    )
    assert user.email == "salma@example.tn"
    assert User.objects.get_by_natural_key("SALMA@example.tn") == user


def test_user_sign_up_refuses_a_taken_email_even_past_the_form(user_factory):
    user_factory(email="salma@example.tn")
    with pytest.raises(EmailTaken):
        user_sign_up(
            email="SALMA@example.tn", display_name="S", password="x" * 12, preferred_language="ar"
        )
    assert User.objects.count() == 1


def test_user_is_shown_by_display_name_never_email(user_factory):
    user = user_factory(email="hidden@example.tn", display_name="Nour")
    assert str(user) == "Nour"
    assert user.get_full_name() == "Nour"


def test_signing_up_hashes_the_password_once_whether_or_not_the_address_is_taken(user_factory):
    """Timing must not tell who has an account: one password hash on either path."""
    user_factory(email="taken@example.tn")
    hasher = type(get_hasher())
    counts = []
    for email in ("fresh@example.tn", "Taken@example.tn"):
        with mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode:
            user_sign_up_request(
                email=email, display_name="Leila", password="olive-trees-of-kef-2026",
                preferred_language="fr", ip_address="10.0.0.1", base_url="http://testserver/",
            )
        counts.append(encode.call_count)
    assert counts == [1, 1]
    assert User.objects.get(email="fresh@example.tn").check_password("olive-trees-of-kef-2026")
