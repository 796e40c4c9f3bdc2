"""Readiness: do the parts a request needs answer? (docs/api.md, "Health").

Liveness (``/api/health``) asks nothing of anyone: the process answers. Readiness
(``/api/health/ready``) asks the database, the channel layer and the cache, each at once and
each within ``READY_TIMEOUT`` seconds, and names each with its state and latency. A load
balancer polls readiness to route requests; a supervisor polls liveness to restart a process.
"""

import asyncio
import logging
import time
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)

READY_TIMEOUT = 3.0  # seconds for each part to answer


def _database() -> None:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # back to the pool: this thread may not serve another request


def _cache() -> None:
    key = f"majlis:ready:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


async def _channel_layer() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("majlis.ready.")
    await layer.send(channel, {"type": "ready.check"})
    message = await layer.receive(channel)
    if message.get("type") != "ready.check":
        raise RuntimeError("the channel layer returned another message")


async def _timed(name: str, check) -> tuple[str, dict]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), READY_TIMEOUT)
        state = "ok"
    except Exception as error:  # noqa: BLE001 — any failure means "not ready", never a 500
        logger.warning("Readiness: %s failed: %s: %s", name, type(error).__name__, error)
        state = "timeout" if isinstance(error, TimeoutError) else "error"
    return name, {"status": state, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


async def readiness() -> dict:
    """``{"status": "ok" | "unavailable", "checks": {part: {"status", "latency_ms"}}}``."""
    checks = dict(
        await asyncio.gather(
            _timed("database", sync_to_async(_database, thread_sensitive=False)),
            _timed("channel_layer", _channel_layer),
            _timed("cache", sync_to_async(_cache, thread_sensitive=False)),
        )
    )
    ready = all(check["status"] == "ok" for check in checks.values())
    return {"status": "ok" if ready else "unavailable", "checks": checks}
