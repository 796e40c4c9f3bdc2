"""An idea's discussion is live like any thread: a reader on the idea's page receives a reply
published in it through deliberation's websocket."""

import uuid

import pytest
from channels.db import database_sync_to_async

from citizen_ideas.services import idea_propose
from deliberation.services import contribution_post
from tests.deliberation.sockets import watching
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def _scene():
    from tests.pages import build_site

    site = build_site()
    author = UserFactory(display_name="Amira")
    idea = idea_propose(
        author=author, institution=site["institution"]["fr"], title="Des bancs",
        body="Au jardin.", idempotency_key=uuid.uuid4(), language="fr",
    )
    return idea, author


@database_sync_to_async
def _reply(author, thread):
    return contribution_post(
        author=author, thread=thread, body="Et des arbres.", idempotency_key=uuid.uuid4(),
        language="fr",
    ).contribution


async def test_a_reply_in_an_ideas_thread_reaches_its_readers(locales, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    idea, author = await _scene()
    async with watching(idea.thread.key, lang="fr") as reader:
        assert reader.hello["open"] is True
        reply = await _reply(author, idea.thread)
        [event] = await reader.events(1)
        assert event["type"] == "contribution.published"
        assert event["id"] == reply.pk
        assert "Et des arbres." in event["html"]
