"""The citizen's notification settings page."""

import pytest
from bs4 import BeautifulSoup

from accounts.models import User

pytestmark = pytest.mark.django_db

URL = "/en/accounts/notifications/"
FIELDS = ("notify_replies", "notify_moderation", "notify_closing_soon", "notify_outcomes")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def checked(response) -> dict[str, bool]:
    html = soup(response)
    return {name: html.select_one(f'input[name="{name}"]').has_attr("checked") for name in FIELDS}


def test_the_page_requires_logging_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=" + URL
    response = client.post(URL, {"notify_replies": "on"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_shows_the_four_choices_with_their_explanations(client, citizen):
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 200
    assert checked(response) == dict.fromkeys(FIELDS, True)  # all on for a new account
    html = soup(response)
    labels = [
        html.select_one(f'label[for="id_{name}"]').get_text(strip=True).rstrip(":")
        for name in FIELDS
    ]
    assert labels == [
        "Replies to my contributions",
        "Moderation decisions",
        "Consultations closing soon",
        "Outcomes, decisions and answers to ideas",
    ]
    help_id = html.select_one('input[name="notify_replies"]')["aria-describedby"]
    assert "someone replies to what you wrote" in html.find(id=help_id).get_text()
    help_id = html.select_one('input[name="notify_outcomes"]')["aria-describedby"]
    assert "answers an idea you proposed or support" in html.find(id=help_id).get_text()
    assert html.select_one("fieldset legend")
    assert citizen.email in html.select_one("main").get_text()


def test_saving_the_choices(client, citizen):
    client.force_login(citizen)
    response = client.post(URL, {"notify_replies": "on"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Your notification settings are saved." in response.content.decode()
    assert checked(response) == {
        "notify_replies": True,
        "notify_moderation": False,
        "notify_closing_soon": False,
        "notify_outcomes": False,
    }
    citizen.refresh_from_db()
    assert (citizen.notify_replies, citizen.notify_moderation, citizen.notify_closing_soon) == (
        True,
        False,
        False,
    )


def test_turning_everything_off_and_on_again(client, citizen):
    client.force_login(citizen)
    client.post(URL, {})  # no box ticked
    assert User.objects.filter(
        pk=citizen.pk, notify_replies=False, notify_moderation=False, notify_closing_soon=False,
        notify_outcomes=False,
    ).exists()
    client.post(URL, dict.fromkeys(FIELDS, "on"))
    assert User.objects.filter(
        pk=citizen.pk, notify_replies=True, notify_moderation=True, notify_closing_soon=True,
        notify_outcomes=True,
    ).exists()


def test_saving_changes_nothing_else_and_nobody_else(client, citizen, user_factory):
    other = user_factory()
    client.force_login(citizen)
    client.post(URL, {"notify_replies": "on", "display_name": "Hacker", "is_staff": "on"})
    citizen.refresh_from_db()
    other.refresh_from_db()
    assert citizen.display_name == "Amira" and not citizen.is_staff
    assert other.notify_moderation and other.notify_closing_soon and other.notify_outcomes


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_page_renders_in_each_language(client, citizen, language):
    client.force_login(citizen)
    response = client.get(f"/{language}/accounts/notifications/")
    assert response.status_code == 200
    html = soup(response).find("html")
    assert html["lang"] == language
    assert html["dir"] == ("rtl" if language == "ar" else "ltr")
