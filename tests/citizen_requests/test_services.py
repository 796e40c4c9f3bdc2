"""The rules of a request's life: filing, stages, the deadline clock, redirects, answers
checked by a second person, the staff log and the citizen's e-mails."""

import datetime
import itertools

import pytest
from django.core import mail
from django.utils import timezone

from citizen_requests import services
from citizen_requests.models import CitizenRequest, RequestAttachment, RequestEvent, StaffAccessLog
from citizen_requests.services import Invalid, NotFound, RateLimited, Refused
from citizen_requests.stages import TRANSITIONS, Role, Stage, may_move
from citizen_requests.tracking import normalize
from tests.citizen_requests.conftest import staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class Clock:
    """``timezone.now`` frozen, moved by hand."""

    def __init__(self, monkeypatch):
        self.now = timezone.now().replace(microsecond=0)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.mark.parametrize("kind", ["complaint", "guidance", "suggestion", "notice", "corruption"])
def test_every_kind_is_filed_with_a_number_a_code_a_deadline_and_a_receipt(
    file_request, kind, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_request(kind=kind)
    request = filed.request
    assert normalize(request.tracking_number) == request.tracking_number
    assert request.tracking_number.startswith("KEF-")
    assert filed.secret_code and filed.secret_code.replace("-", "") not in request.secret_digest
    assert request.stage == Stage.RECEIVED
    days = {"complaint": 30, "guidance": 15, "suggestion": 30, "notice": 15, "corruption": 30}[kind]
    assert request.due_at - request.created_at == datetime.timedelta(days=days)
    assert [e.kind for e in request.events.all()] == ["filed"]
    [receipt] = mail.outbox
    assert request.tracking_number in receipt.subject + receipt.body


def test_a_desk_sets_its_own_deadline_per_kind(file_request, desk):
    desk.guidance_days = 10
    desk.save()
    request = file_request(kind="guidance").request
    assert request.due_at - request.created_at == datetime.timedelta(days=10)


def test_i_do_not_know_the_institution_sends_it_to_the_triage_desk(file_request, triage_desk):
    assert file_request(desk=None).request.desk == triage_desk


def test_an_anonymous_corruption_report_keeps_nothing_identifying(file_request, desk):
    filed = file_request(author=None, kind="corruption", client_ip="203.0.113.9", idempotency_key=None)
    row = CitizenRequest.objects.filter(pk=filed.request.pk).values().get()
    assert row["author_id"] is None and row["idempotency_key"] is None and row["notify"] is False
    stored = " ".join(str(value) for value in row.values())
    assert "203.0.113.9" not in stored
    for event in RequestEvent.objects.filter(request=filed.request).values():
        assert event["actor_id"] is None and "203.0.113.9" not in " ".join(map(str, event.values()))
    assert not StaffAccessLog.objects.exists()
    assert mail.outbox == []


def test_only_corruption_reports_may_be_anonymous(file_request):
    with pytest.raises(Refused):
        file_request(author=None, kind="complaint")
    assert not CitizenRequest.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "petition"}, "kind"),
        ({"subject": "  "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"text": ""}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"governorate": "TN-99"}, "governorate"),
        ({"latitude": 36.1}, "latitude"),
        ({"latitude": 95, "longitude": 8.7}, "latitude"),
        ({"files": [("note.pdf", b"just text, not a PDF")]}, "attachments"),
        ({"files": [("a.pdf", PDF)] * 6}, "attachments"),
        ({"files": [("big.pdf", PDF + b"0" * (5 * 1024 * 1024))]}, "attachments"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_is_stored(file_request, fields, field):
    with pytest.raises(Invalid) as refusal:
        file_request(**fields)
    assert refusal.value.field == field and refusal.value.message
    assert not CitizenRequest.objects.exists() and not RequestAttachment.objects.exists()


def test_attachments_are_typed_by_their_content_and_kept_outside_the_media(file_request, settings):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
    request = file_request(files=[("scan.jpg", png), ("letter.pdf", PDF)]).request
    kinds = [(a.name, a.content_type) for a in request.attachments.all()]
    assert kinds == [("scan.jpg", "image/png"), ("letter.pdf", "application/pdf")]
    for attachment in request.attachments.all():
        assert attachment.file.path.startswith(settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT)
        assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
        with pytest.raises(ValueError):
            attachment.file.url  # noqa: B018 — no public URL


def test_the_same_idempotency_key_files_once(file_request, citizen):
    first = file_request(idempotency_key="6f1c2f3e-1111-4222-8333-944455556666")
    again = file_request(idempotency_key="6f1c2f3e-1111-4222-8333-944455556666")
    assert again.request == first.request and again.secret_code is None and not again.created
    assert CitizenRequest.objects.count() == 1


def test_filing_is_rate_limited_per_account(file_request, settings):
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["2/hour"]
    file_request()
    file_request()
    with pytest.raises(RateLimited):
        file_request()
    assert CitizenRequest.objects.count() == 2


# --- Following ---------------------------------------------------------------------------------


def test_a_request_is_found_by_its_number_and_code_only(file_request):
    filed = file_request()
    number = filed.request.tracking_number
    found = services.request_lookup(number=number.lower(), code=filed.secret_code, client_ip="198.51.100.1")
    assert found == filed.request
    messages = set()
    for typed_number, code in ((number, "AAAA-AAAA"), ("KEF-26-0000-0000", filed.secret_code), ("", "")):
        with pytest.raises(NotFound) as refusal:
            services.request_lookup(number=typed_number, code=code, client_ip="198.51.100.1")
        messages.add(refusal.value.message)
    assert len(messages) == 1  # no hint which part was wrong


def test_look_ups_are_rate_limited_per_number(file_request, settings):
    settings.CITIZEN_REQUESTS_LOOKUP_RATE_PER_NUMBER = ["3/hour"]
    number = file_request().request.tracking_number
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        with pytest.raises(NotFound):
            services.request_lookup(number=number, code="WRONG", client_ip=address)
    with pytest.raises(RateLimited):
        services.request_lookup(number=number, code="WRONG", client_ip="198.51.100.4")


# --- Stages ------------------------------------------------------------------------------------


def test_the_workflow_allows_exactly_its_listed_moves():
    allowed = {(a, b) for (a, b), roles in TRANSITIONS.items()}
    for from_stage, to_stage in itertools.product(Stage.values, repeat=2):
        for role in Role.values:
            if (from_stage, to_stage) not in allowed:
                assert not may_move(from_stage=from_stage, to_stage=to_stage, role=role)
    assert may_move(from_stage="in_progress", to_stage="answered", role="approver")
    assert not may_move(from_stage="in_progress", to_stage="answered", role="officer")
    assert not may_move(from_stage="answered", to_stage="received", role="approver")
    assert may_move(from_stage="received", to_stage="assigned", role="approver")


def test_a_request_goes_from_received_to_closed(
    file_request, officer, approver, citizen, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request().request
        services.request_assign(actor=officer, request=request, assignee=officer)
        services.request_move(actor=officer, request=request, stage="in_progress")
        services.answer_draft(actor=officer, request=request, text="أُصلح الأنبوب.")
        services.answer_send(actor=approver, request=request)
    request.refresh_from_db()
    assert request.stage == Stage.ANSWERED and request.answer == "أُصلح الأنبوب."
    services.request_feedback(user=citizen, request=request, useful=True)
    request.refresh_from_db()
    assert request.stage == Stage.CLOSED and request.useful is True
    public = list(request.events.filter(public=True).values_list("kind", flat=True))
    assert public == ["filed", "assigned", "stage", "answer_sent", "feedback"]
    assert "answer_drafted" in request.events.values_list("kind", flat=True)
    # One e-mail per change the citizen cares about: receipt, assigned, in progress, answer.
    assert len(mail.outbox) == 4


@pytest.mark.parametrize(
    "to_stage", ["received", "assigned", "waiting", "answered", "nonsense"]
)
def test_moves_the_workflow_does_not_allow_change_nothing(file_request, officer, approver, to_stage):
    request = file_request().request
    services.request_assign(actor=officer, request=request, assignee=officer)
    services.answer_draft(actor=officer, request=request, text="Réponse.")
    services.answer_send(actor=approver, request=request)
    request.refresh_from_db()
    events = request.events.count()
    with pytest.raises(Invalid):
        services.request_move(actor=approver, request=request, stage=to_stage)
    request.refresh_from_db()
    assert request.stage == Stage.ANSWERED and request.events.count() == events


def test_out_of_scope_needs_a_reason_the_citizen_reads(file_request, officer):
    request = file_request().request
    with pytest.raises(Invalid):
        services.request_move(actor=officer, request=request, stage="out_of_scope")
    services.request_move(actor=officer, request=request, stage="out_of_scope", reason="Compétence de l'État.")
    event = request.events.get(kind="stage")
    assert event.public and event.text == "Compétence de l'État."


def test_an_answer_is_sent_by_a_second_person_with_the_approver_role(file_request, officer, approver, desk):
    request = file_request().request
    services.request_assign(actor=officer, request=request, assignee=officer)
    with pytest.raises(Invalid):
        services.answer_send(actor=approver, request=request)  # nothing drafted
    services.answer_draft(actor=approver, request=request, text="Réponse.")
    with pytest.raises(Refused):
        services.answer_send(actor=approver, request=request)  # the drafter
    with pytest.raises(Refused):
        services.answer_send(actor=officer, request=request)  # not an approver
    services.answer_send(actor=staff(desk, role="approver"), request=request)
    request.refresh_from_db()
    assert request.stage == Stage.ANSWERED


def test_the_clock_pauses_while_waiting_for_the_citizen(file_request, officer, citizen, clock):
    request = file_request(kind="guidance").request
    due = request.due_at
    services.request_assign(actor=officer, request=request, assignee=officer)
    clock.advance(days=3)
    services.request_ask(actor=officer, request=request, question="Quel est votre numéro de compteur ?")
    request.refresh_from_db()
    assert request.stage == Stage.WAITING and not request.is_overdue
    clock.advance(days=20)  # past the deadline, but the clock is paused
    request.refresh_from_db()
    assert not request.is_overdue
    assert request not in services.requests_overdue()
    services.request_citizen_reply(user=citizen, request=request, text="Compteur 4471.")
    request.refresh_from_db()
    assert request.stage == Stage.IN_PROGRESS
    assert request.due_at == due + datetime.timedelta(days=20)
    assert not request.is_overdue
    clock.advance(days=13)
    assert request.is_overdue and request in services.requests_overdue()


def test_a_citizen_adds_information_without_changing_the_stage(file_request, citizen):
    request = file_request().request
    event = services.request_citizen_reply(
        user=citizen, request=request, text="Photo jointe.", files=[("photo.pdf", PDF)]
    )
    request.refresh_from_db()
    assert event.kind == "information" and request.stage == Stage.RECEIVED
    assert request.attachments.get().event == event


def test_someone_else_cannot_act_as_the_citizen(file_request, user_factory):
    request = file_request().request
    with pytest.raises(NotFound):
        services.request_citizen_reply(user=user_factory(), request=request, text="Moi aussi.")
    services.request_citizen_reply(user=None, request=request, text="Par le code.", by_code=True)


def test_a_redirect_sends_the_request_to_another_institution_with_its_reason(
    file_request, officer, other_desk, clock, django_capture_on_commit_callbacks
):
    request = file_request(kind="complaint").request
    services.request_assign(actor=officer, request=request, assignee=officer)
    clock.advance(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_redirect(actor=officer, request=request, desk=other_desk, reason="La santé relève du ministère.")
    request.refresh_from_db()
    assert request.desk == other_desk and request.stage == Stage.RECEIVED and request.assignee is None
    assert request.due_at == clock.now + datetime.timedelta(days=30)
    event = request.events.get(kind="redirected")
    assert event.public and event.to_desk == other_desk and event.text == "La santé relève du ministère."
    # The first institution's officer no longer reaches it.
    with pytest.raises(NotFound):
        services.request_move(actor=officer, request=request, stage="in_progress")
    assert "وزارة التجهيز" in mail.outbox[-1].body


def test_an_officer_of_another_institution_cannot_touch_a_request(file_request, other_desk):
    request = file_request().request
    stranger = staff(other_desk, role="approver")
    for action in (
        lambda: services.request_assign(actor=stranger, request=request, assignee=stranger),
        lambda: services.request_ask(actor=stranger, request=request, question="?"),
        lambda: services.request_note(actor=stranger, request=request, text="!"),
        lambda: services.staff_view_record(user=stranger, request=request),
    ):
        with pytest.raises(NotFound):
            action()
    assert not StaffAccessLog.objects.exists() and request.events.count() == 1


def test_a_request_is_assigned_only_to_staff_of_its_institution(file_request, officer, other_desk):
    request = file_request().request
    with pytest.raises(Invalid):
        services.request_assign(actor=officer, request=request, assignee=staff(other_desk, role="officer"))


def test_internal_notes_and_drafts_are_never_public(file_request, officer):
    request = file_request().request
    services.request_assign(actor=officer, request=request, assignee=officer)
    services.request_note(actor=officer, request=request, text="Appeler la SONEDE.")
    services.answer_draft(actor=officer, request=request, text="Brouillon.")
    texts = list(request.events.filter(public=True).values_list("text", flat=True))
    assert "Appeler la SONEDE." not in texts and "Brouillon." not in texts


def test_a_request_is_reopened_once_within_the_period(file_request, officer, approver, desk, citizen, clock):
    request = file_request().request
    services.request_assign(actor=officer, request=request, assignee=officer)
    services.answer_draft(actor=officer, request=request, text="Réponse.")
    services.answer_send(actor=approver, request=request)
    clock.advance(days=3)
    services.request_reopen(user=citizen, request=request, reason="Toujours pas d'eau.")
    request.refresh_from_db()
    assert request.stage == Stage.IN_PROGRESS and request.reopened
    services.answer_draft(actor=officer, request=request, text="Réparé.")
    services.answer_send(actor=approver, request=request)
    with pytest.raises(Invalid):
        services.request_reopen(user=citizen, request=request, reason="Encore.")


def test_a_request_cannot_be_reopened_after_the_period(file_request, officer, approver, citizen, clock):
    request = file_request().request
    services.request_assign(actor=officer, request=request, assignee=officer)
    services.answer_draft(actor=officer, request=request, text="Réponse.")
    services.answer_send(actor=approver, request=request)
    clock.advance(days=16)
    with pytest.raises(Invalid):
        services.request_reopen(user=citizen, request=request, reason="Trop tard.")


def test_every_staff_action_and_view_is_logged_and_the_log_is_append_only(file_request, officer, approver):
    request = file_request().request
    services.staff_view_record(user=officer, request=request)
    services.request_assign(actor=officer, request=request, assignee=officer)
    services.request_note(actor=officer, request=request, text="Note.")
    services.answer_draft(actor=officer, request=request, text="Réponse.")
    services.answer_send(actor=approver, request=request)
    log = list(StaffAccessLog.objects.order_by("pk").values_list("user__display_name", "action"))
    assert log == [
        ("Salma Officer", "viewed"), ("Salma Officer", "assigned"), ("Salma Officer", "noted"),
        ("Salma Officer", "drafted"), ("Hedi Approver", "sent"),
    ]
    row = StaffAccessLog.objects.first()
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


def test_the_citizen_may_turn_off_the_mails_the_law_does_not_require(
    file_request, officer, approver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file_request(notify=False).request
        services.request_assign(actor=officer, request=request, assignee=officer)
        services.request_move(actor=officer, request=request, stage="in_progress")
        services.request_ask(actor=officer, request=request, question="Adresse exacte ?")
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2  # the receipt and the question, not the assignment or progress
    assert "Adresse exacte ?" in mail.outbox[1].body


def test_an_assignment_takes_a_bounded_number_of_queries(file_request, officer, django_assert_max_num_queries):
    request = file_request().request
    with django_assert_max_num_queries(12):
        services.request_assign(actor=officer, request=request, assignee=officer)


def _through_the_service(request, to_stage, role, *, officer, approver, citizen, desk):
    """Make the move ``to_stage`` as ``role`` would, through its own service."""
    actor = {"officer": officer, "approver": approver}.get(role)
    if role == "citizen":
        if to_stage == Stage.IN_PROGRESS and request.stage == Stage.WAITING:
            return services.request_citizen_reply(user=citizen, request=request, text="Voici.")
        if to_stage == Stage.IN_PROGRESS:
            return services.request_reopen(user=citizen, request=request, reason="Pas réglé.")
        return services.request_feedback(user=citizen, request=request, useful=False)
    if to_stage == Stage.ASSIGNED:
        return services.request_assign(actor=actor, request=request, assignee=officer)
    if to_stage == Stage.WAITING:
        return services.request_ask(actor=actor, request=request, question="Une précision ?")
    if to_stage == Stage.ANSWERED:
        services.answer_draft(actor=officer, request=request, text="Réponse.")
        return services.answer_send(actor=actor, request=request)
    return services.request_move(actor=actor, request=request, stage=to_stage, reason="Motif.")


@pytest.mark.parametrize(
    "from_stage, to_stage, role",
    sorted((a, b, role) for (a, b), roles in TRANSITIONS.items() for role in roles),
)
def test_every_allowed_move_is_made_by_its_service(
    file_request, officer, approver, citizen, desk, from_stage, to_stage, role
):
    request = file_request().request
    answered = timezone.now() if from_stage in (Stage.ANSWERED, Stage.CLOSED) else None
    CitizenRequest.objects.filter(pk=request.pk).update(
        stage=from_stage, assignee=officer, answered_at=answered,
        waiting_since=timezone.now() if from_stage == Stage.WAITING else None,
    )
    request.refresh_from_db()
    assert may_move(from_stage=from_stage, to_stage=to_stage, role=role)
    _through_the_service(request, to_stage, role, officer=officer, approver=approver, citizen=citizen, desk=desk)
    request.refresh_from_db()
    assert request.stage == to_stage
