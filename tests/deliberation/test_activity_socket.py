"""The front door's live counter: a reader of the home page is told of each contribution
published on a page anyone may read, and of nothing else (a page behind a view restriction, a
contribution held for moderation until a moderator publishes it)."""

import uuid
from contextlib import asynccontextmanager

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from wagtail.models import PageViewRestriction

from config.asgi import application
from deliberation.models import Status
from deliberation.services import contribution_moderate, contribution_post, thread_for_page
from tests.deliberation.sockets import HOST, ORIGIN, Socket
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
sync = database_sync_to_async


@asynccontextmanager
async def watching_activity():
    communicator = WebsocketCommunicator(application, "/ws/activity/?lang=ar", headers=[HOST, ORIGIN])
    try:
        connected, _ = await communicator.connect()
        assert connected
        socket = Socket(communicator)
        assert (await socket.frame()) == {"type": "activity.hello"}
        yield socket
    finally:
        await communicator.disconnect()


def _post(author, thread, body="Un avis."):
    return contribution_post(
        author=author, thread=thread, body=body, idempotency_key=uuid.uuid4(), language="fr"
    ).contribution


async def _silent(socket, seconds=0.5):
    assert await socket.communicator.receive_nothing(timeout=seconds)


async def test_the_home_page_is_told_of_each_public_contribution(make_consultation, trusted_citizen):
    thread = await sync(lambda: thread_for_page(page=make_consultation()))()
    async with watching_activity() as socket:
        await sync(_post)(trusted_citizen, thread)
        assert (await socket.frame()) == {"type": "activity.contribution"}
        await sync(_post)(trusted_citizen, thread, "Un deuxième avis.")
        assert (await socket.frame()) == {"type": "activity.contribution"}


async def test_nothing_is_told_of_a_restricted_page_nor_of_a_held_contribution(
    make_consultation, trusted_citizen, moderator_of, site, settings
):
    def scene():
        private = make_consultation(slug="private")
        # Signed-in readers only: the citizen may write there, the page is not public.
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        return thread_for_page(page=private), thread_for_page(page=make_consultation())

    private_thread, public_thread = await sync(scene)()
    newcomer = await sync(UserFactory)(display_name="Nour")
    async with watching_activity() as socket:
        published = await sync(_post)(trusted_citizen, private_thread)
        assert published.status == Status.PUBLISHED
        settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 2  # the newcomer's first posts are held
        held = await sync(_post)(newcomer, public_thread, "Mon premier avis.")
        assert held.status == Status.PENDING
        await _silent(socket)
        moderator = await sync(moderator_of)(site["institution"]["fr"])
        await sync(contribution_moderate)(moderator=moderator, contribution=held, action="approve")
        assert (await socket.frame()) == {"type": "activity.contribution"}


def test_the_home_page_names_the_socket_and_the_count(client, make_consultation, trusted_citizen, post):
    from django.core.cache import cache

    thread = thread_for_page(page=make_consultation())
    post(trusted_citizen, thread)
    cache.clear()
    html = client.get("/fr/").content.decode()
    assert 'data-activity-socket="/ws/activity/"' in html
    assert 'data-figure="contributions" data-count="1"' in html
    assert "js/home_live.js" in html
