"""Stable identifiers of the demo: a draft section's block id, a contribution's or a request's
idempotency key.

All are uuid5 values, so they are the same in every language, version and run.
"""

import uuid

SECTIONS = uuid.UUID("6f1c1d0e-3b0a-4f43-9a43-1f8f3a0d2b77")
POSTS = uuid.UUID("0c5e7d52-93a1-4d0b-8f7e-5b0f2c1d9a44")


def section_id(slug: str, key: str) -> str:
    """The block id of the section ``key`` of the consultation ``slug``'s draft."""
    return str(uuid.uuid5(SECTIONS, f"{slug}:{key}"))


def post_key(thread_key: str, index: int) -> uuid.UUID:
    """The idempotency key of the ``index``-th item (in script order) of a thread's script."""
    return uuid.uuid5(POSTS, f"{thread_key}:{index}")


REQUESTS = uuid.UUID("3b9e2f4a-6c1d-4e8b-a5f0-7d2c9e1b4a63")


def request_key(key: str) -> uuid.UUID:
    """The idempotency key with which the demo request ``key`` is filed."""
    return uuid.uuid5(REQUESTS, key)
