"""The ideas' pages: propose (institution and consultation), lists (sort, filter, pages,
queries independent of their size), an idea's page and its support button, without JS."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizen_ideas.models import Idea, IdeaStatus
from citizen_ideas.services import idea_support
from tests.factories import UserFactory


def _titles(response) -> list[str]:
    return re.findall(r'<h3><a href="/fr/ideas/\d+/" dir="auto">([^<]+)</a></h3>', response.content.decode())


def test_the_institution_page_links_to_its_ideas_and_the_form(client, institution):
    html = client.get(institution.url).content.decode()
    assert f"/fr/ideas/institutions/{institution.slug}/" in html
    assert f"/fr/ideas/institutions/{institution.slug}/propose/" in html


def test_a_citizen_proposes_an_idea_from_the_institution_without_javascript(
    client, trusted_citizen, institution
):
    client.force_login(trusted_citizen)
    url = f"/fr/ideas/institutions/{institution.slug}/propose/"
    form = client.get(url)
    assert form.status_code == 200
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form.content.decode())[1]
    response = client.post(
        url, {"title": "Un marché bio", "body": "Le samedi, place de la mairie.", "idempotency_key": key},
        follow=True,
    )
    idea = Idea.objects.get()
    assert response.redirect_chain[-1][0] == f"/fr/ideas/{idea.pk}/"
    page = response.content.decode()
    assert "Un marché bio" in page
    assert "Le samedi, place de la mairie." in page
    assert "Votre idée est publiée." in page or "Your idea is published." in page


def test_bad_input_redraws_the_form_with_the_error_and_stores_nothing(client, trusted_citizen, institution):
    client.force_login(trusted_citizen)
    response = client.post(
        f"/fr/ideas/institutions/{institution.slug}/propose/",
        {"title": "   ", "body": "Un texte.", "idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "Un texte." in response.content.decode()
    assert Idea.objects.count() == 0


def test_a_consultation_page_links_to_its_ideas_and_takes_them_while_open(
    client, trusted_citizen, make_consultation
):
    consultation = make_consultation()
    html = client.get(consultation.url).content.decode()
    assert f"{consultation.url}ideas/" in html
    assert f"{consultation.url}ideas/propose/" in html
    client.force_login(trusted_citizen)
    response = client.post(
        f"{consultation.url}ideas/propose/",
        {"title": "Plus de fontaines", "body": "Dans chaque quartier.", "idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.consultation_id == consultation.pk
    listing = client.get(f"{consultation.url}ideas/")
    assert _titles(listing) == ["Plus de fontaines"]


def test_a_closed_consultation_takes_no_idea(client, trusted_citizen, make_consultation):
    consultation = make_consultation(opens_in=-10, closes_in=-1)
    client.force_login(trusted_citizen)
    response = client.post(
        f"{consultation.url}ideas/propose/",
        {"title": "Trop tard", "body": "Texte.", "idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 403
    assert Idea.objects.count() == 0


def test_support_and_withdraw_with_the_buttons(client, trusted_citizen, institution, propose):
    idea = propose(trusted_citizen, institution)
    reader = UserFactory(display_name="Sami")
    client.force_login(reader)
    page = client.get(f"/fr/ideas/{idea.pk}/").content.decode()
    assert 'name="action" value="support"' in page
    client.post(f"/fr/ideas/{idea.pk}/support/", {"action": "support"})
    idea.refresh_from_db()
    assert idea.support_count == 1
    page = client.get(f"/fr/ideas/{idea.pk}/").content.decode()
    assert 'name="action" value="withdraw"' in page
    again = client.post(f"/fr/ideas/{idea.pk}/support/", {"action": "support"}, follow=True)
    assert idea.supports.count() == 1
    assert "already support" in again.content.decode() or "soutenez déjà" in again.content.decode()
    client.post(f"/fr/ideas/{idea.pk}/support/", {"action": "withdraw"})
    idea.refresh_from_db()
    assert idea.support_count == 0


def _ideas(n, author, institution, propose, settings):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["10000/minute"]
    settings.DELIBERATION_POST_RATE_PER_IP = ["10000/minute"]
    return [propose(author, institution, title=f"Idée {i:02d}", body=f"Texte {i}") for i in range(n)]


def test_lists_sort_by_support_newest_and_recently_answered_and_filter_by_status(
    client, trusted_citizen, institution, propose, settings
):
    first, second, third = _ideas(3, trusted_citizen, institution, propose, settings)
    for user in UserFactory.create_batch(2):
        idea_support(user=user, idea=second)
    idea_support(user=UserFactory(), idea=third)
    Idea.objects.filter(pk=first.pk).update(status=IdeaStatus.ACCEPTED, status_changed_at=first.created_at)
    url = f"/fr/ideas/institutions/{institution.slug}/"
    assert _titles(client.get(url)) == ["Idée 01", "Idée 02", "Idée 00"]
    assert _titles(client.get(url, {"sort": "newest"})) == ["Idée 02", "Idée 01", "Idée 00"]
    assert _titles(client.get(url, {"sort": "answered"}))[0] == "Idée 00"
    assert _titles(client.get(url, {"status": "accepted"})) == ["Idée 00"]
    assert _titles(client.get(url, {"status": "implemented"})) == []


@pytest.mark.parametrize("path", ["institution", "consultation"])
def test_a_list_costs_the_same_queries_for_3_or_30_ideas(
    client, trusted_citizen, site, propose, settings, make_consultation, path
):
    institution = site["institution"]["fr"]
    consultation = make_consultation()
    target = {"consultation": consultation} if path == "consultation" else {}
    url = f"{consultation.url}ideas/" if path == "consultation" else f"/fr/ideas/institutions/{institution.slug}/"
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["10000/minute"]
    settings.DELIBERATION_POST_RATE_PER_IP = ["10000/minute"]
    counts = []
    for total in (3, 30):
        while Idea.objects.count() < total:
            propose(trusted_citizen, institution, title=f"Idée {Idea.objects.count()}", **target)
        client.get(url)  # warm the caches (site root paths, locales)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(_titles(response)) == 20  # the first page
    assert counts[0] == counts[1]


def test_an_idea_under_a_forum_topic_is_filtered_by_it_and_follows_its_rules(
    client, trusted_citizen, institution, propose
):
    from deliberation.models import ForumTopicPage

    topic = institution.add_child(instance=ForumTopicPage(title="Propreté", slug="proprete", summary="Rues"))
    topic.save_revision().publish()
    propose(trusted_citizen, institution, title="Plus de poubelles", topic=topic)
    propose(trusted_citizen, institution, title="Un cinéma")
    client.force_login(trusted_citizen)
    url = f"/fr/ideas/institutions/{institution.slug}/"
    form = client.get(f"{url}propose/").content.decode()
    assert "Propreté" in form  # the form offers the institution's topics
    assert sorted(_titles(client.get(url))) == ["Plus de poubelles", "Un cinéma"]
    assert _titles(client.get(url, {"topic": topic.pk})) == ["Plus de poubelles"]
    idea = Idea.objects.get(title="Plus de poubelles")
    assert idea.thread.page_id == topic.pk
    page = client.get(f"/fr/ideas/{idea.pk}/").content.decode()
    assert 'href="/fr/el-kef/proprete/"' in page or "Propreté" in page


def test_an_ideas_text_is_found_by_the_search_with_its_institution(
    client, trusted_citizen, institution, propose, django_capture_on_commit_callbacks
):
    from search.documents import contribution_document, idea_document

    with django_capture_on_commit_callbacks(execute=True):
        idea = propose(trusted_citizen, institution, title="Un verger", body="Planter des oliviers.")
    # Found once, as the idea (kind "idea"), not a second time as a contribution.
    assert contribution_document(idea.opening) is None
    document = idea_document(idea)
    assert document is not None
    assert document.url.startswith(f"/fr/ideas/{idea.pk}/")
    assert document.institution == institution.slug


def test_the_institutions_list_leaves_out_ideas_sent_to_a_page_it_may_not_show(
    client, trusted_citizen, institution, propose, make_consultation
):
    """An idea sent within a consultation behind a view restriction is listed on that
    consultation's own page (which checks the restriction), never on the institution's list."""
    from wagtail.models import PageViewRestriction

    consultation = make_consultation()
    propose(trusted_citizen, institution, title="Idée publique")
    propose(trusted_citizen, institution, title="Idée réservée", consultation=consultation)
    assert len(_titles(client.get(f"/fr/ideas/institutions/{institution.slug}/"))) == 2
    PageViewRestriction.objects.create(page=consultation, restriction_type=PageViewRestriction.LOGIN)
    listing = client.get(f"/fr/ideas/institutions/{institution.slug}/")
    assert _titles(listing) == ["Idée publique"]
