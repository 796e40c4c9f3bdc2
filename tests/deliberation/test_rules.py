"""Who may do what in a thread: the deliberation.* permissions views, the API and sockets ask."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from cms.models import InstitutionPage
from cms.services import moderators_group_name
from deliberation import services
from deliberation.models import ForumTopicPage, Participation, Reason, Status
from deliberation.rules import moderated_institution_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(moderator_of, site):
    return moderator_of(site["institution"]["fr"])


@pytest.fixture
def contribution(thread, post, user_factory, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return post(user_factory(display_name="Karim"), thread, "Avis.")


def fresh(user):
    """The same account as a new request would load it (permissions are cached per object)."""
    return type(user).objects.get(pk=user.pk)


# --- Moderating -----------------------------------------------------------------------------------


def test_moderators_group_is_named_after_the_institution(site):
    assert moderators_group_name(site["institution"]["ar"]) == "Moderators: el-kef"


def test_a_citizen_moderates_nothing(citizen, thread, contribution):
    assert not citizen.has_perm("deliberation.moderate")
    assert not citizen.has_perm("deliberation.moderate_thread", thread)
    assert not citizen.has_perm("deliberation.moderate_contribution", contribution)
    assert moderated_institution_keys(citizen) == set()


def test_anonymous_visitors_moderate_nothing(thread):
    anonymous = AnonymousUser()
    assert not anonymous.has_perm("deliberation.moderate")
    assert not anonymous.has_perm("deliberation.moderate_thread", thread)


def test_an_institutions_moderator_moderates_its_threads_only(
    moderator, thread, other_thread, contribution
):
    assert moderator.has_perm("deliberation.moderate")
    assert moderator.has_perm("deliberation.moderate_thread", thread)
    assert moderator.has_perm("deliberation.moderate_contribution", contribution)
    assert not moderator.has_perm("deliberation.moderate_thread", other_thread)
    assert moderated_institution_keys(moderator) == {thread.institution.translation_key}


def test_the_moderators_group_covers_every_translation_of_the_institution(
    moderator_of, site, make_consultation
):
    moderator = moderator_of(site["institution"]["ar"])
    for language in ("ar", "fr", "en"):
        thread = services.thread_for_page(page=make_consultation(language=language))
        assert moderator.has_perm("deliberation.moderate_thread", thread), language


def test_platform_moderators_and_superusers_moderate_every_institution(
    user_factory, admin_user, thread, other_thread
):
    platform = user_factory(is_staff=True)
    platform.groups.add(Group.objects.create(name="Deliberation moderators"))
    for person in (platform, admin_user):
        assert person.has_perm("deliberation.moderate")
        assert person.has_perm("deliberation.moderate_thread", thread)
        assert person.has_perm("deliberation.moderate_thread", other_thread)
        assert moderated_institution_keys(person) is None


def test_a_disabled_moderator_moderates_nothing(moderator, thread):
    moderator.is_active = False
    moderator.save()
    moderator = fresh(moderator)
    assert not moderator.has_perm("deliberation.moderate_thread", thread)


# --- Taking part ----------------------------------------------------------------------------------


def test_a_citizen_may_post_react_and_flag_in_an_open_thread(citizen, thread, contribution):
    assert citizen.has_perm("deliberation.view_thread", thread)
    assert citizen.has_perm("deliberation.post_thread", thread)
    assert citizen.has_perm("deliberation.react_contribution", contribution)
    assert citizen.has_perm("deliberation.flag_contribution", contribution)


def test_anonymous_visitors_read_but_do_not_take_part(thread, contribution):
    anonymous = AnonymousUser()
    assert anonymous.has_perm("deliberation.view_thread", thread)
    assert not anonymous.has_perm("deliberation.post_thread", thread)
    assert not anonymous.has_perm("deliberation.react_contribution", contribution)
    assert not anonymous.has_perm("deliberation.flag_contribution", contribution)


def test_a_closed_consultation_takes_reports_but_no_contributions_or_reactions(
    citizen, make_consultation, post, user_factory, settings, monkeypatch
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    thread = services.thread_for_page(page=make_consultation(closes_in=1))
    contribution = post(user_factory(), thread, "Avis.")
    closed = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: closed)
    contribution = type(contribution).objects.select_related("thread").get(pk=contribution.pk)
    assert not citizen.has_perm("deliberation.post_thread", contribution.thread)
    assert not citizen.has_perm("deliberation.react_contribution", contribution)
    assert citizen.has_perm("deliberation.flag_contribution", contribution)


def test_an_upcoming_consultation_takes_nothing_yet(citizen, make_consultation):
    thread = services.thread_for_page(page=make_consultation(opens_in=3, closes_in=10))
    assert citizen.has_perm("deliberation.view_thread", thread)
    assert not citizen.has_perm("deliberation.post_thread", thread)


def test_an_unpublished_consultation_is_not_shown_nor_open(citizen, make_consultation):
    page = make_consultation()
    thread = services.thread_for_page(page=page)
    page.unpublish()
    thread = type(thread).objects.get(pk=thread.pk)
    assert not citizen.has_perm("deliberation.view_thread", thread)
    assert not citizen.has_perm("deliberation.post_thread", thread)


def test_a_locked_thread_takes_no_contribution(citizen, thread, moderator):
    services.thread_lock(moderator=moderator, thread=thread, locked=True)
    thread.refresh_from_db()
    assert not citizen.has_perm("deliberation.post_thread", thread)
    assert not moderator.has_perm("deliberation.post_thread", thread)


def test_verified_only_consultations_need_a_confirmed_address(citizen, make_consultation):
    thread = services.thread_for_page(page=make_consultation(participation=Participation.VERIFIED))
    assert not citizen.has_perm("deliberation.post_thread", thread)
    citizen.email_verified = True
    citizen.save()
    assert fresh(citizen).has_perm("deliberation.post_thread", thread)


def test_a_suspended_citizen_may_not_post_or_react_but_may_still_report(
    citizen, thread, contribution
):
    from accounts.models import Suspension

    Suspension.objects.create(
        user=citizen, reason=Reason.SPAM, ends_at=timezone.now() + datetime.timedelta(days=2)
    )
    citizen = fresh(citizen)
    assert not citizen.has_perm("deliberation.post_thread", thread)
    assert not citizen.has_perm("deliberation.react_contribution", contribution)
    assert citizen.has_perm("deliberation.flag_contribution", contribution)


def test_a_lifted_suspension_no_longer_bars(citizen, thread):
    from accounts.models import Suspension

    Suspension.objects.create(
        user=citizen,
        reason=Reason.SPAM,
        ends_at=timezone.now() + datetime.timedelta(days=2),
        lifted_at=timezone.now(),
    )
    assert fresh(citizen).has_perm("deliberation.post_thread", thread)


def test_nobody_reacts_to_or_reports_their_own_contribution(contribution):
    author = contribution.author
    assert not author.has_perm("deliberation.react_contribution", contribution)
    assert not author.has_perm("deliberation.flag_contribution", contribution)


def test_unpublished_contributions_take_no_reaction_or_report(citizen, contribution, moderator):
    services.contribution_moderate(
        moderator=moderator, contribution=contribution, action="hide", reason=Reason.ABUSE
    )
    contribution.refresh_from_db()
    assert contribution.status == Status.HIDDEN
    assert not citizen.has_perm("deliberation.react_contribution", contribution)
    assert not citizen.has_perm("deliberation.flag_contribution", contribution)


def test_only_the_author_may_edit_and_only_at_first(citizen, contribution, monkeypatch, settings):
    settings.DELIBERATION_EDIT_GRACE_MINUTES = 15
    author = contribution.author
    assert author.has_perm("deliberation.edit_contribution", contribution)
    assert not citizen.has_perm("deliberation.edit_contribution", contribution)
    too_late = contribution.created_at + datetime.timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: too_late)
    assert not fresh(author).has_perm("deliberation.edit_contribution", contribution)


# --- Forum topics ---------------------------------------------------------------------------------


def _forum_topic(site, **fields) -> ForumTopicPage:
    parent = InstitutionPage.objects.get(pk=site["institution"]["fr"].pk)
    topic = parent.add_child(
        instance=ForumTopicPage(
            title="Propreté des plages",
            slug=f"f-{uuid.uuid4().hex[:8]}",
            summary="Parlons-en.",
            **fields,
        )
    )
    topic.save_revision().publish()
    return ForumTopicPage.objects.get(pk=topic.pk)


def test_a_forum_topic_is_open_until_it_closes(site, citizen, moderator):
    open_thread = services.thread_for_page(page=_forum_topic(site))
    assert citizen.has_perm("deliberation.post_thread", open_thread)
    assert moderator.has_perm("deliberation.moderate_thread", open_thread)
    closed_thread = services.thread_for_page(
        page=_forum_topic(site, closes_at=timezone.now() - datetime.timedelta(hours=1))
    )
    assert not citizen.has_perm("deliberation.post_thread", closed_thread)


def test_a_nesting_depth_the_schema_cannot_store_is_refused_at_start_up(settings):
    from deliberation.checks import max_depth_fits_the_path

    assert max_depth_fits_the_path(None) == []
    settings.DELIBERATION_MAX_DEPTH = 5
    assert [error.id for error in max_depth_fits_the_path(None)] == ["deliberation.E001"]
