"""Reminders about overdue requests (``manage.py send_request_reminders``, run daily by cron).

Each overdue request's assignee (or, while nobody has it, its desk's officers) is reminded at
most once a day; once it is ``desk.reminder_after_days`` overdue, the institution's approvers
are told once. Each person gets one e-mail per run listing their requests. Every reminder is
claimed (``RequestReminder``) before the e-mails go out, so a rerun the same day, or a run
beside this one, sends nothing again; a claim whose e-mails all failed is released.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import absolute_url, user_mail_send
from citizen_requests.models import CitizenRequest, ReminderKind, RequestDesk, RequestReminder
from citizen_requests.roles import desk_staff
from citizen_requests.rules import staff_role
from citizen_requests.services import requests_overdue

logger = logging.getLogger(__name__)
FOLDER = "citizen_requests/email"
DETAIL_URL_NAME = "citizen_requests_admin_detail"


@dataclass(frozen=True)
class RemindersSent:
    overdue: int  # e-mails to assignees and officers
    escalated: int  # e-mails to approvers


def _claim(request: CitizenRequest, kind: str, key: str, now: datetime.datetime) -> RequestReminder | None:
    try:
        with transaction.atomic():
            return RequestReminder.objects.create(request=request, kind=kind, key=key, sent_at=now)
    except IntegrityError:
        return None


def _reachable(users) -> list:
    return [user for user in users if user.is_active and user.email]


class _Staff:
    """The officers and approvers of each desk, read once per run."""

    def __init__(self):
        self._cache: dict[tuple[int, bool], list] = {}
        # One instance per account, so that rules.staff_role reads its groups once.
        self._users: dict[int, object] = {}

    def of(self, desk: RequestDesk, *, approvers: bool) -> list:
        key = (desk.pk, approvers)
        if key not in self._cache:
            self._cache[key] = _reachable(desk_staff(desk=desk, approvers=approvers, officers=not approvers))
        return self._cache[key]

    def daily(self, request: CitizenRequest) -> list:
        """The assignee while they still work at the desk; else its officers (its approvers
        when it has none)."""
        assignee = request.assignee
        if assignee is not None:
            assignee = self._users.setdefault(assignee.pk, assignee)
        if assignee is not None and _reachable([assignee]) and staff_role(assignee, request.desk):
            return [assignee]
        return self.of(request.desk, approvers=False) or self.of(request.desk, approvers=True)


def _item(request: CitizenRequest, now: datetime.datetime) -> dict:
    return {
        "request": request,
        "days_overdue": max(1, (now - request.due_at).days),
        "link": absolute_url(reverse(DETAIL_URL_NAME, args=[request.tracking_number])),
    }


def _round(kind: str, claims: dict, now: datetime.datetime, connection) -> int:
    """E-mail each recipient their claimed requests; release the claims nobody got."""
    by_user: dict[int, tuple] = {}
    for claim, recipients in claims.values():
        for user in recipients:
            by_user.setdefault(user.pk, (user, []))[1].append(_item(claim.request, now))
    delivered: set[int] = set()
    sent = 0
    for user, items in by_user.values():
        try:
            user_mail_send(
                user=user, folder=FOLDER, template=kind,
                context={"items": items, "count": len(items)}, connection=connection,
            )
        except Exception:  # noqa: BLE001 — the others are still reminded; the claim is released
            logger.exception("Could not e-mail the %s reminder to user %s", kind, user.pk)
            continue
        sent += 1
        delivered.update(item["request"].pk for item in items)
    for request_pk, (claim, _recipients) in claims.items():
        if request_pk not in delivered:
            claim.delete()
    return sent


def reminders_send(*, now: datetime.datetime | None = None) -> RemindersSent:
    """Send the day's reminders about overdue requests; returns how many e-mails went out."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    overdue = list(
        requests_overdue(now=now).select_related("desk__institution", "assignee").order_by("due_at", "pk")
    )
    staff = _Staff()
    daily, escalated = {}, {}
    for request in overdue:
        recipients = staff.daily(request)
        if recipients and (claim := _claim(request, ReminderKind.OVERDUE, day, now)):
            daily[request.pk] = (claim, recipients)
        if now - request.due_at <= datetime.timedelta(days=request.desk.reminder_after_days):
            continue
        approvers = staff.of(request.desk, approvers=True)
        key = f"{request.desk.code}:{request.due_at.isoformat()}"
        if approvers and (claim := _claim(request, ReminderKind.ESCALATED, key, now)):
            escalated[request.pk] = (claim, approvers)
    with get_connection() as connection:
        return RemindersSent(
            overdue=_round(ReminderKind.OVERDUE, daily, now, connection),
            escalated=_round(ReminderKind.ESCALATED, escalated, now, connection),
        )
