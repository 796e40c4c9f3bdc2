"""The /ws/health/ socket through the real ASGI application (origin check, session auth)."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(origin: bytes | None):
    headers = [(b"host", b"127.0.0.1:8000")]
    if origin is not None:
        headers.append((b"origin", origin))
    communicator = WebsocketCommunicator(application, "/ws/health/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_health_socket_accepts_an_allowed_origin_and_answers_ping():
    communicator, connected = await connect(b"http://127.0.0.1:8000")
    try:
        assert connected
        hello = await communicator.receive_json_from()
        assert hello["type"] == "health.ok"
        assert hello["authenticated"] is False
        await communicator.send_json_to({"type": "ping"})
        assert (await communicator.receive_json_from())["type"] == "pong"
        await communicator.send_to(text_data="not json")
        error = await communicator.receive_json_from()
        assert error == {"type": "error", "code": "unknown_frame"}
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize("origin", [b"http://evil.example", b"https://127.0.0.1.evil.example", None])
async def test_health_socket_refuses_other_origins(origin):
    communicator, connected = await connect(origin)
    try:
        assert not connected
    finally:
        await communicator.disconnect()


async def test_health_socket_knows_the_logged_in_user(citizen):
    from channels.db import database_sync_to_async
    from django.test import Client

    client = Client()
    await database_sync_to_async(client.force_login)(citizen)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application,
        "/ws/health/",
        headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)],
    )
    try:
        connected, _ = await communicator.connect()
        assert connected
        assert (await communicator.receive_json_from())["authenticated"] is True
    finally:
        await communicator.disconnect()
