"""The idea lists' counts, live: a reader of an institution's (or a consultation's) list of
ideas is told an idea's supports, replies and status as they change, in the list's own words;
never anything about an idea held for moderation or sent to a page not everyone may read."""

import re
import uuid
from contextlib import asynccontextmanager

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from citizen_ideas.live import ideas_socket
from citizen_ideas.models import IdeaStatus
from citizen_ideas.services import idea_support, idea_support_withdraw
from citizen_ideas.statuses import idea_status_change
from cms.services import institution_group_names
from config.asgi import application
from deliberation.models import ModerationActionKind, Reason, Status
from deliberation.services import contribution_moderate, contribution_post
from tests.deliberation.sockets import HOST, ORIGIN, Socket
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@asynccontextmanager
async def watching_list(path: str, *, lang="fr", hello=True):
    communicator = WebsocketCommunicator(application, f"{path}?lang={lang}", headers=[HOST, ORIGIN])
    try:
        connected, _ = await communicator.connect()
        assert connected
        socket = Socket(communicator)
        if hello:
            socket.hello = await socket.frame()
            assert socket.hello["type"] == "ideas.hello", socket.hello
        yield socket
    finally:
        await communicator.disconnect()


def _staff_of(institution):
    group, _ = Group.objects.get_or_create(name=institution_group_names(institution)[0])
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    return user


def _reply(author, idea, body="Et des arbres."):
    return contribution_post(
        author=author, thread=idea.thread, body=body, idempotency_key=uuid.uuid4(), language="fr"
    ).contribution


sync = database_sync_to_async


async def test_a_list_reader_is_told_each_support_and_withdrawal(site, trusted_citizen, propose):
    institution = site["institution"]["fr"]
    idea = await sync(propose)(trusted_citizen, institution)
    other = await sync(propose)(trusted_citizen, institution, title="Un cinéma")
    supporter, second = await sync(UserFactory)(), await sync(UserFactory)()
    async with watching_list(ideas_socket(institution)) as reader:
        assert reader.hello["institution"] == institution.translation_key.hex
        await sync(idea_support)(user=supporter, idea=idea)
        frame = await reader.frame()
        assert frame == {
            "type": "ideas.counts", "idea": idea.pk,
            "supports": 1, "supports_label": "1 soutien",
            "replies": 0, "replies_label": "0 réponse",
            "status": "received", "status_label": "Reçue",
        }
        await sync(idea_support)(user=second, idea=idea)
        assert (await reader.frame())["supports_label"] == "2 soutiens"
        await sync(idea_support_withdraw)(user=supporter, idea=idea)
        frame = await reader.frame()
        assert (frame["idea"], frame["supports"], frame["supports_label"]) == (idea.pk, 1, "1 soutien")
        await sync(idea_support)(user=supporter, idea=other)
        assert (await reader.frame())["idea"] == other.pk
        await reader.nothing_more()


async def test_a_reply_published_then_hidden_changes_the_reply_count(
    site, trusted_citizen, propose, moderator_of
):
    institution = site["institution"]["fr"]
    idea = await sync(propose)(trusted_citizen, institution)
    moderator = await sync(moderator_of)(institution)
    async with watching_list(ideas_socket(institution)) as reader:
        reply = await sync(_reply)(trusted_citizen, idea)
        frame = await reader.frame()
        assert (frame["type"], frame["idea"], frame["replies"], frame["replies_label"]) == (
            "ideas.counts", idea.pk, 1, "1 réponse"
        )
        await sync(_reply)(trusted_citizen, idea, body="Et une fontaine.")
        assert (await reader.frame())["replies_label"] == "2 réponses"
        await sync(contribution_moderate)(
            moderator=moderator, contribution=reply, action=ModerationActionKind.HIDE, reason=Reason.SPAM
        )
        frame = await reader.frame()
        assert (frame["idea"], frame["replies"]) == (idea.pk, 1)
        await reader.nothing_more()


async def test_a_new_status_is_told_with_its_label_in_the_sockets_language(
    site, trusted_citizen, propose
):
    institution = site["institution"]["fr"]
    idea = await sync(propose)(trusted_citizen, institution)
    editor = await sync(_staff_of)(institution)
    async with watching_list(ideas_socket(institution), lang="ar") as reader:
        await sync(idea_status_change)(
            idea=idea, status=IdeaStatus.ACCEPTED, reason="Le conseil l’a votée.", by=editor
        )
        frame = await reader.frame()
        assert (frame["idea"], frame["status"], frame["status_label"]) == (idea.pk, "accepted", "مقبولة")
        assert frame["supports_label"] == "لا مساندة"  # Arabic's plural for none
        # The same status again only corrects the reason: the list shows nothing new.
        await sync(idea_status_change)(
            idea=idea, status=IdeaStatus.ACCEPTED, reason="Le conseil l’a votée (11 mai).", by=editor
        )
        await reader.nothing_more()


async def test_the_frame_says_the_count_as_the_arabic_list_writes_it(
    site, trusted_citizen, propose, client
):
    institution = site["institution"]["ar"]
    idea = await sync(propose)(trusted_citizen, institution, language="ar")
    supporters = [await sync(UserFactory)() for _ in range(3)]
    async with watching_list(ideas_socket(institution), lang="ar") as reader:
        for supporter in supporters:
            await sync(idea_support)(user=supporter, idea=idea)
            frame = await reader.frame()
    html = (await sync(client.get)(f"/ar/ideas/institutions/{institution.slug}/")).content.decode()
    [shown] = re.findall(r'<span class="idea-supports">([^<]+)</span>', html)
    assert frame["supports_label"] == shown == "3 مساندات"  # Latin digits, as the page (ar_TN)


async def test_nothing_is_told_of_an_idea_held_for_moderation(site, citizen, trusted_citizen, propose, settings):
    institution = site["institution"]["fr"]
    public = await sync(propose)(trusted_citizen, institution, title="Un cinéma")
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 5  # a newcomer's idea waits for a moderator
    newcomer = await sync(UserFactory)()
    held = await sync(propose)(newcomer, institution, title="Secret en attente")
    assert (await sync(lambda: held.opening.status)()) == Status.PENDING
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    editor = await sync(_staff_of)(institution)
    async with watching_list(ideas_socket(institution)) as reader:
        await sync(idea_status_change)(idea=held, status=IdeaStatus.UNDER_STUDY, reason="Vu.", by=editor)
        await sync(_reply)(trusted_citizen, held)
        # The next frame is about the public idea: nothing came about the held one before it.
        await sync(idea_support)(user=citizen, idea=public)
        frame = await reader.frame()
        assert frame["idea"] == public.pk
        await reader.nothing_more()


async def test_nothing_is_told_of_an_idea_sent_within_a_restricted_consultation(
    site, citizen, trusted_citizen, propose, make_consultation
):
    institution = site["institution"]["fr"]
    consultation = await sync(make_consultation)()
    public = await sync(propose)(trusted_citizen, institution, title="Un cinéma")
    restricted = await sync(propose)(
        trusted_citizen, institution, title="Idée réservée", consultation=consultation
    )
    await sync(PageViewRestriction.objects.create)(
        page=consultation, restriction_type=PageViewRestriction.LOGIN
    )
    editor = await sync(_staff_of)(institution)
    async with watching_list(ideas_socket(institution)) as reader:
        await sync(idea_support)(user=citizen, idea=restricted)  # signed in: may read and support
        await sync(_reply)(trusted_citizen, restricted)
        await sync(idea_status_change)(idea=restricted, status=IdeaStatus.REJECTED, reason="Non.", by=editor)
        await sync(idea_support)(user=citizen, idea=public)
        frame = await reader.frame()
        assert frame["idea"] == public.pk
        await reader.nothing_more()


@pytest.mark.parametrize("key", ["1972c019b1be4d7e8d2d7491141f26d4", "not-a-key"])
async def test_an_unknown_institution_is_refused(site, key):
    async with watching_list(f"/ws/ideas/institutions/{key}/", hello=False) as reader:
        frame = await reader.frame()
        assert (frame["type"], frame["code"]) == ("error", "not_found")
        assert await reader.closed_with() == 4404


async def test_an_institution_no_translation_of_which_is_public_is_refused(site):
    institution = site["institution"]["fr"]
    for translation in site["institution"].values():
        await sync(PageViewRestriction.objects.create)(
            page=translation, restriction_type=PageViewRestriction.LOGIN
        )
    async with watching_list(ideas_socket(institution), hello=False) as reader:
        frame = await reader.frame()
        assert (frame["type"], frame["code"]) == ("error", "not_found")
        assert await reader.closed_with() == 4404


async def test_the_lists_name_their_socket_and_their_ideas(
    site, trusted_citizen, propose, make_consultation, client
):
    institution = site["institution"]["fr"]
    consultation = await sync(make_consultation)()
    idea = await sync(propose)(trusted_citizen, institution, consultation=consultation)
    socket = f"/ws/ideas/institutions/{institution.translation_key.hex}/"
    for url in (f"/fr/ideas/institutions/{institution.slug}/", f"{consultation.url}ideas/"):
        html = (await sync(client.get)(url)).content.decode()
        assert f'data-ideas-socket="{socket}"' in html
        assert 'data-live-status="#ideas-live-status"' in html and 'id="ideas-live-status"' in html
        assert f'data-idea="{idea.pk}" data-idea-status="received"' in html
        assert '<span class="idea-replies">0 réponse</span>' in html
        assert "js/idea_counts.js" in html
    # A consultation not everyone may read: its list is told nothing, so it opens no socket.
    await sync(PageViewRestriction.objects.create)(
        page=consultation, restriction_type=PageViewRestriction.LOGIN
    )
    await sync(client.force_login)(trusted_citizen)
    html = (await sync(client.get)(f"{consultation.url}ideas/")).content.decode()
    assert idea.title in html
    assert "data-ideas-socket" not in html and "idea_counts.js" not in html
