"""The requests queue, a request's page, its actions and attachments, and the staff log in
the Wagtail admin, as an institution's officers and approvers use them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citizen_requests.roles import request_roles_ensure
from citizen_requests.models import CitizenRequest, RequestDesk, StaffAccessAction, StaffAccessLog
from citizen_requests.services import answer_draft, request_assign
from citizen_requests.stages import Stage
from tests.citizen_requests.conftest import PDF

pytestmark = pytest.mark.django_db

QUEUE = reverse("citizen_requests_admin_queue")


def detail_url(item):
    return reverse("citizen_requests_admin_detail", args=[item.tracking_number])


def act_url(item, action):
    return reverse("citizen_requests_admin_act", args=[item.tracking_number, action])


def numbers(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [row["data-tracking-number"] for row in soup.select("tr[data-tracking-number]")]


def tab_counts(response) -> dict[str, str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        tab["href"].split("stage=")[1].split("&")[0]: tab.select_one(".w-status").get_text(strip=True)
        for tab in soup.select(".requests-tabs a")
    }


def messages_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(node.get_text(" ", strip=True) for node in soup.select(".messages li"))


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to its home page."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def overdue(item, days=3):
    CitizenRequest.objects.filter(pk=item.pk).update(due_at=timezone.now() - datetime.timedelta(days=days))


# --- The queue --------------------------------------------------------------------------------


def test_the_menu_and_queue_are_for_desk_staff(client, officer, user_factory):
    client.force_login(officer)
    assert QUEUE in client.get(reverse("wagtailadmin_home")).content.decode()

    # In the admin, but handling no desk's requests.
    other = user_factory(is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(other)
    assert QUEUE not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert refused(client.get(QUEUE))


def test_the_queue_rereads_itself_when_its_socket_says_so(client, officer):
    client.force_login(officer)
    body = client.get(QUEUE).content.decode()
    assert 'data-live-socket="/ws/requests/queue/"' in body and "js/live_region.js" in body


def test_an_officer_sees_only_the_requests_of_their_desk(client, officer, other_desk, make_request):
    own = make_request(subject="Éclairage public")
    theirs = make_request(desk=other_desk, subject="Route nationale")
    client.force_login(officer)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert numbers(response) == [own.tracking_number]
    assert "Route nationale" not in response.content.decode()
    # Another desk's code in the filter is not a choice: nothing is shown rather than B's.
    response = client.get(QUEUE, {"desk": other_desk.code})
    assert theirs.tracking_number not in numbers(response)


def test_a_superuser_sees_every_desk_and_filters_by_desk(client, admin_user, desk, other_desk, make_request):
    own = make_request()
    theirs = make_request(desk=other_desk)
    client.force_login(admin_user)
    assert set(numbers(client.get(QUEUE))) == {own.tracking_number, theirs.tracking_number}
    assert numbers(client.get(QUEUE, {"desk": "MIN"})) == [theirs.tracking_number]


def test_filters_and_counts_per_stage(client, officer, approver, make_request):
    complaint = make_request(kind="complaint", governorate="TN-33")
    guidance = make_request(kind="guidance", governorate="TN-11")
    mine = make_request(kind="suggestion")
    request_assign(actor=officer, request=mine, assignee=officer)
    theirs = make_request(kind="notice")
    request_assign(actor=officer, request=theirs, assignee=approver)
    client.force_login(officer)

    response = client.get(QUEUE)
    assert set(numbers(response)) == {r.tracking_number for r in (complaint, guidance, mine, theirs)}
    counts = tab_counts(response)
    assert counts["open"] == "4"
    assert counts["received"] == "2"
    assert counts["assigned"] == "2"
    assert counts["answered"] == "0"

    assert numbers(client.get(QUEUE, {"kind": "guidance"})) == [guidance.tracking_number]
    assert numbers(client.get(QUEUE, {"governorate": "TN-33"})) == [complaint.tracking_number]
    assert numbers(client.get(QUEUE, {"assignee": "me"})) == [mine.tracking_number]
    assert set(numbers(client.get(QUEUE, {"assignee": "none"}))) == {complaint.tracking_number, guidance.tracking_number}
    assert set(numbers(client.get(QUEUE, {"stage": "assigned"}))) == {mine.tracking_number, theirs.tracking_number}
    # Counts follow the other filters.
    assert tab_counts(client.get(QUEUE, {"kind": "guidance"}))["open"] == "1"


def test_overdue_requests_are_flagged_and_filtered(client, officer, make_request):
    late = make_request(subject="En retard")
    on_time = make_request(subject="À temps")
    waiting_late = make_request(subject="Attend le citoyen")
    overdue(late)
    CitizenRequest.objects.filter(pk=waiting_late.pk).update(
        stage=Stage.WAITING, due_at=timezone.now() - datetime.timedelta(days=1)
    )
    client.force_login(officer)
    response = client.get(QUEUE)
    soup = BeautifulSoup(response.content, "html.parser")
    late_row = soup.select_one(f'tr[data-tracking-number="{late.tracking_number}"]')
    assert "requests-row--overdue" in late_row["class"]
    assert "Overdue" in late_row.get_text()
    # The clock is paused while waiting for the citizen: not overdue.
    for item in (on_time, waiting_late):
        row = soup.select_one(f'tr[data-tracking-number="{item.tracking_number}"]')
        assert "Overdue" not in row.get_text()
    assert "1 request is overdue" in response.content.decode()
    assert numbers(client.get(QUEUE, {"overdue": "on"})) == [late.tracking_number]
    # Nearest deadline first by default.
    assert numbers(response) == [late.tracking_number, waiting_late.tracking_number, on_time.tracking_number]


def test_sort_by_deadline_or_filed(client, officer, make_request):
    first = make_request()
    second = make_request()
    CitizenRequest.objects.filter(pk=first.pk).update(due_at=timezone.now() + datetime.timedelta(days=40))
    client.force_login(officer)
    assert numbers(client.get(QUEUE)) == [second.tracking_number, first.tracking_number]
    CitizenRequest.objects.filter(pk=second.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert numbers(client.get(QUEUE, {"sort": "filed"})) == [first.tracking_number, second.tracking_number]


def test_the_queue_queries_do_not_grow_with_the_requests(client, officer, approver, make_request):
    for _number in range(3):
        request_assign(actor=officer, request=make_request(), assignee=approver)
    client.force_login(officer)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    for _number in range(12):
        request_assign(actor=officer, request=make_request(), assignee=officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE)
    assert len(numbers(response)) == 15
    assert len(many) == len(few)


def test_the_queue_is_paginated_by_fifty(client, officer, make_request):
    for _number in range(51):
        make_request()
    client.force_login(officer)
    assert len(numbers(client.get(QUEUE))) == 50
    assert len(numbers(client.get(QUEUE, {"p": 2}))) == 1


# --- A request's page -------------------------------------------------------------------------


def test_the_page_shows_everything_and_logs_the_view(client, officer, make_request, citizen):
    item = make_request(files=[("scan.pdf", PDF)], address="12 نهج الحرية")
    client.force_login(officer)
    for _view in range(2):
        response = client.get(detail_url(item))
        assert response.status_code == 200
    page = response.content.decode()
    assert citizen.display_name in page
    assert citizen.email in page
    assert "12 نهج الحرية" in page
    assert "scan.pdf" in page
    assert item.text in page
    views = StaffAccessLog.objects.filter(request=item, user=officer, action=StaffAccessAction.VIEWED)
    assert views.count() == 2


def test_an_anonymous_report_shows_no_one(client, officer, make_request):
    item = make_request(author=None, kind="corruption")
    client.force_login(officer)
    response = client.get(detail_url(item))
    assert "Anonymous" in response.content.decode()


def test_another_institution_s_request_is_not_found(client, officer, other_desk, make_request, approver_of):
    theirs = make_request(desk=other_desk, files=[("scan.pdf", PDF)])
    attachment = theirs.attachments.get()
    client.force_login(officer)
    assert client.get(detail_url(theirs)).status_code == 404
    download = reverse("citizen_requests_admin_attachment", args=[theirs.tracking_number, attachment.pk])
    assert client.get(download).status_code == 404
    response = client.post(act_url(theirs, "note"), {"text": "Vu."})
    assert response.status_code == 404
    assert client.get(reverse("citizen_requests_admin_detail", args=["KEF-26-0000-0000"])).status_code == 404
    assert not StaffAccessLog.objects.filter(request=theirs).exists()
    assert not theirs.events.filter(kind="note").exists()


def test_the_attachment_is_streamed_and_its_opening_logged(client, officer, make_request):
    item = make_request(files=[("scan.pdf", PDF)])
    attachment = item.attachments.get()
    client.force_login(officer)
    response = client.get(reverse("citizen_requests_admin_attachment", args=[item.tracking_number, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "scan.pdf" in response["Content-Disposition"]
    assert StaffAccessLog.objects.filter(
        request=item, user=officer, action=StaffAccessAction.VIEWED_ATTACHMENT, detail="scan.pdf"
    ).exists()


def test_assign_to_me_then_to_a_colleague(client, officer, approver, make_request):
    item = make_request()
    client.force_login(officer)
    response = client.post(act_url(item, "assign"), {"assignee": officer.pk}, follow=True)
    assert "The request is assigned." in messages_text(response)
    item.refresh_from_db()
    assert (item.stage, item.assignee) == (Stage.ASSIGNED, officer)
    client.post(act_url(item, "assign"), {"assignee": approver.pk})
    item.refresh_from_db()
    assert item.assignee == approver


def test_assigning_to_someone_outside_the_desk_is_refused(client, officer, other_desk, officer_of, make_request):
    stranger = officer_of(other_desk)
    item = make_request()
    client.force_login(officer)
    response = client.post(act_url(item, "assign"), {"assignee": stranger.pk}, follow=True)
    assert "Nothing was changed." in messages_text(response)
    item.refresh_from_db()
    assert item.assignee is None and item.stage == Stage.RECEIVED


def test_move_ask_note_and_their_refusals(client, officer, make_request):
    item = make_request()
    client.force_login(officer)
    client.post(act_url(item, "assign"), {"assignee": officer.pk})
    response = client.post(act_url(item, "move"), {"stage": "in_progress"}, follow=True)
    assert "The request's stage is changed." in messages_text(response)
    response = client.post(act_url(item, "move"), {"stage": "out_of_scope", "reason": ""}, follow=True)
    assert "Say why the request is out of scope." in messages_text(response)
    item.refresh_from_db()
    assert item.stage == Stage.IN_PROGRESS

    response = client.post(act_url(item, "ask"), {"question": "Quel numéro de rue ?"}, follow=True)
    assert "the deadline is paused" in messages_text(response)
    item.refresh_from_db()
    assert item.stage == Stage.WAITING

    response = client.post(act_url(item, "note"), {"text": "Appelé le service technique."}, follow=True)
    assert "The note is added." in messages_text(response)
    page = response.content.decode()
    assert "Appelé le service technique." in page and "Internal" in page
    assert "Quel numéro de rue ?" in page


def test_draft_then_send_by_a_second_person(client, officer, approver, approver_of, desk, make_request):
    item = make_request()
    client.force_login(officer)
    client.post(act_url(item, "assign"), {"assignee": officer.pk})
    # An officer may draft but not send.
    client.post(act_url(item, "draft"), {"answer": "La lampe sera changée lundi."})
    response = client.get(detail_url(item))
    assert act_url(item, "send") not in response.content.decode()
    response = client.post(act_url(item, "send"), follow=True)
    assert "Only an approver" in messages_text(response)

    # The approver who drafts cannot send their own draft.
    client.force_login(approver)
    client.post(act_url(item, "draft"), {"answer": "La lampe sera changée mardi."})
    assert act_url(item, "send") not in client.get(detail_url(item)).content.decode()
    response = client.post(act_url(item, "send"), follow=True)
    assert "second person" in messages_text(response)
    item.refresh_from_db()
    assert item.stage == Stage.ASSIGNED and not item.answer

    second = approver_of(desk, display_name="Second Approver")
    client.force_login(second)
    assert act_url(item, "send") in client.get(detail_url(item)).content.decode()
    response = client.post(act_url(item, "send"), follow=True)
    assert "The answer is sent to the citizen." in messages_text(response)
    item.refresh_from_db()
    assert item.stage == Stage.ANSWERED
    assert item.answer == "La lampe sera changée mardi."
    assert item.answered_by == second


def test_an_answered_request_cannot_go_back_to_received(client, officer, approver, make_request):
    item = make_request()
    request_assign(actor=officer, request=item, assignee=officer)
    answer_draft(actor=officer, request=item, text="Réglé.")
    client.force_login(approver)
    client.post(act_url(item, "send"))
    item.refresh_from_db()
    assert item.stage == Stage.ANSWERED
    response = client.get(detail_url(item))
    soup = BeautifulSoup(response.content, "html.parser")
    offered = [option["value"] for option in soup.select('select[name="stage"] option')]
    assert "received" not in offered and offered == ["closed"]
    response = client.post(act_url(item, "move"), {"stage": "received"}, follow=True)
    assert "cannot become" in messages_text(response)
    item.refresh_from_db()
    assert item.stage == Stage.ANSWERED


def test_redirect_to_another_institution(client, officer, other_desk, officer_of, make_request):
    item = make_request()
    client.force_login(officer)
    response = client.post(
        act_url(item, "redirect"), {"desk": other_desk.pk, "reason": "Route nationale : ministère."}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    item.refresh_from_db()
    assert item.desk == other_desk and item.stage == Stage.RECEIVED
    assert client.get(detail_url(item)).status_code == 404
    client.force_login(officer_of(other_desk))
    assert numbers(client.get(QUEUE)) == [item.tracking_number]


def test_a_redirect_without_a_reason_is_refused(client, officer, other_desk, make_request):
    item = make_request()
    client.force_login(officer)
    response = client.post(act_url(item, "redirect"), {"desk": other_desk.pk, "reason": ""}, follow=True)
    assert "Nothing was changed." in messages_text(response)
    item.refresh_from_db()
    assert item.desk.code == "KEF"


# --- The staff log ----------------------------------------------------------------------------


def test_the_staff_log_is_for_the_desk_s_approvers(client, officer, approver, other_desk, approver_of, make_request):
    item = make_request()
    client.force_login(officer)
    client.get(detail_url(item))
    client.post(act_url(item, "note"), {"text": "Vu."})
    log = reverse("citizen_requests_admin_log", args=["KEF"])
    assert refused(client.get(log))

    client.force_login(approver)
    response = client.get(log)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = [row.get_text(" ", strip=True) for row in soup.select("tbody tr")]
    assert len(rows) == 2
    assert "Added an internal note" in rows[0] and "Viewed the request" in rows[1]
    assert all("Salma Officer" in row and item.tracking_number in row for row in rows)

    client.force_login(approver_of(other_desk))
    assert client.get(log).status_code == 404


# --- Request desks ----------------------------------------------------------------------------


def test_a_superuser_creates_a_desk_and_its_officers_group(client, admin_user, site):
    client.force_login(admin_user)
    institution = site["institution"]["ar"]
    response = client.post(
        reverse("request_desks:add"),
        {"institution": institution.pk, "code": "KEF", "accepts_requests": "on",
         "guidance_days": "10", "reminder_after_days": "5"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    desk = RequestDesk.objects.get(code="KEF")
    assert desk.deadline_days("guidance") == 10
    group = Group.objects.get(name="Request officers: el-kef")
    assert group.permissions.filter(codename="access_admin").exists()


def test_request_roles_ensure_is_idempotent(desk):
    request_roles_ensure(desk=desk)
    request_roles_ensure(desk=desk)
    assert Group.objects.filter(name="Request officers: el-kef").count() == 1


def test_staff_publish_or_refuse_what_a_citizen_asked_to_make_public(client, officer, make_request):
    asked = make_request(kind="suggestion", public=True)
    private = make_request(kind="suggestion")
    client.force_login(officer)
    assert act_url(private, "publish") not in client.get(detail_url(private)).content.decode()
    assert act_url(asked, "publish") in client.get(detail_url(asked)).content.decode()
    # A refusal needs its reason; nothing changes without it.
    response = client.post(act_url(asked, "publish"), {"publish": "no", "reason": ""}, follow=True)
    asked.refresh_from_db()
    assert asked.publicity == "pending" and "Say why" in messages_text(response)
    client.post(act_url(asked, "publish"), {"publish": "yes"})
    asked.refresh_from_db()
    assert asked.publicity == "public"
    response = client.post(act_url(private, "publish"), {"publish": "yes"}, follow=True)
    private.refresh_from_db()
    assert private.publicity == "private" and "not waiting for publication" in messages_text(response)
