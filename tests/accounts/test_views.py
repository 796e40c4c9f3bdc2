"""Citizens' sign-up, log-in, log-out and password reset, in the three languages."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.html import escape

from accounts.forms import DISPLAY_NAME_TOO_SHORT, LoginForm
from accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "Leila.Ben@Example.TN",
    "display_name": "  Leila   B. ",
    "preferred_language": "fr",
    "governorate": "TN-33",
    "password1": "olive-trees-of-kef-2026",
    "password2": "olive-trees-of-kef-2026",
}


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_sign_up_page_renders_in_each_language(client, language):
    response = client.get(f"/{language}/accounts/sign-up/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert 'name="email"' in html and 'name="governorate"' in html


def test_sign_up_creates_the_account_and_the_link_in_the_email_logs_in(client, site):
    response = client.post("/fr/accounts/sign-up/", SIGN_UP)
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/sign-up/sent/"
    assert "_auth_user_id" not in client.session
    user = User.objects.get()
    assert user.email == "leila.ben@example.tn"
    assert user.display_name == "Leila B."
    assert user.governorate == "TN-33"
    assert user.check_password(SIGN_UP["password1"])
    response = client.get(confirmation_link(mail.outbox[-1]))
    assert response["Location"] == "/fr/"
    page = client.get("/fr/").content.decode()
    assert "Leila B." in page
    assert "leila.ben@example.tn" not in page


def test_sign_up_keeps_a_safe_next_and_ignores_an_outside_one(client):
    client.post("/en/accounts/sign-up/", {**SIGN_UP, "next": "/en/about/"})
    response = client.get(confirmation_link(mail.outbox[-1]))
    assert response["Location"] == "/en/about/"
    client.logout()
    other = {**SIGN_UP, "email": "other@example.tn", "next": "https://evil.example/"}
    client.post("/en/accounts/sign-up/", other)
    response = client.get(confirmation_link(mail.outbox[-1]))
    assert response["Location"] == "/fr/"


def translated(message, language: str) -> str:
    """``message`` in ``language``, checked to be really translated (not the English fallback)."""
    with translation.override(language):
        text = str(message)
    if language != "en":
        with translation.override("en"):
            assert text != str(message), f"{message!r} has no {language} translation"
    return escape(text)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Saisissez une adresse de courriel valide."),
        ({"email": ""}, "email", "Champ requis."),
        (
            {"password1": "12345678", "password2": "12345678"},
            "password2",
            "Ce mot de passe est trop court.",
        ),
        (
            {"password1": "olive-trees-of-kef-2026", "password2": "olive-trees-of-kef-2027"},
            "password2",
            "Les deux mots de passe ne correspondent pas.",
        ),
        ({"display_name": " x "}, "display_name", DISPLAY_NAME_TOO_SHORT),
        ({"governorate": "TN-99"}, "governorate", "Sélectionnez un choix valide."),
    ],
)
def test_bad_sign_up_gets_a_translated_error_and_creates_nothing(
    client, changes, field, message
):
    response = client.post("/fr/accounts/sign-up/", {**SIGN_UP, **changes})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    html = response.content.decode()
    assert (message if isinstance(message, str) else translated(message, "fr")) in html
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_log_in_with_any_case_of_email_and_log_out(client, site, user_factory):
    user_factory(email="karim@example.tn", display_name="Karim")
    response = client.post(
        "/en/accounts/login/", {"username": "Karim@Example.TN", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "Karim" in client.get("/en/").content.decode()
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_log_in_with_a_wrong_password_is_refused(client, citizen, language):
    response = client.post(
        f"/{language}/accounts/login/", {"username": citizen.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    message = translated(LoginForm.error_messages["invalid_login"], language)
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_in_the_readers_language(client, citizen):
    response = client.post("/fr/accounts/password-reset/", {"email": citizen.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/fr/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("a-brand-new-passphrase")


def test_password_reset_for_an_unknown_email_reveals_nothing(client):
    response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.tn"})
    assert response.status_code == 302
    assert mail.outbox == []


def confirmation_link(message) -> str:
    found = re.search(r"http://testserver(/\w\w/accounts/verify/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def test_sign_up_sends_a_link_that_confirms_the_address(client):
    client.post("/fr/accounts/sign-up/", SIGN_UP)
    user = User.objects.get()
    assert not user.email_verified
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["leila.ben@example.tn"]
    link = confirmation_link(mail.outbox[0])
    assert link.startswith("/fr/")
    assert client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    # Used once: the token no longer matches the account's state.
    assert client.get(link).status_code == 400


def test_a_forged_confirmation_link_verifies_nothing(client, citizen):
    response = client.get("/en/accounts/verify/MQ/abc-123/")
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert not citizen.email_verified


def test_resending_the_confirmation_link(client, citizen):
    client.force_login(citizen)
    response = client.post("/en/accounts/verify/send/", {"next": "/en/about/"})
    assert response["Location"] == "/en/about/"
    client.get(confirmation_link(mail.outbox[-1]))
    citizen.refresh_from_db()
    assert citizen.email_verified


def test_completing_a_password_reset_confirms_the_address(client, citizen):
    client.post("/en/accounts/password-reset/", {"email": citizen.email})
    link = re.search(r"http://testserver(/en/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "fresh-passphrase-77", "new_password2": "fresh-passphrase-77"})
    citizen.refresh_from_db()
    assert citizen.email_verified
