"""Close codes as a browser receives them from a real daphne process (docs/realtime.md,
"Limits and close codes").

The in-process ``WebsocketCommunicator`` accepts any close code; daphne's websocket library
(autobahn) refuses to send codes other than 1000 and 3000–4999, and the client then sees
1006 and reconnects. Only a served socket proves which code reaches the client.
"""

import uuid

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from deliberation.services import thread_for_page
from tests.deliberation.servers import daphne_server, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)


async def _frames_until_closed(ws) -> list[dict]:
    import json

    frames = []
    try:
        async for text in ws:
            frames.append(json.loads(text))
    except ConnectionClosed:
        pass
    return frames


@pytest.fixture
def served_thread(make_consultation):
    return thread_for_page(page=make_consultation())


async def test_an_oversized_frame_reaches_the_client_as_4009_after_its_error_frame(served_thread):
    with daphne_server() as server:
        async with ws_connect(server.ws_url(f"/ws/threads/{served_thread.key}/?lang=en")) as ws:
            await ws.recv()  # thread.hello
            await ws.send(
                '{"type": "contribution.post", "request_id": "big", "parent": null, '
                f'"idempotency_key": "{uuid.uuid4()}", "body": "{"x" * 20000}"}}'
            )
            frames = await _frames_until_closed(ws)
            assert [f["code"] for f in frames if f["type"] == "error"] == ["too_big"]
            assert ws.close_code == 4009  # not 1006: the client must not reconnect
        assert "Traceback" not in server.log()


async def test_an_unknown_socket_path_is_refused_at_the_handshake_without_a_traceback(db):
    with daphne_server() as server:
        for path in ("/ws/threads/../../admin/", "/ws/nothing/", "/elsewhere/"):
            with pytest.raises(InvalidStatus) as refused:
                async with ws_connect(server.ws_url(path)):
                    pass
            assert refused.value.response.status_code == 403, path
        async with ws_connect(server.ws_url("/ws/health/")) as ws:
            assert '"health.ok"' in await ws.recv()  # the process is still serving
        assert "Traceback" not in server.log()
        assert " 500 " not in server.log()
