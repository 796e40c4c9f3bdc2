"""The conditions ``seed_demo`` runs under, set for the time of a block: settings, the clock,
a published secret code.

A one-off command's process is the only place these are set: never a server's.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from citizen_requests import tracking

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


def filing_unlimited():
    """Citizens file requests without the per-account limit (the demo's are weeks apart, but
    filed in seconds)."""
    return settings_set(CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT=GENEROUS_RATE)


@contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
    """Inside the block, ``timezone.now()`` reads as if it were ``moment`` (and runs on from
    there), both where code calls it and where it is a model field's default: what the
    services date (a filing, a deadline, a timeline line, a staff log entry) is dated then.

    The demo's requests are filed and handled days apart; the services take their dates from
    ``timezone.now()``, so this is the one way to give them a true history without writing
    their dates by hand afterwards (which would leave deadlines and timelines disagreeing).
    """
    real_now = timezone.now
    started = real_now()

    def now() -> datetime.datetime:
        return moment + (real_now() - started)

    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is real_now
    ]
    # ``Field._get_default`` is a cached property: the instance's own value shadows it.
    saved = [(field, field.__dict__.get("_get_default", _UNSET)) for field in fields]
    timezone.now = now
    for field in fields:
        field.__dict__["_get_default"] = now
    try:
        yield
    finally:
        timezone.now = real_now
        for field, value in saved:
            if value is _UNSET:
                field.__dict__.pop("_get_default", None)
            else:
                field.__dict__["_get_default"] = value


@contextmanager
def secret_code_given(code: str) -> Iterator[None]:
    """A request filed inside the block gets ``code`` as its secret code instead of a drawn
    one: the demo's anonymous report can be followed with a code printed like the password."""
    drawn = tracking.secret_code_new
    tracking.secret_code_new = lambda: code
    try:
        yield
    finally:
        tracking.secret_code_new = drawn
