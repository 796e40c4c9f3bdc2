import pytest

from accounts.models import User
from accounts.services import EmailTaken, user_sign_up

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
