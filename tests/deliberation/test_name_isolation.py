"""Every display name a page prints is isolated (<bdi>), so it keeps its own direction and
cannot reorder the text around it; plain text (e-mails, admin messages) uses U+2068…U+2069
(issue 14, item 7; docs/security.md, "Spoofing")."""

import json

import pytest
from django.urls import reverse

from deliberation.models import ThreadEvent
from deliberation.realtime.frames import thread_event_frames
from deliberation.services import contribution_flag

pytestmark = pytest.mark.django_db

LATIN = "Karim M."
ISOLATED = f"<bdi>{LATIN}</bdi>"


@pytest.fixture
def karim(user_factory, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return user_factory(display_name=LATIN)


def test_thread_page_and_live_fragment_isolate_the_author(client, thread, karim, post):
    contribution = post(karim, thread, "Un avis.")
    html = client.get(thread.page.url).content.decode()
    assert f'<strong class="contribution__author" id="contribution-{contribution.pk}-author">{ISOLATED}</strong>' in html
    event = ThreadEvent.objects.get(contribution=contribution)
    for text in thread_event_frames(thread, [event])[0].values():
        assert ISOLATED in json.loads(text)["html"]


def test_reply_and_report_forms_isolate_the_parents_author(client, thread, karim, post, citizen):
    contribution = post(karim, thread, "Un avis.")
    client.force_login(citizen)
    for action in ("reply", "flag"):
        html = client.get(f"/ar/deliberation/contributions/{contribution.pk}/{action}/").content.decode()
        assert ISOLATED in html, action


def test_the_header_isolates_the_signed_in_name(client, site, karim):
    client.force_login(karim)
    assert f'class="site-account__name"' in (html := client.get("/ar/").content.decode())
    assert ISOLATED in html


def test_moderation_queue_and_audit_log_isolate_names(client, thread, karim, post, admin_user, user_factory):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    contribution = post(karim, thread, "Un avis.")
    contribution_flag(user=user_factory(display_name="Lina"), contribution=contribution, reason="spam")
    client.force_login(admin_user)
    html = client.get(reverse("deliberation_moderation_queue") + "?queue=flagged").content.decode()
    assert ISOLATED in html and "<bdi>Lina</bdi>" in html
    client.post(
        reverse("deliberation_moderation_act", args=(contribution.pk,)),
        {"action": "hide", "reason": "spam"},
    )
    html = client.get(reverse("deliberation_moderation_log")).content.decode()
    assert ISOLATED in html


def test_outcome_citations_isolate_the_author(client, make_consultation, make_outcome, karim, post):
    from deliberation.services import thread_for_page

    consultation = make_consultation()
    contribution = post(karim, thread_for_page(page=consultation), "Plus de fontaines.")
    outcome = make_outcome(consultation, responses=[{"theme": "Eau", "contributions": [contribution]}])
    html = client.get(outcome.url).content.decode()
    assert f'<span class="cited__author">{ISOLATED}</span>' in html


def test_emails_isolate_names_in_plain_text(thread, karim, citizen, post, mailoutbox, django_capture_on_commit_callbacks):
    parent = post(citizen, thread, "Avis.")
    with django_capture_on_commit_callbacks(execute=True):
        post(karim, thread, "Réponse.", parent=parent)
    [mail] = mailoutbox
    assert f"\u2068{LATIN}\u2069" in mail.subject
    assert f"\u2068{citizen.display_name}\u2069" in mail.body
