"""The citizen's appeal form (from the hidden contribution's placeholder and the suspension
notice), the moderators' admin queue of appeals and of suspensions, and the public log."""

import html
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from deliberation import services
from deliberation.models import Appeal, AppealStatus, Contribution, Reason, Status
from deliberation.models import ModerationActionKind as Kind


def _says(response, message: str) -> bool:
    """Whether the page says ``message`` in its own language (the ``lang`` of its <html>)."""
    page = html.unescape(response.content.decode())
    language = re.search(r'<html lang="([a-zA-Z-]+)"', page)[1]
    with translation.override(language):
        return gettext(message) in page


pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(moderator_of, site):
    call_command("setup_institutions", stdout=open("/dev/null", "w"))  # admin access for the group
    return moderator_of(site["institution"]["fr"], display_name="Modérateur")


@pytest.fixture
def colleague(moderator_of, site):
    return moderator_of(site["institution"]["fr"], display_name="Collègue")


@pytest.fixture
def author(user_factory, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return user_factory(display_name="Karim", preferred_language="fr")


@pytest.fixture
def hidden(author, thread, post, moderator):
    return services.contribution_moderate(
        moderator=moderator, contribution=post(author, thread, "Un avis vif."),
        action=Kind.HIDE, reason=Reason.ABUSE,
    )


def _url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


def test_the_author_sees_the_appeal_link_on_the_thread_and_appeals_once(client, author, hidden, thread):
    client.force_login(author)
    page = client.get(thread.page.url)
    appeal_url = _url("deliberation:appeal", hidden.pk)
    assert appeal_url in page.content.decode()

    form = client.get(appeal_url)
    assert form.status_code == 200 and b'name="text"' in form.content
    sent = client.post(appeal_url, {"text": "Ce n'était pas une insulte."})
    assert sent.status_code == 302
    assert Appeal.objects.get().text == "Ce n'était pas une insulte."
    again = client.post(appeal_url, {"text": "Encore."})
    assert again.status_code == 400
    assert _says(again, "You have already appealed this decision: a decision can be appealed once.")
    assert Appeal.objects.count() == 1


def test_bad_appeals_show_a_translated_error_and_store_nothing(client, author, hidden, user_factory):
    client.force_login(author)
    url = _url("deliberation:appeal", hidden.pk, language="en")
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 400 and b"Write why" in empty.content
    long = client.post(url, {"text": "x" * 5000})
    assert long.status_code == 400 and b"too long" in long.content
    client.force_login(user_factory(display_name="Sami"))
    stranger = client.post(url, {"text": "Pour lui."})
    assert stranger.status_code == 403 and b"your own contribution" in stranger.content
    assert not Appeal.objects.exists()


def test_the_suspension_notice_links_to_the_appeal(client, author, thread, post, moderator):
    contribution = post(author, thread, "Avis.")
    suspension = services.user_suspend(
        moderator=moderator, user=author, days=3, reason=Reason.SPAM, contribution=contribution
    )
    client.force_login(author)
    url = _url("deliberation:suspension_appeal", suspension.pk)
    assert url in client.get(thread.page.url).content.decode()
    assert client.post(url, {"text": "Je conteste."}).status_code == 302
    assert Appeal.objects.get().suspension == suspension


def test_the_admin_queue_lists_appeals_oldest_first_and_refuses_the_original_moderator(
    client, author, hidden, moderator, colleague, thread, post
):
    second = services.contribution_moderate(
        moderator=colleague, contribution=post(author, thread, "Deuxième."),
        action=Kind.HIDE, reason=Reason.SPAM,
    )
    first_appeal = services.contribution_appeal(user=author, contribution=hidden, text="Premier appel.")
    services.contribution_appeal(user=author, contribution=second, text="Second appel.")
    queue = _url("deliberation_moderation_appeals", language="en")

    client.force_login(moderator)
    with translation.override("en"):
        response = client.get(queue)
    listing = response.content.decode()
    assert response.status_code == 200
    assert listing.index("Premier appel.") < listing.index("Second appel.")
    assert "Modérateur" in listing  # who made the decision
    act = reverse("deliberation_moderation_appeal_act", args=[first_appeal.pk])
    assert f'action="{act}"' not in listing  # not offered to the one who hid it
    response = client.post(act, {"outcome": "reverse"}, follow=True)
    assert _says(response, "You made the decision this appeal is against: another moderator must decide it.")
    assert Appeal.objects.get(pk=first_appeal.pk).status == AppealStatus.PENDING

    client.force_login(colleague)
    client.post(act, {"outcome": "reverse", "note": "Vu."})
    assert Appeal.objects.get(pk=first_appeal.pk).status == AppealStatus.REVERSED
    assert Contribution.objects.get(pk=hidden.pk).status == Status.PUBLISHED

    client.logout()
    log = client.get(thread.page.url + "moderation-log/")
    assert log.status_code == 200
    text = " ".join(html.unescape(log.content.decode()).split())
    with translation.override("fr"):  # the page's language, its plural forms
        appeals = ngettext(
            "%(counter)s appeal against a removal.", "%(counter)s appeals against a removal.", 2
        ) % {"counter": 2}
        reversed_ = ngettext(
            "%(counter)s decision reversed on appeal.", "%(counter)s decisions reversed on appeal.", 1
        ) % {"counter": 1}
    assert appeals in text
    assert reversed_ in text


def test_a_moderator_lifts_a_suspension_from_the_admin(client, author, admin_user, thread, post):
    Group.objects.get_or_create(name="Deliberation moderators")
    suspension = services.user_suspend(
        moderator=admin_user, user=author, permanent=True, reason=Reason.SPAM
    )
    client.force_login(admin_user)
    listing = client.get(reverse("deliberation_moderation_suspensions"))
    assert listing.status_code == 200 and "Karim" in listing.content.decode()
    client.post(reverse("deliberation_moderation_lift", args=[suspension.pk]), {"reason": ""})
    suspension.refresh_from_db()
    assert suspension.lifted_at is None
    client.post(reverse("deliberation_moderation_lift", args=[suspension.pk]), {"reason": "Erreur."})
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    assert post(author, thread, "De retour.").status == Status.PUBLISHED
