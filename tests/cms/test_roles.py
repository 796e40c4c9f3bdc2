"""Each institution's moderators: what `setup_institutions` lets them do."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Collection, GroupPagePermission
from wagtail.test.utils.form_data import nested_form_data, rich_text

from cms.models import InstitutionPage
from cms.services import institution_roles_ensure, moderator_permissions_grant
from deliberation.models import ForumTopicPage

pytestmark = pytest.mark.django_db


def test_setup_institutions_makes_the_moderators_group(site):
    out = io.StringIO()
    call_command("setup_institutions", stdout=out)
    assert "“Moderators: el-kef”" in out.getvalue()
    group = Group.objects.get(name="Moderators: el-kef")
    codenames = set(group.permissions.values_list("codename", flat=True))
    # Watched words apply to every institution: only platform-wide moderators keep them.
    assert codenames == {"access_admin"}
    granted = set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page__locale__language_code", "permission__codename"
        )
    )
    assert granted == {
        (code, permission) for code in ("ar", "fr", "en") for permission in ("add_page", "change_page")
    }


def test_institution_roles_ensure_returns_the_moderators_and_changes_nothing_when_run_again(site):
    institution = site["institution"]["fr"]
    roles = institution_roles_ensure(institution=institution)
    assert roles.moderators.name == "Moderators: el-kef"
    before = (roles.moderators.permissions.count(), GroupPagePermission.objects.count())
    again = institution_roles_ensure(institution=institution)
    assert again.moderators == roles.moderators
    assert (again.moderators.permissions.count(), GroupPagePermission.objects.count()) == before


def test_institution_roles_ensure_takes_watched_words_from_an_institutions_moderators(
    site, user_factory
):
    institution = site["institution"]["fr"]
    # An install set up when institution moderators still kept the watched-words list.
    group = Group.objects.create(name="Moderators: el-kef")
    moderator_permissions_grant(group)
    moderator = user_factory(is_staff=True)
    moderator.groups.add(group)
    assert moderator.has_perm("deliberation.change_watchedword")

    institution_roles_ensure(institution=institution)
    moderator = type(moderator).objects.get(pk=moderator.pk)
    assert moderator.has_perm("wagtailadmin.access_admin")
    assert not any(
        moderator.has_perm(f"deliberation.{verb}_watchedword")
        for verb in ("view", "add", "change", "delete")
    )
    assert set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "page__locale__language_code", "permission__codename"
        )
    ) == {(code, permission) for code in ("ar", "fr", "en") for permission in ("add_page", "change_page")}


def test_moderator_permissions_grant_lets_a_group_keep_watched_words(user_factory, db):
    group = Group.objects.create(name="Deliberation moderators")
    moderator_permissions_grant(group)
    user = user_factory(is_staff=True)
    user.groups.add(group)
    assert user.has_perms(
        ["wagtailadmin.access_admin", "deliberation.add_watchedword", "deliberation.delete_watchedword"]
    )
    assert not user.has_perm("deliberation.add_contribution")


def test_a_moderator_drafts_a_forum_topic_that_goes_to_the_institutions_approvers(
    client, site, moderator_of
):
    call_command("setup_institutions", stdout=io.StringIO())
    institution = site["institution"]["fr"]
    client.force_login(moderator_of(institution))
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("deliberation", "forumtopicpage", institution.pk)),
        nested_form_data(
            {
                "title": "L'eau à l'école",
                "slug": "eau-ecole",
                "summary": "Des fontaines dans chaque école ?",
                "body": rich_text("<p>Parlons-en.</p>"),
                "topics": "eau",
                "closes_at": "",
                "moderation_mode": "post",
                "participation": "registered",
                "action-submit": "action-submit",
            }
        ),
    )
    assert response.status_code == 302
    topic = ForumTopicPage.objects.get(slug="eau-ecole")
    assert not topic.live
    state = topic.current_workflow_state
    assert state is not None and state.workflow.name == f"نشر صفحات {site['institution']['ar'].title}"
    # Publishing is the approvers' decision, not the moderator's.
    assert not topic.permissions_for_user(response.wsgi_request.user).can_publish()


def test_moderators_cannot_draft_under_another_institution(client, site, moderator_of):
    other = site["home"]["fr"].add_child(
        instance=InstitutionPage(title="Ministère B", slug="ministere-b", kind="ministry")
    )
    other.save_revision().publish()
    call_command("setup_institutions", stdout=io.StringIO())
    client.force_login(moderator_of(site["institution"]["fr"]))
    client.post(
        reverse("wagtailadmin_pages:add", args=("deliberation", "forumtopicpage", other.pk)),
        nested_form_data(
            {
                "title": "Détour",
                "slug": "detour",
                "summary": "s",
                "body": rich_text("<p>x</p>"),
                "topics": "",
                "closes_at": "",
                "moderation_mode": "post",
                "participation": "registered",
                "action-submit": "action-submit",
            }
        ),
    )
    assert not ForumTopicPage.objects.filter(slug="detour").exists()


def test_institution_roles_ensure_makes_the_root_collection_of_an_emptied_database(site):
    """A flushed database (the transactional tests, an operator's empty restore) has no root
    collection; the institution's collection is still made, under a new root."""
    Collection.objects.all().delete()
    institution = site["institution"]["ar"]
    institution_roles_ensure(institution=institution)
    root = Collection.get_first_root_node()
    assert root is not None
    assert root.get_children().filter(name=institution.title).exists()


def test_the_workflow_and_its_task_are_named_in_words_not_slugs(site):
    """Editors read the workflow's name on the submit button ("Submit to …") and in Wagtail's
    e-mails: the institution's Arabic title in Arabic, never "Publishing: el-kef"; an older
    site's slug-named workflow is renamed, not duplicated."""
    from wagtail.models import Workflow

    institution = site["institution"]["ar"]
    Workflow.objects.create(name="Publishing: el-kef")
    roles = institution_roles_ensure(institution=institution)
    title = institution.title
    assert roles.workflow.name == f"نشر صفحات {title}"
    assert roles.workflow.workflow_tasks.get().task.name == f"موافقة المصادقين في {title}"
    assert not Workflow.objects.filter(name__startswith="Publishing:").exists()
    # Idempotent from the French page too.
    assert institution_roles_ensure(institution=site["institution"]["fr"]).workflow.pk == roles.workflow.pk
