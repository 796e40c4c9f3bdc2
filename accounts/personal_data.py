"""A person's data rights: download everything stored about them, delete their account.

accounts sits near the bottom of the layers, so it knows nothing of contributions, requests or
ideas. Each app above plugs in here, from its ``AppConfig.ready()``:

- ``register_exporter(key, label, function)``: ``function(user=…)`` returns a JSON-ready list
  or dict of what the app stores about ``user``, and nothing about anyone else;
- ``register_eraser(key, function)``: ``function(user=…, remove_contributions=…)`` strips or
  removes what the app stores about ``user``; it runs in the erasure's transaction, before the
  account itself is deleted (so foreign keys with ``SET_NULL`` finish the job).

The policy each app follows is in docs/data-rights.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry

from accounts.models import DataRightsAction, DataRightsLog, Suspension, User
from accounts.refusals import Refused

EXPORT_FORMAT = "majlis-personal-data/1"


@dataclass(frozen=True)
class Exporter:
    key: str
    label: Any  # a lazy translated string: the section's title in the readable copy
    function: Callable[..., Any]


_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Callable[..., None]] = {}


def register_exporter(key: str, label, function: Callable[..., Any]) -> None:
    """Add an app's part of the export under ``key`` (registering a key again replaces it)."""
    _exporters[key] = Exporter(key, label, function)


def register_eraser(key: str, function: Callable[..., None]) -> None:
    """Add an app's part of the erasure (registering a key again replaces it)."""
    _erasers[key] = function


def exporters() -> list[Exporter]:
    return list(_exporters.values())


def iso(value: datetime.datetime | datetime.date | None) -> str | None:
    """A date as the export writes it (ISO 8601, UTC for times), or None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return value.isoformat()


# --- accounts' own part ------------------------------------------------------------------------


ACCOUNT_FIELDS = (
    "email", "display_name", "preferred_language", "governorate", "email_verified",
    "is_active", "is_staff", "date_joined", "last_login",
)
NOTIFICATION_FIELDS = ("notify_replies", "notify_moderation", "notify_closing_soon", "notify_outcomes")


def _account_export(*, user: User) -> dict:
    account = {}
    for name in ACCOUNT_FIELDS:
        value = getattr(user, name)
        account[name] = iso(value) if isinstance(value, datetime.datetime) else value
    account["id"] = user.pk
    account["groups"] = sorted(user.groups.values_list("name", flat=True))
    account["notification_settings"] = {name: getattr(user, name) for name in NOTIFICATION_FIELDS}
    account["suspensions"] = [
        {
            "reason": row.reason,
            "from": iso(row.starts_at),
            "until": iso(row.ends_at),
            "lifted_at": iso(row.lifted_at),
        }
        for row in Suspension.objects.filter(user=user).order_by("starts_at")
    ]
    # Wagtail's log entries that name the account as the one who acted (staff mostly).
    account["log_entries"] = [
        {"action": action, "at": iso(when), "label": label}
        for model in (PageLogEntry, ModelLogEntry)
        for action, when, label in model.objects.filter(user=user)
        .order_by("timestamp")
        .values_list("action", "timestamp", "label")
    ]
    account["sessions_open"] = len(_session_keys(user))
    return account


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _session_keys(user: User) -> list[str]:
    """The keys of the database sessions logged in as ``user`` (other engines keep none here)."""
    store = _session_store()
    if not hasattr(store, "get_model_class"):
        return []
    model = store.get_model_class()
    keys = []
    for row in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(store().decode(row.session_data).get(SESSION_KEY)) == str(user.pk):
            keys.append(row.session_key)
    return keys


def _account_erase(*, user: User, remove_contributions: bool) -> None:
    store = _session_store()
    if hasattr(store, "get_model_class"):
        store.get_model_class().objects.filter(session_key__in=_session_keys(user)).delete()
    # Wagtail's logs keep the act and drop who did it (their foreign key does nothing itself).
    PageLogEntry.objects.filter(user=user).update(user=None)
    ModelLogEntry.objects.filter(user=user).update(user=None)
    # What the logs say about the account as an object (its creation, edits in the user admin).
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()


register_exporter("account", _("Your account"), _account_export)


# --- the services ------------------------------------------------------------------------------


def user_data_export(*, user: User, actor: User | None = None, note: str = "") -> dict:
    """Everything stored about ``user``, by app, ready for JSON; logged when staff export it."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "generated_at": iso(timezone.now()),
        "notice": gettext(
            "Everything Majlis stores about your account. Names of other people are left out, "
            "except the public titles of the pages where you took part."
        ),
    }
    for exporter in exporters():
        data[exporter.key] = exporter.function(user=user)
    DataRightsLog.objects.create(
        action=DataRightsAction.EXPORT,
        subject_id=user.pk,
        actor=actor if actor is not None and actor.pk != user.pk else None,
        by_staff=actor is not None and actor.pk != user.pk,
        note=note,
    )
    return data


def erasure_refusal(*, user: User) -> str | None:
    """Why ``user`` cannot be deleted here (a translated message), or None."""
    if user.is_staff or user.is_superuser:
        return gettext(
            "A staff account is deleted by an administrator in the user administration, "
            "once its responsibilities have been handed over."
        )
    return None


@transaction.atomic
def user_erase(
    *, user: User, remove_contributions: bool = False, actor: User | None = None, note: str = ""
) -> int:
    """Delete ``user``'s account and the personal data every app holds about it.

    ``remove_contributions``: the person asked that their contributions be removed; those no
    reply, citation, official mark or moderation record depends on are removed, the others stay
    as written by a deleted account. Returns the former account number. Logged.
    """
    refusal = erasure_refusal(user=user)
    if refusal:
        raise Refused(refusal)
    subject_id = user.pk
    by_staff = actor is not None and actor.pk != user.pk
    for key, eraser in list(_erasers.items()):
        eraser(user=user, remove_contributions=remove_contributions)
    _account_erase(user=user, remove_contributions=remove_contributions)
    user.delete()
    DataRightsLog.objects.create(
        action=DataRightsAction.ERASE,
        subject_id=subject_id,
        actor=actor if by_staff else None,
        by_staff=by_staff,
        note=note,
    )
    return subject_id


def _html(value) -> str:
    """One exported value as nested HTML lists, every text escaped (what people wrote)."""
    if isinstance(value, dict):
        if not value:
            return "—"
        rows = "".join(
            f"<dt>{escape(key)}</dt><dd>{_html(item)}</dd>" for key, item in value.items()
        )
        return f"<dl>{rows}</dl>"
    if isinstance(value, list):
        if not value:
            return "—"
        return "<ol>" + "".join(f"<li>{_html(item)}</li>" for item in value) + "</ol>"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return escape(gettext("yes") if value else gettext("no"))
    return f'<span dir="auto">{escape(value)}</span>'


def export_sections(data: dict) -> list[tuple[str, str]]:
    """(title, HTML) for each app's part of ``data``, for the readable copy."""
    return [
        (str(exporter.label), mark_safe(_html(data.get(exporter.key))))
        for exporter in exporters()
    ]
