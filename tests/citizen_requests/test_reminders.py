"""``send_request_reminders``: overdue requests remind their assignee (or the desk's officers)
once a day, and the approvers once past the desk's threshold; a rerun sends nothing again."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from citizen_requests.models import CitizenRequest, RequestReminder
from citizen_requests.reminders import RemindersSent, reminders_send
from citizen_requests.services import request_assign
from citizen_requests.stages import Stage

pytestmark = pytest.mark.django_db


def due(item, *, days_ago: float):
    CitizenRequest.objects.filter(pk=item.pk).update(due_at=timezone.now() - datetime.timedelta(days=days_ago))
    item.refresh_from_db()


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def run() -> str:
    out = io.StringIO()
    call_command("send_request_reminders", stdout=out)
    return out.getvalue()


def test_the_assignee_is_reminded_once_a_day(officer, approver, make_request):
    item = make_request(subject="Lampe cassée")
    request_assign(actor=approver, request=item, assignee=officer)
    due(item, days_ago=2)
    mail.outbox.clear()
    assert "1 overdue reminder(s)" in run()
    assert recipients() == [officer.email]
    assert item.tracking_number in mail.outbox[0].body
    assert f"/admin/requests/{item.tracking_number}/" in mail.outbox[0].body

    mail.outbox.clear()
    assert "0 overdue reminder(s)" in run()
    assert mail.outbox == []

    # The next day, again.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    sent = reminders_send(now=tomorrow)
    assert sent.overdue == 1 and recipients() == [officer.email]


def test_an_unassigned_request_reminds_the_desk_s_officers(desk, officer, officer_of, make_request):
    colleague = officer_of(desk, email="colleague@example.tn")
    first, second = make_request(), make_request()
    due(first, days_ago=1)
    due(second, days_ago=1)
    mail.outbox.clear()
    sent = reminders_send()
    # One e-mail per officer, listing both requests.
    assert sent.overdue == 2
    assert recipients() == sorted([officer.email, colleague.email])
    for message in mail.outbox:
        assert first.tracking_number in message.body and second.tracking_number in message.body


def test_requests_not_overdue_remind_no_one(officer, make_request):
    on_time = make_request()
    waiting = make_request()
    CitizenRequest.objects.filter(pk=waiting.pk).update(
        stage=Stage.WAITING, due_at=timezone.now() - datetime.timedelta(days=30)
    )
    mail.outbox.clear()
    assert reminders_send() == RemindersSent(overdue=0, escalated=0)
    assert mail.outbox == []
    assert not RequestReminder.objects.filter(request__in=[on_time, waiting]).exists()


def test_approvers_are_told_once_past_the_threshold(desk, officer, approver, other_desk, approver_of, make_request):
    elsewhere = approver_of(other_desk, email="min@example.tn")
    desk.reminder_after_days = 5
    desk.save()
    item = make_request()
    request_assign(actor=officer, request=item, assignee=officer)
    due(item, days_ago=4)
    mail.outbox.clear()
    assert reminders_send().escalated == 0
    assert recipients() == [officer.email]

    later = timezone.now() + datetime.timedelta(days=2)
    mail.outbox.clear()
    sent = reminders_send(now=later)
    assert (sent.overdue, sent.escalated) == (1, 1)
    assert recipients() == sorted([officer.email, approver.email])
    assert elsewhere.email not in recipients()
    escalation = next(message for message in mail.outbox if approver.email in message.to)
    assert item.tracking_number in escalation.body and "Salma Officer" in escalation.body

    # Once: not the next day either, while the assignee still is.
    mail.outbox.clear()
    sent = reminders_send(now=later + datetime.timedelta(days=1))
    assert (sent.overdue, sent.escalated) == (1, 0)
    assert recipients() == [officer.email]


def test_a_failed_e_mail_is_sent_on_the_next_run(officer, make_request, monkeypatch):
    item = make_request()
    request_assign(actor=officer, request=item, assignee=officer)
    due(item, days_ago=1)

    def broken(**kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("citizen_requests.reminders.user_mail_send", broken)
    assert reminders_send().overdue == 0
    assert not RequestReminder.objects.filter(request=item).exists()
    monkeypatch.undo()
    mail.outbox.clear()
    assert reminders_send().overdue == 1
    assert recipients() == [officer.email]
