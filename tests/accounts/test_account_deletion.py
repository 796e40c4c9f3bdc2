"""Deleting one's account: nothing personal remains, the public record still reads."""

import html
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import DataRightsLog, User
from accounts.personal_data import user_erase
from citizen_ideas.models import Idea
from citizen_requests.models import CitizenRequest
from deliberation.models import Contribution
from deliberation.selectors import thread_view
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _says(response, message: str) -> bool:
    """Whether the page says ``message`` in its own language (the ``lang`` of its <html>)."""
    page = html.unescape(response.content.decode())
    language = re.search(r'<html lang="([a-zA-Z-]+)"', page)[1]
    with translation.override(language):
        return gettext(message) in page


def _text_columns(model):
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
    ]


def _assert_nothing_left(user_pk, email, name, fk_models):
    for model, field in fk_models:
        assert not model._base_manager.filter(**{field.attname: user_pk}).exists(), (
            f"{model._meta.label}.{field.name} still references the deleted account"
        )
    for model in apps.get_models(include_auto_created=True):
        if model is DataRightsLog:
            continue
        for column in _text_columns(model):
            lookup = "icontains" if not isinstance(model._meta.get_field(column), models.JSONField) else None
            if lookup is None:
                rows = [str(value) for value in model._base_manager.values_list(column, flat=True)]
                assert not any(email in row or name in row for row in rows), (model, column)
                continue
            for needle in (email, name):
                assert not model._base_manager.filter(**{f"{column}__{lookup}": needle}).exists(), (
                    f"{model._meta.label}.{column} still holds {needle!r}"
                )


def test_erasure_leaves_no_personal_data_and_the_thread_still_reads(
    footprint, fk_models, django_capture_on_commit_callbacks, client
):
    me = footprint["me"]
    me.display_name = "Amira Ben Salah"  # a name no other text contains by chance
    me.save(update_fields=["display_name"])
    pk, email, name = me.pk, me.email, me.display_name
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=me)
    assert not User.objects.filter(pk=pk).exists()
    _assert_nothing_left(pk, email, name, fk_models)
    # The public record stays: the contributions, without an author.
    mine = Contribution.objects.get(pk=footprint["mine"].pk)
    assert mine.author_id is None and mine.body == "Mon avis sur l'eau."
    assert Contribution.objects.get(pk=footprint["reply_to_me"].pk).parent_id == mine.pk
    # The other person's contribution lost Amira's agreement; Karim's disagreement stays.
    assert Contribution.objects.get(pk=footprint["theirs"].pk).agree_count == 0
    assert mine.disagree_count == 1
    other = footprint["other"]
    for language, label in (("fr", "Compte supprimé"), ("en", "Deleted account")):
        with translation.override(language):
            view = thread_view(thread=footprint["thread"], viewer=other)
            names = {item.pk: item.author_name for item in view.items}
            assert names[footprint["theirs"].pk] == "Karim"
            assert names[mine.pk] in {label, "Deleted account"}
    # The thread page renders, with the deleted author's words and no name.
    client.force_login(other)
    response = client.get(footprint["consultation"].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mon avis sur l&#x27;eau." in html or "Mon avis sur l'eau." in html
    assert "Karim" in html and name not in html
    # Requests stay with the institution, stripped; ideas stay, unsigned.
    request = CitizenRequest.objects.get(pk=footprint["requests"][pk].pk)
    assert request.author_id is None and request.address == "" and request.text
    assert CitizenRequest.objects.get(pk=footprint["requests"][other.pk].pk).supporters_count == 0
    idea = Idea.objects.get(pk=footprint["ideas"][pk].pk)
    with translation.override("en"):
        assert idea.author_id is None and idea.author_name == "Deleted account"
    assert Idea.objects.get(pk=footprint["ideas"][other.pk].pk).support_count == 0
    entry = DataRightsLog.objects.get()
    assert (entry.action, entry.subject_id, entry.actor, entry.by_staff) == ("erase", pk, None, False)


def test_asked_removal_removes_only_what_nothing_depends_on(footprint):
    me = footprint["me"]
    my_idea = footprint["ideas"][me.pk]
    user_erase(user=me, remove_contributions=True)
    assert not Contribution.objects.filter(pk=footprint["lonely"].pk).exists()
    # Replied to: stays, unsigned. The idea's opening text: stays with the idea.
    assert Contribution.objects.get(pk=footprint["mine"].pk).author_id is None
    assert Idea.objects.get(pk=my_idea.pk).opening.body == "Des bancs."


def test_wrong_password_refuses_and_changes_nothing(client, footprint):
    me = footprint["me"]
    client.force_login(me)
    before = Contribution.objects.filter(author=me).count()
    response = client.post(reverse("accounts:account_delete"), {"password": "not-it"})
    assert response.status_code == 400
    assert _says(response, "This password is not correct. Your account has not been deleted.")
    assert User.objects.filter(pk=me.pk).exists()
    assert Contribution.objects.filter(author=me).count() == before == 4
    assert not DataRightsLog.objects.exists()


def test_missing_csrf_refuses_and_changes_nothing(footprint):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(footprint["me"])
    response = strict.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD})
    assert response.status_code == 403
    assert User.objects.filter(pk=footprint["me"].pk).exists()


def test_the_right_password_deletes_signs_out_and_says_so(client, footprint):
    me = footprint["me"]
    client.force_login(me)
    response = client.post(
        reverse("accounts:account_delete"), {"password": TEST_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert not User.objects.filter(pk=me.pk).exists()
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == reverse("accounts:account_deleted")


def test_a_staff_account_is_not_deleted_from_the_citizens_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("accounts:account_delete"), {"password": TEST_PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=admin_user.pk).exists()
