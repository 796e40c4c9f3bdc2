import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from accounts.sessions import session_user

pytestmark = pytest.mark.django_db


def _logged_in(user) -> str:
    client = Client()
    client.force_login(user)
    return client.session.session_key


def test_a_logged_in_session_gives_the_account_as_it_is_now(user_factory):
    user = user_factory(display_name="Amira")
    key = _logged_in(user)
    type(user).objects.filter(pk=user.pk).update(display_name="Amira B.")

    fresh = session_user(user=user, session_key=key)

    assert fresh == user and fresh.display_name == "Amira B."


def test_an_anonymous_reader_stays_anonymous():
    anonymous = AnonymousUser()
    assert session_user(user=anonymous, session_key=None) is anonymous


def test_a_disabled_or_deleted_account_may_no_longer_act(user_factory):
    disabled, deleted = user_factory(), user_factory()
    keys = {disabled: _logged_in(disabled), deleted: _logged_in(deleted)}
    type(disabled).objects.filter(pk=disabled.pk).update(is_active=False)
    deleted_pk = deleted.pk
    deleted.delete()
    deleted.pk = deleted_pk

    assert session_user(user=disabled, session_key=keys[disabled]) is None
    assert session_user(user=deleted, session_key=keys[deleted]) is None


def test_a_session_logged_out_or_of_another_account_is_refused(user_factory):
    user, other = user_factory(), user_factory()
    client = Client()
    client.force_login(user)
    key = client.session.session_key
    client.logout()

    assert session_user(user=user, session_key=key) is None
    assert session_user(user=user, session_key=_logged_in(other)) is None
    assert session_user(user=user, session_key=None) is None


def test_a_password_changed_since_the_log_in_ends_the_session(user_factory):
    user = user_factory()
    key = _logged_in(user)
    assert session_user(user=user, session_key=key) == user

    user.set_password("another long password")
    user.save()

    assert session_user(user=user, session_key=key) is None
