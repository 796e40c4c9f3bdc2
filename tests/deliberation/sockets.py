"""Test helpers for the websockets: a socket through the real ASGI application and what it
received (used by the consumer, private-discussion and restore tests)."""

from contextlib import asynccontextmanager

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")


def login_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


class Socket:
    """A connected thread or moderation socket and what it received."""

    def __init__(self, communicator):
        self.communicator = communicator

    async def frame(self, timeout: float = 3) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def frame_of(self, type_: str, timeout: float = 3) -> dict:
        """The next frame of ``type_``, skipping watcher counts and the like."""
        while True:
            frame = await self.frame(timeout)
            if frame["type"] == type_:
                return frame
            assert frame["type"] in ("thread.watchers", "pong"), frame

    async def events(self, count: int, timeout: float = 3) -> list[dict]:
        """The next ``count`` sequenced frames (skipping unsequenced ones)."""
        out = []
        while len(out) < count:
            frame = await self.frame(timeout)
            if "seq" in frame and frame["type"] != "thread.hello":
                out.append(frame)
        return out

    async def until(self, *types: str, timeout: float = 3) -> dict[str, dict]:
        """Read frames until one of each of ``types`` came (in whatever order): the ``ack`` of
        a post and the event it caused race each other."""
        seen: dict[str, dict] = {}
        while set(types) - set(seen):
            frame = await self.frame(timeout)
            if frame["type"] in types:
                assert frame["type"] not in seen, frame
                seen[frame["type"]] = frame
            else:
                assert frame["type"] == "thread.watchers", frame
        return seen

    async def nothing_more(self) -> None:
        """No sequenced frame is waiting (watcher counts may be)."""
        # receive_nothing, not a receive timing out: asgiref cancels the application then.
        while not await self.communicator.receive_nothing(timeout=0.3):
            frame = await self.frame()
            assert frame["type"] == "thread.watchers", frame

    async def send(self, frame) -> None:
        await self.communicator.send_json_to(frame)

    async def closed_with(self) -> int:
        while True:
            output = await self.communicator.receive_output(timeout=3)
            if output["type"] == "websocket.close":
                return output.get("code")


@asynccontextmanager
async def watching(key: str, *, user=None, since=None, lang="fr", origin=ORIGIN, hello=True, event=None):
    headers = [HOST, origin]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(login_cookie)(user)))
    query = f"?lang={lang}" + (f"&since={since}" if since is not None else "")
    query += f"&event={event}" if event is not None else ""
    communicator = WebsocketCommunicator(application, f"/ws/threads/{key}/{query}", headers=headers)
    try:
        connected, _ = await communicator.connect()
        assert connected
        socket = Socket(communicator)
        if hello:
            socket.hello = await socket.frame_of("thread.hello")
        yield socket
    finally:
        await communicator.disconnect()
