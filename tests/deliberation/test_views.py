"""Threads as citizens see and use them with plain HTML forms (no JavaScript)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.threads import thread_fill
from deliberation.models import Contribution, ForumTopicPage, Reason, Status
from deliberation.services import (
    contribution_moderate,
    thread_for_page,
    thread_lock,
    user_suspend,
)
from tests.deliberation.payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


def fr(text: str, context: str | None = None) -> str:
    """What a French reader sees for a UI string (the pages below are French)."""
    from django.utils.html import escape
    from django.utils.translation import gettext, override, pgettext

    with override("fr"):
        return escape(pgettext(context, text) if context else gettext(text))


def contribute_url(thread):
    return f"/fr/deliberation/threads/{thread.key}/contribute/"


def form_data(body="Mon avis sur le texte.", **extra):
    return {"body": body, "idempotency_key": str(uuid.uuid4()), **extra}


def test_consultation_page_shows_the_thread_in_reading_order(client, thread, trusted_citizen, post):
    first = post(trusted_citizen, thread, "Premier avis")
    reply = post(trusted_citizen, thread, "Une réponse", parent=first)
    post(trusted_citizen, thread, "Second avis")
    html = client.get(thread.page.url).content.decode()
    assert html.index("Premier avis") < html.index("Une réponse") < html.index("Second avis")
    # The reply is nested inside its parent's list item.
    assert f'id="contribution-{reply.pk}"' in html.split('class="thread__replies"', 1)[1]
    assert "(3 contributions)" in html


def test_posting_with_the_form_publishes_and_returns_to_it(client, thread, trusted_citizen):
    client.force_login(trusted_citizen)
    response = client.post(contribute_url(thread), form_data(), follow=True)
    contribution = Contribution.objects.get()
    assert response.redirect_chain[-1][0].endswith(f"#contribution-{contribution.pk}")
    assert contribution.status == Status.PUBLISHED
    assert "Mon avis sur le texte." in response.content.decode()


def test_invalid_utf8_in_the_form_is_kept_as_replacement_characters(client, thread, trusted_citizen):
    # A form body is bytes: what is not UTF-8 (here the encoding of a lone surrogate) is
    # decoded as U+FFFD by Django, so the form cannot carry a surrogate to the service.
    client.force_login(trusted_citizen)
    raw = f"body=%ED%A0%80+x&idempotency_key={uuid.uuid4()}"
    response = client.post(
        contribute_url(thread), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert Contribution.objects.get().body == "\ufffd\ufffd\ufffd x"


def test_a_double_submission_posts_once(client, thread, trusted_citizen):
    client.force_login(trusted_citizen)
    data = form_data()
    client.post(contribute_url(thread), data)
    client.post(contribute_url(thread), data)
    assert Contribution.objects.count() == 1


def test_pre_moderated_contribution_waits_and_says_so(client, make_consultation, trusted_citizen, user_factory):
    thread = thread_for_page(page=make_consultation(moderation_mode="pre"))
    client.force_login(trusted_citizen)
    response = client.post(contribute_url(thread), form_data("En attente"), follow=True)
    html = response.content.decode()
    assert fr("Thank you. Your contribution will appear once a moderator has approved it.") in html
    assert fr("Awaiting moderation") in html
    assert Contribution.objects.get().status == Status.PENDING
    client.force_login(user_factory())
    assert "En attente" not in client.get(thread.page.url).content.decode()


@pytest.mark.parametrize(
    "body, status",
    [("   ", 400), ("x" * 5001, 400)],
)
def test_bad_text_is_refused_and_kept_in_the_form(client, thread, trusted_citizen, body, status):
    client.force_login(trusted_citizen)
    response = client.post(contribute_url(thread), form_data(body))
    assert response.status_code == status
    assert Contribution.objects.count() == 0
    if body.strip():
        assert body in response.content.decode()


def test_closed_consultation_refuses_posts_and_hides_the_form(client, make_consultation, trusted_citizen):
    page = make_consultation(opens_in=-10, closes_in=-1)
    thread = thread_for_page(page=page)
    client.force_login(trusted_citizen)
    response = client.post(contribute_url(thread), form_data("Trop tard ?"))
    assert response.status_code == 403
    assert "Trop tard ?" in response.content.decode()  # nothing the citizen wrote is lost
    assert Contribution.objects.count() == 0
    assert 'class="thread__form"' not in client.get(page.url).content.decode()


def test_locked_thread_refuses_posts(client, site, thread, trusted_citizen, admin_user):
    thread_lock(moderator=admin_user, thread=thread, locked=True)
    client.force_login(trusted_citizen)
    response = client.post(contribute_url(thread), form_data())
    assert response.status_code == 403
    assert Contribution.objects.count() == 0
    assert fr("A moderator has locked this thread: no new contributions.") in client.get(
        thread.page.url
    ).content.decode()


def test_rate_limit_answers_429_with_a_message(client, thread, trusted_citizen, settings):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["1/minute"]
    client.force_login(trusted_citizen)
    client.post(contribute_url(thread), form_data("Un"))
    response = client.post(contribute_url(thread), form_data("Deux"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Deux" in response.content.decode()
    assert Contribution.objects.count() == 1


def test_anonymous_posting_goes_to_login(client, thread):
    response = client.post(contribute_url(thread), form_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Contribution.objects.count() == 0


def test_unknown_thread_key_is_404(client, trusted_citizen):
    client.force_login(trusted_citizen)
    assert client.post("/fr/deliberation/threads/c-nothing/contribute/", form_data()).status_code == 404


def test_reply_form_and_max_depth(client, thread, trusted_citizen, post):
    one = post(trusted_citizen, thread, "Un")
    two = post(trusted_citizen, thread, "Deux", parent=one)
    three = post(trusted_citizen, thread, "Trois", parent=two)
    client.force_login(trusted_citizen)
    assert client.get(f"/fr/deliberation/contributions/{two.pk}/reply/").status_code == 200
    html = client.get(thread.page.url).content.decode()
    assert f"/contributions/{two.pk}/reply/" in html
    assert f"/contributions/{three.pk}/reply/" not in html
    response = client.post(contribute_url(thread), form_data("Quatre", parent=three.pk))
    assert response.status_code == 400
    assert not Contribution.objects.filter(body="Quatre").exists()


def test_hidden_contribution_leaves_a_placeholder_with_its_reason(
    client, site, thread, trusted_citizen, user_factory, post, admin_user
):
    parent = post(trusted_citizen, thread, "Texte retiré 0612345678")
    post(user_factory(), thread, "Réponse qui garde son contexte", parent=parent)
    contribution_moderate(
        moderator=admin_user, contribution=parent, action="hide", reason=Reason.PERSONAL_DATA
    )
    html = client.get(thread.page.url).content.decode()
    assert "0612345678" not in html
    assert fr("Removed by moderation: %(reason)s") % {"reason": fr("Personal data")} in html
    assert "Réponse qui garde son contexte" in html


def test_public_moderation_log_counts_reasons_never_text(client, site, thread, trusted_citizen, post, admin_user):
    for body, reason in (("pub spam", Reason.SPAM), ("insulte grave", Reason.ABUSE), ("encore spam", Reason.SPAM)):
        contribution_moderate(
            moderator=admin_user, contribution=post(trusted_citizen, thread, body), action="hide", reason=reason
        )
    response = client.get(thread.page.url + "moderation-log/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("pub spam", "insulte grave", "encore spam", trusted_citizen.display_name):
        assert text not in html
    assert "<td>2</td>" in html and "<td>1</td>" in html


def test_reacting_and_taking_it_back(client, thread, trusted_citizen, user_factory, post):
    contribution = post(trusted_citizen, thread)
    client.force_login(user_factory())
    url = f"/fr/deliberation/contributions/{contribution.pk}/react/"
    client.post(url, {"kind": "agree"})
    contribution.refresh_from_db()
    assert (contribution.agree_count, contribution.disagree_count) == (1, 0)
    html = client.get(thread.page.url).content.decode()
    assert 'value="none" class="reaction" aria-pressed="true"' in html
    client.post(url, {"kind": "disagree"})
    contribution.refresh_from_db()
    assert (contribution.agree_count, contribution.disagree_count) == (0, 1)
    client.post(url, {"kind": "none"})
    contribution.refresh_from_db()
    assert (contribution.agree_count, contribution.disagree_count) == (0, 0)


def test_reporting_with_a_reason(client, thread, trusted_citizen, user_factory, post):
    contribution = post(trusted_citizen, thread)
    client.force_login(user_factory())
    url = f"/fr/deliberation/contributions/{contribution.pk}/flag/"
    assert client.post(url, {"reason": "nonsense"}).status_code == 400
    response = client.post(url, {"reason": "spam", "note": "publicité"})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.open_flag_count == 1
    html = client.get(thread.page.url).content.decode()
    assert fr("Reported", "contribution") in html
    assert f"/contributions/{contribution.pk}/flag/" not in html


def test_pending_or_hidden_text_cannot_be_read_through_the_forms(
    client, make_consultation, citizen, user_factory, post, admin_user
):
    thread = thread_for_page(page=make_consultation(moderation_mode="pre"))
    pending = post(citizen, thread, "Texte en attente de modération")
    client.force_login(user_factory())
    for action in ("flag", "reply", "edit"):
        response = client.get(f"/fr/deliberation/contributions/{pending.pk}/{action}/")
        assert response.status_code in (403, 404)
        assert "Texte en attente" not in response.content.decode()


def test_editing_within_the_grace_period_shows_edited(client, thread, trusted_citizen, post, user_factory):
    contribution = post(trusted_citizen, thread, "Premier jet")
    client.force_login(user_factory())
    assert client.post(f"/fr/deliberation/contributions/{contribution.pk}/edit/", {"body": "Piraté"}).status_code == 403
    client.force_login(trusted_citizen)
    response = client.post(f"/fr/deliberation/contributions/{contribution.pk}/edit/", {"body": "Version corrigée"})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.body == "Version corrigée" and contribution.revisions.get().body == "Premier jet"
    html = client.get(thread.page.url).content.decode()
    assert "Version corrigée" in html and fr("edited") in html


def test_suspended_citizen_is_told_why_and_until_when(client, site, thread, trusted_citizen, post, admin_user):
    contribution = post(trusted_citizen, thread)
    user_suspend(moderator=admin_user, user=trusted_citizen, days=3, reason=Reason.ABUSE, contribution=contribution)
    client.force_login(trusted_citizen)
    html = client.get("/fr/").content.decode()  # any page: the next request says why
    from django.utils.html import escape
    from django.utils.translation import override

    from accounts.selectors import user_active_suspension
    from deliberation.rules import suspension_message

    with override("fr"):
        notice = suspension_message(user_active_suspension(user=trusted_citizen))
    assert escape(notice) in html  # why (the reason) and until when
    response = client.post(contribute_url(thread), form_data("Encore moi"))
    assert response.status_code == 403
    assert not Contribution.objects.filter(body="Encore moi").exists()


def test_section_thread_page_and_counts_on_the_consultation(client, make_consultation, trusted_citizen, post):
    page = make_consultation()
    section = page.sections[1]
    thread = thread_for_page(page=page, section_id=section.id)
    post(trusted_citizen, thread, "Sur la section deux")
    url = page.url + page.reverse_subpage("section", args=[section.id])
    html = client.get(url).content.decode()
    assert "Sur la section deux" in html and section.heading in html
    consultation_html = client.get(page.url).content.decode()
    assert url in consultation_html
    assert client.get(page.url + "sections/not-a-section/").status_code == 404


def test_forum_topic_takes_contributions(client, site, trusted_citizen):
    institution = site["institution"]["fr"].specific
    topic = institution.add_child(
        instance=ForumTopicPage(title="Nappes phréatiques", slug="nappes", summary="Parlons-en.")
    )
    topic.save_revision().publish()
    client.force_login(trusted_citizen)
    thread = thread_for_page(page=topic)
    client.post(contribute_url(thread), form_data("Forages illicites"))
    html = client.get(topic.url).content.decode()
    assert "Forages illicites" in html
    assert client.get(topic.url + "moderation-log/").status_code == 200


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_thread_renders_in_each_language(client, make_consultation, trusted_citizen, post, language):
    page = make_consultation(language=language)
    thread = thread_for_page(page=page)
    post(trusted_citizen, thread, "نص المساهمة")
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200 and "نص المساهمة" in html
    assert f'lang="{language}"' in html


def _thread_page_queries(client, url):
    client.get(url)  # warm caches that do not depend on the thread
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("signed_in", [False, True])
def test_thread_page_query_count_does_not_grow_with_the_thread(
    client, make_consultation, user_factory, signed_in
):
    authors = [user_factory() for _ in range(5)]
    reader = user_factory()
    if signed_in:
        client.force_login(reader)
    counts = []
    for size in (10, 500):
        page = make_consultation()
        thread = thread_for_page(page=page)
        thread_fill(thread, count=size, authors=authors, reactors=[reader])
        n, response = _thread_page_queries(client, page.url)
        assert response.content.decode().count('class="contribution ') == size
        counts.append(n)
    assert counts[0] == counts[1], counts


def test_xss_payloads_reach_the_page_escaped(client, thread, trusted_citizen, user_factory, post, settings):
    """Each payload of the sanitisation suite, posted and then shown on the thread page to
    another citizen: no element or attribute from it exists in the page's HTML."""
    from html.parser import HTMLParser

    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["1000/minute"]
    settings.DELIBERATION_POST_RATE_PER_IP = ["1000/minute"]
    for payload in XSS_PAYLOADS:
        post(trusted_citizen, thread, payload)
    client.force_login(user_factory())
    html = client.get(thread.page.url).content.decode()

    class Thread(HTMLParser):
        inside = 0
        tags, attributes = set(), set()

        def handle_starttag(self, tag, attrs):
            if tag == "div" and ("class", "contribution__text") in attrs:
                self.inside += 1
                return
            if self.inside:
                self.tags.add(tag)
                self.attributes.update(name for name, _ in attrs)
                for name, value in attrs:
                    if name == "href":
                        assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"}, value

        def handle_endtag(self, tag):
            if tag == "div" and self.inside:
                self.inside -= 1

    parser = Thread()
    parser.feed(html)
    assert parser.tags <= {"p", "br", "ul", "ol", "li", "a"}, parser.tags
    assert parser.attributes <= {"href", "rel"}, parser.attributes
    assert html.count('class="contribution ') == len(XSS_PAYLOADS)
    start = html.index('id="discussion"')
    lowered = html[start : html.index("</section>", start)].lower()
    # Tags typed by citizens are text (&lt;script&gt;); none is an element.
    for needle in ("<script", "<img", "<svg", "<iframe", "<object", "<embed", "<style", "<math"):
        assert needle not in lowered
