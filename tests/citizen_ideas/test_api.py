"""/api/ideas/: the list (filters, sorts, only public ideas), one idea with its status
history, support count and where it was used, and supporting / withdrawing with the session
and its CSRF token (twice is a 409, nothing stored)."""


import pytest
from django.contrib.auth.models import Group
from django.test import Client

from citizen_ideas.models import Idea, IdeaStatus, IdeaSupport
from citizen_ideas.statuses import idea_status_change
from cms.services import institution_group_names
from deliberation.models import Status
from tests.factories import UserFactory


@pytest.fixture
def editor(institution):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=institution_group_names(institution)[0])[0])
    return user


def test_the_list_filters_and_sorts_public_ideas_only(
    client, trusted_citizen, institution, propose, editor, settings, make_consultation
):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = "10000/h"
    consultation = make_consultation(opens_in=-3, closes_in=5)
    first = propose(trusted_citizen, institution, title="Des bancs")
    second = propose(trusted_citizen, institution, title="Une piste cyclable", consultation=consultation)
    hidden = propose(trusted_citizen, institution, title="Cachée")
    hidden.opening.status = Status.HIDDEN
    hidden.opening.save(update_fields=["status"])
    Idea.objects.filter(pk=second.pk).update(support_count=5)
    idea_status_change(idea=first, status=IdeaStatus.UNDER_STUDY, reason="À l'étude.", by=editor)

    items = client.get("/api/ideas/").json()["items"]
    assert [i["id"] for i in items] == [second.pk, first.pk]  # most supported first
    newest = client.get("/api/ideas/?sort=newest").json()["items"]
    assert [i["id"] for i in newest] == [second.pk, first.pk]
    answered = client.get("/api/ideas/?sort=answered").json()["items"]
    assert answered[0]["id"] == first.pk
    assert [i["id"] for i in client.get("/api/ideas/?status=under_study").json()["items"]] == [first.pk]
    by_consultation = client.get(f"/api/ideas/?consultation={consultation.pk}").json()["items"]
    assert [i["id"] for i in by_consultation] == [second.pk]
    assert by_consultation[0]["consultation"]["id"] == consultation.pk
    by_institution = client.get(f"/api/ideas/?institution={institution.slug}").json()["items"]
    assert {i["id"] for i in by_institution} == {first.pk, second.pk}
    assert client.get("/api/ideas/?institution=nowhere").json()["items"] == []
    assert client.get(f"/api/ideas/{hidden.pk}/").status_code == 404


def test_the_list_costs_the_same_queries_for_3_or_30_ideas(
    client, trusted_citizen, institution, propose, settings
):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = "10000/h"
    settings.DELIBERATION_POST_RATE_PER_IP = "10000/h"

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/ideas/?page_size=100").status_code == 200
        return len(captured)

    for n in range(3):
        propose(trusted_citizen, institution, title=f"Idée {n}")
    small = count()
    for n in range(27):
        propose(trusted_citizen, institution, title=f"Idée bis {n}")
    assert count() == small


def test_detail_support_and_withdraw(trusted_citizen, institution, propose, editor):
    idea = propose(trusted_citizen, institution)
    idea_status_change(idea=idea, status=IdeaStatus.ACCEPTED, reason="Retenue.", by=editor)
    supporter = UserFactory()
    client = Client(enforce_csrf_checks=True)
    url = f"/api/ideas/{idea.pk}/support/"

    assert Client().post(url).status_code == 401  # not signed in
    client.force_login(supporter)
    assert client.post(url).status_code == 403  # no CSRF token
    client.get("/fr/")  # the site's page sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    supported = client.post(url, HTTP_X_CSRFTOKEN=token)
    assert supported.status_code == 200
    assert supported.json() == {"id": idea.pk, "support_count": 1, "supported": True}
    twice = client.post(url, HTTP_X_CSRFTOKEN=token)
    assert twice.status_code == 409 and twice.json()["code"] == "conflict"
    assert IdeaSupport.objects.filter(idea=idea).count() == 1

    detail = client.get(f"/api/ideas/{idea.pk}/").json()
    assert detail["support_count"] == 1 and detail["supported"] is True
    assert detail["status"] == "accepted"
    assert [(h["status"], h["reason"]) for h in detail["status_history"]] == [("accepted", "Retenue.")]
    assert detail["body"] == "Installer des bancs."
    assert detail["cited_in"] == []

    withdrawn = client.delete(url, HTTP_X_CSRFTOKEN=token)
    assert withdrawn.json() == {"id": idea.pk, "support_count": 0, "supported": False}
    assert client.delete(url, HTTP_X_CSRFTOKEN=token).status_code == 409
    assert Idea.objects.get(pk=idea.pk).support_count == 0
    assert client.post("/api/ideas/999999/support/", HTTP_X_CSRFTOKEN=token).status_code == 404
