"""The conditions ``seed_demo`` runs under, as settings set for the time of a block.

A one-off command's process is the only place these are set: never a server's.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

GENEROUS_RATE = ["100000/minute"]
_UNSET = object()


@contextmanager
def settings_set(**values) -> Iterator[None]:
    """Set the named settings inside the block; restore them (or their absence) after it."""
    saved = {name: getattr(settings, name, _UNSET) for name in values}
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is _UNSET:
                delattr(settings, name)
            else:
                setattr(settings, name, value)


def mail_dropped():
    """Emails are dropped: the demo's people have @majlis.test addresses, which do not exist."""
    return settings_set(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")


def posting_unlimited():
    """Rate limits and newcomers' pre-moderation lifted: a script is many people's weeks of
    posting, written in seconds."""
    return settings_set(
        DELIBERATION_POST_RATE_PER_ACCOUNT=GENEROUS_RATE,
        DELIBERATION_POST_RATE_PER_IP=GENEROUS_RATE,
        DELIBERATION_REACT_RATE_PER_ACCOUNT=GENEROUS_RATE,
        DELIBERATION_NEW_ACCOUNT_PREMODERATED=0,
    )


def newcomers_held():
    """A new account's first contribution waits for a moderator, as it does on the site."""
    return settings_set(DELIBERATION_NEW_ACCOUNT_PREMODERATED=1)
