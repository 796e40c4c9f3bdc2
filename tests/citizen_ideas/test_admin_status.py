"""The ideas desk in the Wagtail admin: the institution's staff list its ideas and give one a
status with a reason; another institution's staff get a 404 and change nothing."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from citizen_ideas.models import Idea, IdeaStatus, IdeaStatusChange
from cms.services import institution_group_names
from tests.factories import UserFactory


def _staff(group_name):
    user = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    return user


@pytest.fixture
def idea(trusted_citizen, institution, propose):
    return propose(trusted_citizen, institution)


def test_staff_give_a_status_in_the_admin(client, idea, institution, django_capture_on_commit_callbacks):
    editor = _staff(institution_group_names(institution)[0])
    client.force_login(editor)

    listing = client.get("/admin/ideas/")
    assert listing.status_code == 200
    assert "Des bancs au jardin" in listing.content.decode()
    url = f"/admin/ideas/{idea.pk}/"
    assert client.get(url).status_code == 200

    mail.outbox.clear()
    refused = client.post(url, {"status": "accepted", "reason": "  "})
    assert refused.status_code == 200
    assert not IdeaStatusChange.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"status": "accepted", "reason": "Retenue au budget."})
    assert done.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.ACCEPTED
    assert [m.to[0] for m in mail.outbox] == [idea.author.email]

    # The public page shows the dated history.
    page = client.get(f"/fr/ideas/{idea.pk}/").content.decode()
    assert "idea-history" in page and "Retenue au budget." in page


def test_other_staff_cannot_reach_the_idea(client, idea):
    client.force_login(_staff("Editors: another-institution"))
    assert client.get(f"/admin/ideas/{idea.pk}/").status_code == 404
    assert client.post(f"/admin/ideas/{idea.pk}/", {"status": "accepted", "reason": "Oui."}).status_code == 404
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.RECEIVED
