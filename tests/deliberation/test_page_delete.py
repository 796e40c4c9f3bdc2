"""Deleting pages never deletes what citizens wrote: a discussion moves to a surviving
translation, or the deletion is refused."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile

from cms.services import page_translation_ensure
from consultations.models import ConsultationPage
from deliberation.models import Contribution, ModerationAction, Thread
from deliberation.services import contribution_moderate, thread_for_page

pytestmark = pytest.mark.django_db

REFUSED = (
    "This page has a public discussion with 2 contributions. Unpublish it instead; "
    "contributions are never deleted."
)


@pytest.fixture
def editor(client, admin_user):
    """An admin, logged in, reading the admin in English."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)
    return client


def delete_url(page):
    return reverse("wagtailadmin_pages:delete", args=(page.pk,))


@pytest.fixture
def discussed(make_consultation, trusted_citizen, user_factory, post):
    """A French consultation with a discussion: a contribution, a reply, a pin in the log."""
    page = make_consultation(language="fr", title="Projet discuté")
    thread = thread_for_page(page=page)
    first = post(trusted_citizen, thread, "Un avis qui doit rester")
    post(trusted_citizen, thread, "Une réponse qui doit rester", parent=first)
    contribution_moderate(
        moderator=user_factory(is_superuser=True, is_staff=True),
        contribution=first,
        action="pin",
    )
    return page, thread


def test_deleting_the_french_translation_moves_the_discussion_to_the_arabic_page(
    editor, client, discussed, site
):
    french, thread = discussed
    arabic = page_translation_ensure(page=french, locale=Locale.objects.get(language_code="ar"))

    response = editor.post(delete_url(french))

    assert response.status_code == 302
    assert not Page.objects.filter(pk=french.pk).exists()
    thread.refresh_from_db()
    assert thread.page_id == arabic.pk
    assert thread.institution.pk == site["institution"]["ar"].pk
    assert Contribution.objects.filter(thread=thread).count() == 2
    assert ModerationAction.objects.filter(thread=thread).exists()
    client.logout()
    html = client.get(arabic.url).content.decode()
    assert "Un avis qui doit rester" in html
    assert "Une réponse qui doit rester" in html


def test_deleting_the_french_institution_moves_its_discussions_to_the_arabic_one(
    editor, discussed, site
):
    french, thread = discussed
    arabic = page_translation_ensure(page=french, locale=Locale.objects.get(language_code="ar"))

    editor.post(delete_url(site["institution"]["fr"]))

    assert not Page.objects.filter(pk=french.pk).exists()
    thread.refresh_from_db()
    assert (thread.page_id, thread.institution.pk) == (arabic.pk, site["institution"]["ar"].pk)
    assert Contribution.objects.filter(thread=thread).count() == 2


def test_deleting_the_only_page_of_a_discussion_is_refused_with_the_reason(editor, discussed):
    page, thread = discussed

    response = editor.post(delete_url(page), follow=True)

    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert REFUSED in response.content.decode()
    assert ConsultationPage.objects.filter(pk=page.pk, live=True).exists()
    thread.refresh_from_db()
    assert thread.page_id == page.pk
    assert Contribution.objects.filter(thread=thread).count() == 2


def test_the_confirmation_page_already_says_the_deletion_would_be_refused(editor, discussed):
    page, _thread = discussed

    response = editor.get(delete_url(page), follow=True)

    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert REFUSED in response.content.decode()


def test_a_page_without_discussion_is_deleted_as_before(editor, make_consultation):
    quiet = make_consultation(title="Sans avis")
    opened = thread_for_page(page=quiet)  # someone opened the discussion, nobody wrote

    assert editor.get(delete_url(quiet)).status_code == 200
    response = editor.post(delete_url(quiet))

    assert response.status_code == 302
    assert not Page.objects.filter(pk=quiet.pk).exists()
    assert not Thread.objects.filter(pk=opened.pk).exists()


def test_the_database_refuses_to_delete_a_page_whose_discussion_has_nowhere_to_go(discussed):
    page, thread = discussed

    with pytest.raises(ProtectedError), transaction.atomic():
        Page.objects.get(pk=page.pk).delete()

    assert Page.objects.filter(pk=page.pk).exists()
    assert Contribution.objects.filter(thread=thread).count() == 2


def test_bulk_delete_from_the_page_listing_is_refused_too(editor, discussed):
    page, thread = discussed
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))

    response = editor.post(f"{url}?id={page.pk}&next=/admin/pages/")

    assert response.status_code == 302
    assert ConsultationPage.objects.filter(pk=page.pk).exists()
    assert Contribution.objects.filter(thread=thread).count() == 2
    messages = [str(m).strip() for m in response.wsgi_request._messages]
    assert REFUSED in messages
