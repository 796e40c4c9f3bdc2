"""Rate limits on what people do, kept where the cache is: in memory, or in Redis.

Built on ``limits`` (fixed windows, several per action) rather than a cache hand-count: it is
framework-free, so the HTML views, the API and the websocket consumers share one limiter.
It lives in ``accounts``, the lowest app, so that log-in, sign-up and password reset here and
posting and reacting in ``deliberation`` count with the same machinery and storage.
"""

import ipaddress
import logging
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from limits import RateLimitItem, parse_many, storage, strategies

from accounts import conf

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The client's address as the ASGI server saw it (run daphne with --proxy-headers behind
    a proxy so this is the citizen's, not the proxy's)."""
    return request.META.get("REMOTE_ADDR", "")


def scope_client_ip(scope: dict) -> str:
    """``client_ip`` for an ASGI connection scope (a websocket): the same address, read where
    Django's ASGI handler reads ``REMOTE_ADDR`` from."""
    client = scope.get("client") or ("", 0)
    return client[0] or ""


def address_key(address: str) -> str:
    """How a client address is counted: an IPv4 address as itself, an IPv6 address by its /64
    network, the usual allocation of one subscriber, so that hopping between the addresses of
    one's own /64 escapes no limit."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@lru_cache(maxsize=1)
def _limiter() -> strategies.FixedWindowRateLimiter:
    uri = conf.get("ACCOUNTS_RATE_LIMIT_STORAGE") or getattr(settings, "REDIS_URL", "") or "memory://"
    return strategies.FixedWindowRateLimiter(storage.storage_from_string(uri))


def limiter_reset() -> None:
    """Forget every counter (tests, and after changing the limits)."""
    _limiter().storage.reset()


@dataclass(frozen=True)
class Exceeded:
    limit: RateLimitItem
    retry_after: int  # seconds


Identities = dict[str, tuple[str, list[str]]]


def _checks(identities: Identities):
    return [
        (item, kind, address_key(value) if kind == "ip" else value)
        for kind, (value, rates) in identities.items()
        if value
        for item in parse_many(";".join(rates))
    ]


def _exceeded(limiter, item: RateLimitItem, action: str, kind: str, value: str) -> Exceeded:
    reset = limiter.get_window_stats(item, "majlis", action, kind, value).reset_time
    return Exceeded(item, max(1, int(reset - time.time()) + 1))


def rate_limit_hit(*, action: str, identities: Identities) -> Exceeded | None:
    """Count one ``action`` for each identity (e.g. {"account": (id, rates), "ip": (addr,
    rates)}); returns the first limit exceeded. Each limit is tested and counted in one atomic
    step (``hit``), so concurrent requests cannot all slip through the last slot.

    If the counters' storage is unreachable (Redis down), the action is allowed and the error
    logged: a citizen's contribution is not refused because a counter could not be read.
    """
    limiter = _limiter()
    try:
        for item, kind, value in _checks(identities):
            if not limiter.hit(item, "majlis", action, kind, value):
                return _exceeded(limiter, item, action, kind, value)
    except Exception:  # noqa: BLE001 — any storage failure: fail open, loudly
        logger.exception("Rate-limit storage unavailable; allowing %s", action)
    return None


def rate_limit_clear(*, action: str, kind: str, value: str, rates: list[str]) -> None:
    """Forget one identity's count for ``action`` (e.g. an account's log-in attempts once it
    has logged in). Storage failures are logged, never raised."""
    limiter = _limiter()
    try:
        if kind == "ip":
            value = address_key(value)
        for item in parse_many(";".join(rates)):
            limiter.clear(item, "majlis", action, kind, value)
    except Exception:  # noqa: BLE001
        logger.exception("Rate-limit storage unavailable; could not clear %s", action)


# How an API documents a throttled answer's header (OpenAPI ``responses: {429: …}``).
RETRY_AFTER_OPENAPI = {
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
}
