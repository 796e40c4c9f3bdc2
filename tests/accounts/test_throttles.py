"""Log-in, sign-up and password-reset e-mails are throttled per account and per client
address (accounts/conf.py, docs/security.md), answer 429 with a translated message and
Retry-After, and never tell whether an address has an account."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "display_name": "Leila B.",
    "preferred_language": "fr",
    "governorate": "",
    "password1": "olive-trees-of-kef-2026",
    "password2": "olive-trees-of-kef-2026",
}


def log_in(client, email, password, address="10.0.0.1"):
    return client.post(
        "/en/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def assert_throttled(response):
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 24 * 3600
    html = response.content.decode()
    assert "Too many attempts. Please wait" in html
    assert '<html lang="en"' in html and 'class="site-header' in html  # the site's layout


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, citizen):
    answers = [log_in(client, citizen.email, f"guess-{n}").status_code for n in range(30)]
    assert answers[:10] == [200] * 10  # wrong password, form again
    assert set(answers[10:]) == {429}
    response = log_in(client, citizen.email, TEST_PASSWORD)
    assert_throttled(response)
    assert "_auth_user_id" not in client.session


def test_the_owner_elsewhere_logs_in_after_an_attackers_thirty_failures(client, citizen):
    attacker = [log_in(client, citizen.email, f"guess-{n}", "10.6.6.6").status_code for n in range(30)]
    assert set(attacker[10:]) == {429}
    response = log_in(client, citizen.email, TEST_PASSWORD, address="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_guesses_at_one_account_from_many_addresses_are_slowed_within_the_hour(client, citizen):
    answers = [
        log_in(client, citizen.email, "nope", f"10.{n // 250}.{n % 250}.1").status_code
        for n in range(101)
    ]
    assert answers == [200] * 100 + [429]
    response = log_in(client, citizen.email, TEST_PASSWORD, address="10.9.9.9")
    assert_throttled(response)
    assert int(response["Retry-After"]) <= 3600


def test_after_a_password_reset_the_owner_logs_in_at_once(client, citizen):
    for n in range(30):
        log_in(client, citizen.email, f"guess-{n}")
    assert_throttled(log_in(client, citizen.email, TEST_PASSWORD))
    reset(client, citizen.email)
    link = re.search(r"http://testserver(/en/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form_url = client.get(link.group(1), follow=True, REMOTE_ADDR="10.0.0.1").redirect_chain[-1][0]
    new_password = "a-brand-new-passphrase"
    response = client.post(
        form_url, {"new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    response = log_in(client, citizen.email, new_password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_an_unknown_address_is_throttled_exactly_like_a_known_one(client, citizen):
    known = [log_in(client, citizen.email, "nope").status_code for _ in range(11)]
    unknown = [log_in(client, "nobody@example.tn", "nope", "10.0.0.9").status_code for _ in range(11)]
    assert known == unknown == [200] * 10 + [429]


def test_one_client_address_trying_many_accounts_is_slowed(client, user_factory):
    answers = [
        log_in(client, f"victim{n}@example.tn", "password123").status_code for n in range(31)
    ]
    assert answers == [200] * 30 + [429]


def test_logging_in_clears_the_accounts_count(client, citizen, settings):
    settings.ACCOUNTS_LOGIN_RATE_PER_ACCOUNT = ["3/hour"]
    for _ in range(2):
        assert log_in(client, citizen.email, "wrong").status_code == 200
    assert log_in(client, citizen.email, TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(3):
        assert log_in(client, citizen.email, "wrong").status_code == 200
    assert log_in(client, citizen.email, TEST_PASSWORD).status_code == 429


def sign_up(client, email, address="10.0.0.1", language="en"):
    return client.post(
        f"/{language}/accounts/sign-up/", {**SIGN_UP, "email": email}, REMOTE_ADDR=address
    )


def test_many_sign_ups_from_one_address_are_slowed(client):
    answers = [sign_up(client, f"new{n}@example.tn").status_code for n in range(8)]
    assert answers == [302] * 5 + [429] * 3
    assert User.objects.count() == 5 and len(mail.outbox) == 5
    response = sign_up(client, "again@example.tn")
    assert_throttled(response)
    # What was typed is kept (not the password).
    assert 'value="again@example.tn"' in response.content.decode()
    assert sign_up(client, "elsewhere@example.tn", address="10.0.0.2").status_code == 302


def _page(response) -> str:
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_signing_up_with_an_existing_address_answers_exactly_as_a_new_one(
    client, user_factory, settings
):
    user_factory(email="taken@example.tn", display_name="Ancien", preferred_language="ar")
    new = sign_up(client, "fresh@example.tn")
    taken = sign_up(client, "Taken@Example.tn", address="10.0.0.2")
    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert new["Location"] == "/en/accounts/sign-up/sent/"
    assert "_auth_user_id" not in client.session
    assert _page(client.get(new["Location"])) == _page(client.get(taken["Location"]))
    # Nothing created for the taken address; its owner is told, in their language, with a
    # link to choose a new password.
    assert User.objects.filter(email="taken@example.tn").count() == 1
    assert User.objects.get(email="taken@example.tn").display_name == "Ancien"
    verify, exists = mail.outbox
    assert verify.to == ["fresh@example.tn"] and "/accounts/verify/" in verify.body
    assert exists.to == ["taken@example.tn"]
    assert "/ar/accounts/password-reset/" in exists.body and "/accounts/verify/" not in exists.body
    link = re.search(r"http://testserver(/ar/accounts/password-reset/\S+/)", exists.body).group(1)
    assert client.get(link, follow=True).status_code == 200


def test_sign_ups_for_one_address_are_throttled_so_its_mailbox_is_not_flooded(client, citizen):
    answers = [sign_up(client, citizen.email, address=f"10.0.1.{n}").status_code for n in range(5)]
    assert answers == [302] * 3 + [429] * 2
    assert len(mail.outbox) == 3


def reset(client, email, address="10.0.0.1"):
    return client.post("/en/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


def test_reset_emails_are_throttled_per_address(client, citizen):
    answers = [reset(client, citizen.email, address=f"10.0.2.{n}").status_code for n in range(5)]
    assert answers == [302] * 3 + [429] * 2
    assert len(mail.outbox) == 3
    assert_throttled(reset(client, citizen.email.upper(), address="10.0.2.99"))
    # The same for an address without an account: the 429 tells nothing either.
    answers = [reset(client, "nobody@example.tn", address=f"10.0.3.{n}").status_code for n in range(4)]
    assert answers == [302] * 3 + [429]


def test_reset_emails_are_throttled_per_client_address(client, user_factory):
    people = [user_factory() for _ in range(11)]
    answers = [reset(client, person.email).status_code for person in people]
    assert answers == [302] * 10 + [429]
    assert len(mail.outbox) == 10


def test_resending_the_confirmation_link_is_throttled_per_account(client, citizen):
    client.force_login(citizen)
    answers = [client.post("/en/accounts/verify/send/").status_code for _ in range(4)]
    assert answers == [302] * 3 + [429]
    assert len(mail.outbox) == 3


def test_the_admin_log_in_is_throttled_too(client, admin_user):
    from django.urls import reverse

    url = reverse("wagtailadmin_login")
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}  # the admin's log-in page follows the browser
    answers = [
        client.post(url, {"username": admin_user.email, "password": "wrong"}, **english).status_code
        for _ in range(11)
    ]
    assert answers == [200] * 10 + [429]
    response = client.post(
        url, {"username": admin_user.email, "password": TEST_PASSWORD}, **english
    )
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_addresses_of_one_ipv6_network_count_as_one_client(client, user_factory):
    """Hopping between the addresses of one's own /64 does not escape the per-address limit
    (30 attempts in 15 minutes over any accounts); another network is not slowed."""
    answers = [
        log_in(client, f"someone-{n}@example.tn", "nope", f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(31)
    ]
    assert answers == [200] * 30 + [429]
    assert log_in(client, "other@example.tn", "nope", "2001:db8:1:3::1").status_code == 200
