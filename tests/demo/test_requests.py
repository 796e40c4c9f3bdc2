"""The demo's citizen requests: every kind and stage at the three institutions' desks, in
three languages, with true histories; an overdue, a redirected and an anonymous one; public
suggestions and notices with supports and discussions; an officer and an approver per
institution."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import User
from citizen_requests import services
from citizen_requests.models import (
    CitizenRequest,
    Publicity,
    PublicRequestsPage,
    RequestDesk,
    RequestEvent,
    StaffAccessLog,
)
from citizen_requests.rules import staff_role
from citizen_requests.stages import EventKind, Kind, Role, Stage
from deliberation.models import Contribution
from demo.content.requests import ANONYMOUS_CODE
from signatures.selectors import active_certificate
from signatures.verification import verify_reference

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_of_every_kind_and_stage_in_three_languages(demo):
    requests = CitizenRequest.objects.all()
    assert set(requests.values_list("kind", flat=True)) == set(Kind.values)
    assert set(requests.values_list("stage", flat=True)) == set(Stage.values)
    assert set(requests.values_list("language", flat=True)) == {"ar", "fr", "en"}
    for desk in RequestDesk.objects.all():
        assert len(set(desk.requests.values_list("kind", flat=True))) >= 3, desk.code
    assert RequestDesk.objects.get(is_triage=True).institution.slug == "bcrc"


def test_each_institution_has_an_officer_and_an_approver_who_handle_its_requests(demo):
    for desk in RequestDesk.objects.select_related("institution"):
        slug = desk.institution.slug
        officer = User.objects.get(email=f"officer.{slug}@majlis.test")
        approver = User.objects.get(email=f"approver.{slug}@majlis.test")
        assert staff_role(officer, desk) == Role.OFFICER
        assert staff_role(approver, desk) == Role.APPROVER
        assert f"officer.{slug}@majlis.test" in demo and f"approver.{slug}@majlis.test" in demo
        others = RequestDesk.objects.exclude(pk=desk.pk)
        assert all(staff_role(officer, other) is None for other in others)
        # Both may open the admin, where the queue is.
        assert officer.has_perm("wagtailadmin.access_admin") and approver.has_perm("wagtailadmin.access_admin")


def test_answers_are_drafted_by_the_officer_and_sent_by_the_approver(demo):
    answered = CitizenRequest.objects.exclude(answer="").select_related("desk__institution")
    assert answered.count() >= 4
    for request in answered:
        slug = request.desk.institution.slug
        assert request.answer_drafted_by.email == f"officer.{slug}@majlis.test"
        assert request.answered_by.email == f"approver.{slug}@majlis.test"
    closed = CitizenRequest.objects.get(stage=Stage.CLOSED, useful=True)
    assert closed.events.filter(kind=EventKind.FEEDBACK, by_citizen=True).exists()


def test_answers_and_the_official_reply_are_signed_by_their_institution_and_verify(demo):
    assert "Demo CA and 3 demo signing certificates" in demo
    for desk in RequestDesk.objects.select_related("institution"):
        certificate = active_certificate(desk.institution)
        assert certificate is not None and certificate.is_demo, desk.code
    sent = RequestEvent.objects.filter(kind=EventKind.ANSWER_SENT).select_related(
        "request__desk__institution", "signed_document__institution"
    )
    assert sent.count() >= 4
    for event in sent:
        document, request = event.signed_document, event.request
        assert document is not None, request.tracking_number
        assert document.institution.translation_key == request.desk.institution.translation_key
        assert (document.reference, document.language) == (request.tracking_number, request.language)
        assert document.payload["text"] == event.text
        assert verify_reference(reference=document.reference, code=document.verification_code).valid
    [official] = Contribution.objects.filter(official=True).select_related("signed_document")
    document = official.signed_document
    assert document.reference == f"C-{official.pk}" and document.payload["text"] == official.body
    assert verify_reference(reference=document.reference, code=document.verification_code).valid


def test_histories_are_dated_step_by_step_and_logged(demo):
    for request in CitizenRequest.objects.all():
        times = list(request.events.values_list("at", flat=True))
        assert times == sorted(times) and times[0] == request.created_at
    waited = CitizenRequest.objects.get(
        kind=Kind.COMPLAINT, stage=Stage.IN_PROGRESS, events__kind=EventKind.CITIZEN_REPLY
    )
    asked = waited.events.get(kind=EventKind.QUESTION).at
    replied = waited.events.get(kind=EventKind.CITIZEN_REPLY).at
    assert (replied - asked).days >= 2
    days = waited.desk.deadline_days(Kind.COMPLAINT)
    # The deadline was pushed back by the days spent waiting for the citizen.
    assert waited.due_at == waited.created_at + datetime.timedelta(days=days) + (replied - asked)
    # The staff log is dated as the step it records, not at the time of seeding.
    logged = StaffAccessLog.objects.get(request=waited, action="assigned").at
    assigned = waited.events.get(kind=EventKind.ASSIGNED).at
    assert abs(logged - assigned) < datetime.timedelta(seconds=5)
    assert timezone.now() - logged > datetime.timedelta(days=20)


def test_the_demo_has_overdue_requests(demo):
    overdue = services.requests_overdue()
    assert overdue.count() >= 2
    assert all(request.is_overdue for request in overdue)
    assert overdue.filter(created_at__lt=timezone.now() - datetime.timedelta(days=25)).exists()


def test_a_request_filed_without_knowing_whom_to_ask_was_redirected(demo):
    request = CitizenRequest.objects.get(events__kind=EventKind.REDIRECTED)
    event = request.events.get(kind=EventKind.REDIRECTED)
    assert (event.from_desk.code, event.to_desk.code) == ("BCRC", "KEF")
    assert request.tracking_number.startswith("BCRC-") and request.desk.code == "KEF"
    assert request.stage == Stage.RECEIVED and request.assignee is None
    assert request.due_at > event.at  # KEF's deadline, counted from the redirect
    assert event.text


def test_the_anonymous_corruption_report_keeps_no_author_and_can_be_followed(demo):
    report = CitizenRequest.objects.get(author=None)
    assert report.kind == Kind.CORRUPTION and not report.notify
    assert report.stage == Stage.WAITING
    line = re.search(r"Anonymous corruption report (\S+), secret code (\S+)", demo)
    assert line.groups() == (report.tracking_number, ANONYMOUS_CODE)
    found = services.request_lookup(number=report.tracking_number, code="demo-2026", client_ip="")
    assert found == report


def test_public_suggestions_and_notices_have_supports_and_discussions(client, demo):
    public = CitizenRequest.objects.filter(publicity=Publicity.PUBLIC)
    assert set(public.values_list("kind", flat=True)) == {Kind.SUGGESTION, Kind.NOTICE}
    assert set(public.values_list("desk__code", flat=True)) == {"BCRC", "AGRI", "KEF"}
    for request in public:
        assert request.supporters_count == request.supports.count() >= 3
    discussed = [
        request
        for request in public
        if Contribution.objects.filter(thread__section_id=request.tracking_number).count() >= 2
    ]
    assert len(discussed) >= 3
    suggestion = public.get(desk__code="KEF", kind=Kind.SUGGESTION)
    for code in ("ar", "fr", "en"):
        page = PublicRequestsPage.objects.get(
            locale__language_code=code, url_path__contains="/el-kef/"
        )
        assert suggestion.subject in client.get(page.url).content.decode()
        url = page.url + page.reverse_subpage("section", args=[suggestion.tracking_number])
        body = client.get(url).content.decode()
        assert "Excellente idée" in body
