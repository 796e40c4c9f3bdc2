"""Thread events: numbered and stored in the transaction of their change, published only on
commit (deliberation/realtime/events.py), and the page's resume point."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from wagtail.models import PageViewRestriction

from deliberation.models import Contribution, Thread, ThreadEvent
from deliberation.realtime import events as realtime_events
from deliberation.rules import refusal
from deliberation.services import contribution_moderate, contribution_react, thread_lock


@pytest.fixture
def published(monkeypatch):
    """The events handed to the channel layer, in order."""
    sent = []
    monkeypatch.setattr(realtime_events, "thread_event_publish", lambda *, event: sent.append(event))
    return sent


def _events(thread):
    return list(ThreadEvent.objects.filter(thread=thread).order_by("seq").values_list("seq", "type"))


def test_each_change_takes_the_next_number_and_is_published_after_commit(
    trusted_citizen, thread, post, admin_user, user_factory, published,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = post(trusted_citizen, thread, "Un avis.")
        contribution_react(user=user_factory(), contribution=contribution, kind="agree")
        contribution_moderate(
            moderator=admin_user, contribution=contribution, action="hide", reason="spam"
        )
        thread_lock(moderator=admin_user, thread=thread, locked=True)
    assert _events(thread) == [
        (1, "contribution.published"),
        (2, "contribution.reactions"),
        (3, "contribution.hidden"),
        (4, "thread.locked"),
    ]
    assert Thread.objects.get(pk=thread.pk).last_seq == 4
    assert [event.seq for event in published] == [1, 2, 3, 4]
    assert ThreadEvent.objects.get(seq=2, thread=thread).data == {"agree": 1, "disagree": 0}


def test_a_rolled_back_change_leaves_no_event_and_sends_nothing(
    trusted_citizen, thread, post, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            post(trusted_citizen, thread, "Annulé.")
            raise RuntimeError("the request failed after the post")
    assert callbacks == []
    assert Contribution.objects.count() == 0
    assert _events(thread) == [] and published == []
    assert Thread.objects.get(pk=thread.pk).last_seq == 0
    post(trusted_citizen, thread, "Le suivant.")
    assert _events(thread) == [(1, "contribution.published")]


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused(thread):
    with pytest.raises(RuntimeError):
        realtime_events.thread_event_record(thread_id=thread.pk, type="thread.locked")


def test_pending_contributions_and_refusals_are_not_thread_events(
    citizen, make_consultation, post, admin_user, published
):
    from deliberation.services import thread_for_page

    thread = thread_for_page(page=make_consultation(moderation_mode="pre"))
    contribution = post(citizen, thread, "En attente.")
    assert _events(thread) == []
    contribution_moderate(moderator=admin_user, contribution=contribution, action="reject", reason="spam")
    assert _events(thread) == []
    contribution_moderate(moderator=admin_user, contribution=contribution, action="restore")
    assert _events(thread) == [(1, "contribution.published")]


def test_publishing_the_page_tells_its_threads_the_phase(thread, published):
    page = thread.page.specific
    page.save_revision().publish()
    assert _events(thread) == [(1, "thread.phase")]


def test_the_page_carries_the_resume_point_and_the_socket_address(
    client, trusted_citizen, thread, post
):
    for text in ("Un.", "Deux."):
        post(trusted_citizen, thread, text)
    response = client.get(thread.page.url)
    html = response.content.decode()
    assert f'data-thread-key="{thread.key}"' in html
    assert 'data-thread-seq="2"' in html
    assert f'data-ws-url="/ws/threads/{thread.key}/"' in html
    assert "js/thread.js" in html


# --- Who may subscribe (can_subscribe) ----------------------------------------------------------


def test_view_restrictions_of_the_page_or_an_ancestor_apply_to_its_thread(thread, citizen, site):
    anonymous = AnonymousUser()
    assert refusal(anonymous, "deliberation.subscribe_thread", thread) is None

    institution = site["institution"]["fr"]
    restriction = PageViewRestriction.objects.create(
        page=institution, restriction_type=PageViewRestriction.GROUPS
    )
    members = Group.objects.create(name="Conseil municipal")
    restriction.groups.add(members)
    thread = Thread.objects.get(pk=thread.pk)
    assert refusal(anonymous, "deliberation.subscribe_thread", thread).code == "login_required"
    assert refusal(citizen, "deliberation.subscribe_thread", thread).code == "forbidden"
    citizen.groups.add(members)
    assert refusal(citizen, "deliberation.subscribe_thread", thread) is None

    restriction.delete()
    PageViewRestriction.objects.create(
        page=thread.page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    refused = refusal(citizen, "deliberation.subscribe_thread", Thread.objects.get(pk=thread.pk))
    assert refused.code == "forbidden"
    assert not citizen.has_perm("deliberation.view_thread", Thread.objects.get(pk=thread.pk))
