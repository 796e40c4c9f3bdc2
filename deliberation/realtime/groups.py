"""The one place channel-layer group names are built (ASCII, at most 100 characters)."""

import hashlib

PREFIX = "majlis"


def _safe(name: str) -> str:
    # Thread keys are already ASCII and short; hash anything that is not, rather than fail.
    if len(name) <= 80 and all(c.isalnum() or c in "-_." for c in name):
        return name
    return hashlib.sha1(name.encode()).hexdigest()


def thread_group(thread_key: str) -> str:
    return f"{PREFIX}.thread.{_safe(thread_key)}"


def moderation_group(institution_key=None) -> str:
    """Moderators of one institution (by its translation key), or of all when None."""
    return f"{PREFIX}.moderation.{institution_key.hex if institution_key else 'all'}"


def user_group(user_id: int) -> str:
    return f"{PREFIX}.user.{user_id}"


def activity_group() -> str:
    """The front door's: told of each contribution published on a page anyone may read."""
    return f"{PREFIX}.activity"
