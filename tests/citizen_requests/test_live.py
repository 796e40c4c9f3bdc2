"""The request page and the staff queue, live: told of a change once it is committed, and
only the people allowed to read the request are."""

import uuid
from contextlib import asynccontextmanager

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from citizen_requests import services
from citizen_requests.models import PublicRequestsPage
from citizen_requests.selectors import UNLOCKED_SESSION_KEY
from config.asgi import application
from deliberation.services import contribution_post, thread_for_page
from tests.citizen_requests.conftest import staff
from tests.deliberation.sockets import HOST, ORIGIN, Socket, login_cookie, watching

pytestmark = pytest.mark.django_db(transaction=True)


def _unlocked_cookie(request_id: int) -> bytes:
    client = Client()
    session = client.session
    session[UNLOCKED_SESSION_KEY] = [request_id]
    session.save()
    return f"sessionid={session.session_key}".encode()


@asynccontextmanager
async def socket(path: str, *, user=None, cookie: bytes | None = None, lang="fr"):
    headers = [HOST, ORIGIN]
    if user is not None:
        cookie = await database_sync_to_async(login_cookie)(user)
    if cookie is not None:
        headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(application, f"{path}?lang={lang}", headers=headers)
    try:
        connected, _ = await communicator.connect()
        assert connected
        yield Socket(communicator)
    finally:
        await communicator.disconnect()


async def test_the_citizen_sees_the_new_stage_in_their_language(file_request, citizen, officer):
    request = (await database_sync_to_async(file_request)()).request
    async with socket(f"/ws/requests/{request.tracking_number}/", user=citizen, lang="ar") as page:
        assert (await page.frame())["type"] == "request.hello"
        await database_sync_to_async(services.request_assign)(actor=officer, request=request, assignee=officer)
        frame = await page.frame()
        assert frame["type"] == "request.changed" and frame["stage"] == "assigned"
        assert frame["number"] == request.tracking_number
        assert frame["stage_label"] != "Assigned"  # Arabic
        assert "Amira" not in str(frame) and "subject" not in frame


async def test_the_number_and_code_let_an_anonymous_reporter_watch(file_request, officer):
    filed = await database_sync_to_async(file_request)(author=None, kind="corruption", idempotency_key=None)
    cookie = await database_sync_to_async(_unlocked_cookie)(filed.request.pk)
    async with socket(f"/ws/requests/{filed.request.tracking_number}/", cookie=cookie) as page:
        assert (await page.frame())["type"] == "request.hello"
        await database_sync_to_async(services.request_assign)(
            actor=officer, request=filed.request, assignee=officer
        )
        assert (await page.frame())["stage"] == "assigned"


async def test_strangers_are_refused_as_for_an_unknown_number(file_request, user_factory, other_desk):
    request = (await database_sync_to_async(file_request)()).request
    stranger = await database_sync_to_async(user_factory)()
    other_officer = await database_sync_to_async(staff)(other_desk, role="approver")
    for user in (None, stranger, other_officer):
        async with socket(f"/ws/requests/{request.tracking_number}/", user=user) as page:
            frame = await page.frame()
            assert frame["type"] == "error" and frame["code"] == "not_found"
            assert await page.closed_with() == 4404
    async with socket("/ws/requests/KEF-26-0000-0000/", user=stranger) as page:
        assert (await page.frame())["code"] == "not_found"


async def test_an_officer_loses_the_request_when_it_is_redirected(file_request, officer, other_desk):
    request = (await database_sync_to_async(file_request)()).request
    async with socket(f"/ws/requests/{request.tracking_number}/", user=officer) as page:
        assert (await page.frame())["type"] == "request.hello"
        await database_sync_to_async(services.request_redirect)(
            actor=officer, request=request, desk=other_desk, reason="Pas chez nous."
        )
        frame = await page.frame()
        assert frame["type"] == "error" and frame["code"] == "forbidden"
        assert await page.closed_with() == 4403


async def test_the_queue_hears_of_its_own_desk_only(file_request, officer, other_desk, user_factory):
    other_officer = await database_sync_to_async(staff)(other_desk, role="officer")
    async with socket("/ws/requests/queue/", user=officer) as mine, socket(
        "/ws/requests/queue/", user=other_officer
    ) as theirs:
        assert (await mine.frame())["type"] == "queue.hello"
        assert (await theirs.frame())["type"] == "queue.hello"
        request = (await database_sync_to_async(file_request)()).request
        frame = await mine.frame()
        assert frame["type"] == "request.changed" and frame["number"] == request.tracking_number
        assert await theirs.communicator.receive_nothing(timeout=0.3)
        # Redirected to the other desk: both queues hear of it (it leaves one, joins the other).
        await database_sync_to_async(services.request_redirect)(
            actor=officer, request=request, desk=other_desk, reason="Santé."
        )
        assert (await mine.frame())["stage"] == "received"
        assert (await theirs.frame())["number"] == request.tracking_number


async def test_the_queue_refuses_citizens(citizen):
    async with socket("/ws/requests/queue/", user=citizen) as queue:
        assert (await queue.frame())["code"] == "forbidden"
        assert await queue.closed_with() == 4403
    async with socket("/ws/requests/queue/") as queue:
        assert (await queue.frame())["code"] == "login_required"


async def test_a_public_request_is_discussed_live(file_request, officer, site, user_factory, settings):
    """Its thread is deliberation's: a contribution reaches the readers' sockets at once."""
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0

    def prepare():
        page = site["institution"]["ar"].add_child(
            instance=PublicRequestsPage(title="اقتراحات", slug="public-requests")
        )
        page.save_revision().publish()
        request = file_request(kind="suggestion", public=True).request
        services.request_publication_moderate(actor=officer, request=request, publish=True)
        return page, thread_for_page(page=page, section_id=request.tracking_number)

    page, thread = await database_sync_to_async(prepare)()
    async with watching(thread.key) as reader:
        await database_sync_to_async(contribution_post)(
            author=await database_sync_to_async(user_factory)(), thread=thread,
            body="Bonne idée, et des bancs aussi.", idempotency_key=uuid.uuid4(),
        )
        [event] = await reader.events(1)
        assert event["type"] == "contribution.published"
        assert "Bonne idée, et des bancs aussi." in str(event)
