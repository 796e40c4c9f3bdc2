"""Free-text answers reach the moderators of the questionnaire's institution, who approve or
reject them; only approved texts are published in the results."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.users.models import UserProfile

from cms.models import InstitutionPage
from questionnaires.models import Answer, ReviewStatus
from questionnaires.results import questionnaire_results
from tests.questionnaires.answers import responses_make

pytestmark = pytest.mark.django_db


def english_admin(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def world(site, questionnaire, moderator_of):
    home = site["home"]["fr"]
    other = home.add_child(
        instance=InstitutionPage(title="Ministère B", slug="ministere-b", kind="ministry")
    )
    other.save_revision().publish()
    call_command("setup_institutions", stdout=open("/dev/null", "w"))
    responses_make(questionnaire, 20, seed=11)
    return {
        "moderator": english_admin(moderator_of(site["institution"]["fr"])),
        "stranger": english_admin(moderator_of(InstitutionPage.objects.get(pk=other.pk))),
        "pending": Answer.objects.filter(
            review_status=ReviewStatus.PENDING, response__is_draft=False
        ).order_by("pk"),
    }


def why_texts(page):
    rows = {row["key"]: row for row in questionnaire_results(page=page)["questions"]}
    return rows["q-why"]["approved"]


def test_moderator_sees_pending_texts_and_approves_one(client, world, questionnaire):
    answer = world["pending"].first()
    assert answer.text not in why_texts(questionnaire)
    client.force_login(world["moderator"])

    listing = client.get(reverse("questionnaires_review")).content.decode()
    assert answer.text in listing
    assert "لماذا الحافلة؟" in listing

    response = client.post(
        reverse("questionnaires_review_act", args=[answer.pk]),
        {"decision": "approved", "back": "pending"},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.review_status == ReviewStatus.APPROVED
    assert answer.reviewed_by == world["moderator"]
    assert answer.text in why_texts(questionnaire)
    assert answer.text not in client.get(reverse("questionnaires_review")).content.decode()


def test_rejected_text_is_not_published(client, world, questionnaire):
    answer = world["pending"].first()
    client.force_login(world["moderator"])
    client.post(reverse("questionnaires_review_act", args=[answer.pk]), {"decision": "rejected"})
    answer.refresh_from_db()
    assert answer.review_status == ReviewStatus.REJECTED
    assert answer.text not in why_texts(questionnaire)
    rejected = client.get(reverse("questionnaires_review") + "?status=rejected")
    assert answer.text in rejected.content.decode()


def test_moderator_of_another_institution_neither_sees_nor_decides(client, world):
    answer = world["pending"].first()
    client.force_login(world["stranger"])
    assert answer.text not in client.get(reverse("questionnaires_review")).content.decode()
    response = client.post(
        reverse("questionnaires_review_act", args=[answer.pk]), {"decision": "approved"}
    )
    assert response.status_code in (302, 403)  # Wagtail sends a refusal back to the dashboard
    answer.refresh_from_db()
    assert answer.review_status == ReviewStatus.PENDING


def test_citizens_and_editors_are_refused(client, world, citizen):
    client.force_login(citizen)
    assert client.get(reverse("questionnaires_review")).status_code in (302, 403)


def test_the_moderation_menu_lists_the_review(client, world):
    client.force_login(world["moderator"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("questionnaires_review") in home
