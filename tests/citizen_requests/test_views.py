"""The citizens' pages: filing every kind (anonymous corruption reports too), the receipt,
following a request by number and code, its page and forms, attachments, "My requests"."""

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from citizen_requests.models import (
    CitizenRequest,
    RequestAttachment,
    RequestEvent,
    StaffAccessAction,
    StaffAccessLog,
)
from citizen_requests.rules import officers_group_name
from citizen_requests.services import (
    answer_draft,
    answer_send,
    request_ask,
    request_assign,
    request_note,
)
from citizen_requests.stages import Kind, Stage
from tests.citizen_requests.conftest import PDF, PNG
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args, language="ar"):
    with translation.override(language):
        return reverse(f"citizen_requests:{name}", args=args)


def said(message_id: str, language: str, **values) -> str:
    """A message as the page writes it: translated, then escaped."""
    with translation.override(language):
        text = gettext(message_id)
    return escape(text % values if values else text)


def form_data(desk_, **fields):
    data = {
        "kind": "complaint",
        "desk": str(desk_.pk),
        "subject": "إنارة الشارع معطلة",
        "text": "الإنارة العمومية في نهج الحرية معطلة منذ شهر.",
        "governorate": "TN-33",
        "municipality": "الكاف",
        "address": "نهج الحرية",
        "latitude": "",
        "longitude": "",
        "notify": "on",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return data


def secret_code(response) -> str:
    codes = re.findall(r'class="receipt__code" dir="ltr">([^<]+)<', response.content.decode())
    return codes[1] if len(codes) > 1 else ""


# --- Filing -----------------------------------------------------------------------------------


def test_filing_page_offers_the_institutions_in_the_readers_language(client, citizen, desks):
    client.force_login(citizen)
    response = client.get(url("file", language="fr"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Municipalité du Kef" in body
    assert said("I don't know: send it to the office that routes requests", "fr") in body
    # The page may ask for the device's location; the others may not.
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "js/requests.js" in body


def test_institution_query_preselects_its_desk(client, citizen, desks, site):
    client.force_login(citizen)
    french_page = site["institution"]["fr"]
    response = client.get(url("file", language="fr") + f"?institution={french_page.pk}")
    assert f'<option value="{desks["kef"].pk}" selected>' in response.content.decode()


def test_institution_page_links_to_the_filing_form(client, desks, site):
    response = client.get(site["institution"]["en"].url)
    assert response.status_code == 200
    assert f'{url("file", language="en")}?institution={site["institution"]["en"].pk}' in response.content.decode()


@pytest.mark.parametrize("kind", [k for k in Kind.values if k != Kind.CORRUPTION])
def test_every_kind_is_filed_by_the_form(client, citizen, desks, kind):
    client.force_login(citizen)
    response = client.post(url("file"), form_data(desks["kef"], kind=kind))
    assert response.status_code == 200
    item = CitizenRequest.objects.get()
    assert (item.kind, item.author, item.desk, item.language) == (kind, citizen, desks["kef"], "ar")
    assert (item.governorate, item.municipality, item.address) == ("TN-33", "الكاف", "نهج الحرية")
    body = response.content.decode()
    # The receipt: the number, the code (which opens the request), the link to its page.
    assert item.tracking_number in body
    code = secret_code(response)
    assert re.fullmatch(r"[0-9A-Y]{4}-[0-9A-Y]{4}", code)
    assert url("detail", item.tracking_number) in body
    assert 'data-print' in body


def test_i_dont_know_sends_it_to_triage(client, citizen, desks):
    client.force_login(citizen)
    response = client.post(url("file"), form_data(desks["kef"], desk="unknown", kind="guidance"))
    assert response.status_code == 200
    assert CitizenRequest.objects.get().desk == desks["triage"]


def test_location_and_attachments_are_kept(client, citizen, desks):
    client.force_login(citizen)
    data = form_data(desks["kef"], kind="notice", latitude="36.182400", longitude="8.714700")
    data["attachments"] = [
        SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    ]
    assert client.post(url("file"), data).status_code == 200
    item = CitizenRequest.objects.get()
    assert (str(item.latitude), str(item.longitude)) == ("36.182400", "8.714700")
    assert sorted(item.attachments.values_list("name", "content_type")) == [
        ("photo.png", "image/png"), ("plan.pdf", "application/pdf"),
    ]


def test_anonymous_corruption_report_keeps_nothing_identifying(desks):
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Agent-Unique/4.2")
    page = client.get(url("file", language="fr")).content.decode()
    # Only corruption is offered, with what is kept, and the others say "sign in".
    assert 'value="corruption"' in page and 'value="complaint"' not in page
    assert said("The tracking number and the secret code you get after sending are the only way back to your report: nobody, not even the institution, can find it for you. Write them down or print them.", "fr") in page
    data = form_data(desks["kef"], kind="corruption", subject="Rachat de permis", text="Un agent demande de l'argent.")
    data["attachments"] = [SimpleUploadedFile("preuve.pdf", PDF, content_type="application/pdf")]
    response = client.post(url("file", language="fr"), data)
    assert response.status_code == 200
    item = CitizenRequest.objects.get()
    assert item.author is None and item.idempotency_key is None and item.notify is False
    assert item.tracking_number in response.content.decode() and secret_code(response)
    rows = [model_to_dict(item)] + [
        model_to_dict(row) for row in RequestEvent.objects.filter(request=item)
    ] + [model_to_dict(row) for row in RequestAttachment.objects.filter(request=item)]
    for row in rows:
        for value in row.values():
            assert "203.0.113" not in str(value) and "Agent-Unique" not in str(value)
    assert RequestEvent.objects.get(request=item).actor is None


def test_anonymous_may_not_file_other_kinds(client, desks):
    response = client.post(url("file", language="en"), form_data(desks["kef"], kind="complaint"))
    assert response.status_code == 403
    assert said("Sign in to file this kind of request (corruption reports can be anonymous).", "en") in response.content.decode()
    assert not CitizenRequest.objects.exists()


def test_replay_of_the_same_form_gives_the_same_receipt_without_the_code(client, citizen, desks):
    client.force_login(citizen)
    data = form_data(desks["kef"])
    first = client.post(url("file", language="en"), data)
    again = client.post(url("file", language="en"), data)
    item = CitizenRequest.objects.get()
    assert secret_code(first) and not secret_code(again)
    body = again.content.decode()
    assert again.status_code == 200 and item.tracking_number in body
    assert "was shown when it was filed" in body


def _too_many(settings):
    settings.CITIZEN_REQUESTS_MAX_ATTACHMENTS = 1
    return {"attachments": [
        SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf"),
    ]}


@pytest.mark.parametrize(
    ("fields", "message", "values"),
    [
        ({"text": "   "}, "Write your request.", {}),
        ({"subject": ""}, "Give your request a subject.", {}),
        ({"kind": "petition"}, "Choose what kind of request this is.", {}),
        ({"subject": "س" * 201}, "The subject is too long: at most %(max)d characters.", {"max": 200}),
        ({"latitude": "36.1"}, "Give both the latitude and the longitude, or neither.", {}),
        (
            {"attachments": [SimpleUploadedFile("facture.pdf", b"just text, not a PDF", content_type="application/pdf")]},
            "The file “%(name)s” is not a PDF, JPEG or PNG file (whatever its name says).",
            {"name": "facture.pdf"},
        ),
        ("too_many", "Attach at most %(count)d file.", {"count": 1}),
    ],
)
def test_bad_input_is_refused_with_a_translated_message_and_nothing_filed(
    client, citizen, desks, settings, attachments_root, fields, message, values
):
    client.force_login(citizen)
    if fields == "too_many":
        fields = _too_many(settings)
    response = client.post(url("file", language="fr"), form_data(desks["kef"], **fields))
    assert response.status_code == 400
    assert said(message, "fr", **values) in response.content.decode()
    assert not CitizenRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert not any(path.is_file() for path in attachments_root.rglob("*"))


# --- Following by number and code -------------------------------------------------------------


def test_track_with_the_right_code_opens_the_request_for_this_browser(client, desks, filed):
    result = filed(author=None, kind="corruption")
    number = result.request.tracking_number
    assert client.get(url("detail", number)).status_code == 404
    response = client.post(url("track"), {"number": number.lower().replace("-", " "), "code": result.secret_code})
    assert response.status_code == 302 and response["Location"] == url("detail", number)
    assert client.session["citizen_requests_unlocked"] == [result.request.pk]
    page = client.get(url("detail", number))
    assert page.status_code == 200
    assert result.request.subject in page.content.decode()


def test_track_with_a_wrong_part_says_the_same_thing(client, desks, filed):
    first = filed()
    other = filed(subject="Autre")
    message = said("No request matches this tracking number and secret code.", "fr")
    wrong_code = client.post(url("track", language="fr"), {"number": first.request.tracking_number, "code": other.secret_code})
    wrong_number = client.post(url("track", language="fr"), {"number": "KEF-26-0000-0000", "code": first.secret_code})
    for response in (wrong_code, wrong_number):
        assert response.status_code == 400
        assert message in response.content.decode()
    assert "citizen_requests_unlocked" not in client.session


def test_track_is_rate_limited(client, desks, filed, settings):
    settings.CITIZEN_REQUESTS_LOOKUP_RATE_PER_IP = ["2/hour"]
    number = filed().request.tracking_number
    statuses = [client.post(url("track"), {"number": number, "code": "AAAA-AAAA"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_request_page_is_404_for_another_account(client, filed):
    number = filed().request.tracking_number
    client.force_login(UserFactory())
    assert client.get(url("detail", number)).status_code == 404
    assert client.post(url("reply", number), {"text": "x"}).status_code == 404


def test_request_page_shows_the_public_timeline_only(client, citizen, filed, approvers):
    item = filed().request
    officer, _approver = approvers
    request_assign(actor=officer, request=item, assignee=officer)
    request_note(actor=officer, request=item, text="Note interne secrète")
    answer_draft(actor=officer, request=item, text="Brouillon secret")
    client.force_login(citizen)
    body = client.get(url("detail", item.tracking_number, language="fr")).content.decode()
    assert said("Assigned", "fr") in body
    assert "Note interne secrète" not in body and "Brouillon secret" not in body


# --- Acting on the request --------------------------------------------------------------------


def test_reply_resumes_a_waiting_request(client, citizen, filed, approvers):
    item = filed().request
    officer, _ = approvers
    request_assign(actor=officer, request=item, assignee=officer)
    request_ask(actor=officer, request=item, question="Quel est le numéro de la rue ?")
    client.force_login(citizen)
    page = client.get(url("detail", item.tracking_number, language="fr")).content.decode()
    assert "Quel est le numéro de la rue ?" in page
    assert said("(paused while waiting for you)", "fr") in page
    response = client.post(
        url("reply", item.tracking_number, language="fr"),
        {"text": "Le numéro 12.", "attachments": [SimpleUploadedFile("rue.png", PNG, content_type="image/png")]},
    )
    assert response.status_code == 302 and response["Location"] == url("detail", item.tracking_number, language="fr")
    item.refresh_from_db()
    assert item.stage == Stage.IN_PROGRESS
    assert item.events.filter(kind="citizen_reply", text="Le numéro 12.").exists()
    assert item.attachments.get().name == "rue.png"
    page = client.get(response["Location"]).content.decode()
    assert said("Your message was sent to the institution.", "fr") in page
    assert "Le numéro 12." in page


def test_empty_reply_changes_nothing_and_says_why(client, citizen, filed):
    item = filed().request
    client.force_login(citizen)
    response = client.post(url("reply", item.tracking_number, language="fr"), {"text": "  "}, follow=True)
    assert said("Write your reply.", "fr") in response.content.decode()
    assert item.events.count() == 1


def _answered(filed, approvers):
    item = filed().request
    officer, approver = approvers
    request_assign(actor=officer, request=item, assignee=officer)
    answer_draft(actor=officer, request=item, text="La lampe sera changée lundi.")
    answer_send(actor=approver, request=item)
    return item


def test_feedback_then_reopen_once(client, citizen, filed, approvers):
    item = _answered(filed, approvers)
    client.force_login(citizen)
    page = client.get(url("detail", item.tracking_number, language="fr")).content.decode()
    assert "La lampe sera changée lundi." in page
    assert url("feedback", item.tracking_number, language="fr") in page
    client.post(url("feedback", item.tracking_number, language="fr"), {"useful": "no"})
    item.refresh_from_db()
    assert (item.useful, item.stage) == (False, Stage.CLOSED)
    # Without a reason: refused, nothing changed.
    refused = client.post(url("reopen", item.tracking_number, language="fr"), {"reason": ""}, follow=True)
    assert said("Say why the answer does not settle your request.", "fr") in refused.content.decode()
    item.refresh_from_db()
    assert item.stage == Stage.CLOSED
    client.post(url("reopen", item.tracking_number, language="fr"), {"reason": "La lampe n'a pas été changée."})
    item.refresh_from_db()
    assert (item.stage, item.reopened) == (Stage.IN_PROGRESS, True)
    page = client.get(url("detail", item.tracking_number, language="fr")).content.decode()
    assert url("reopen", item.tracking_number, language="fr") not in page


def test_feedback_before_an_answer_is_refused(client, citizen, filed):
    item = filed().request
    client.force_login(citizen)
    response = client.post(url("feedback", item.tracking_number, language="fr"), {"useful": "yes"}, follow=True)
    assert said("You can rate the answer once it has been sent, and only once.", "fr") in response.content.decode()
    item.refresh_from_db()
    assert item.useful is None and item.stage == Stage.RECEIVED


def test_unlocked_session_may_reply_but_not_change_the_emails(client, filed):
    result = filed()
    item = result.request
    client.post(url("track"), {"number": item.tracking_number, "code": result.secret_code})
    client.post(url("reply", item.tracking_number), {"text": "معلومة إضافية"})
    assert item.events.filter(kind="information", text="معلومة إضافية").exists()
    client.post(url("notify", item.tracking_number), {"notify": "off"})
    item.refresh_from_db()
    assert item.notify is True


def test_author_turns_the_emails_off_and_on(client, citizen, filed):
    item = filed().request
    client.force_login(citizen)
    client.post(url("notify", item.tracking_number), {"notify": "off"})
    item.refresh_from_db()
    assert item.notify is False
    client.post(url("notify", item.tracking_number), {"notify": "on"})
    item.refresh_from_db()
    assert item.notify is True


# --- Attachments ------------------------------------------------------------------------------


def test_attachment_is_served_only_to_those_allowed(client, citizen, filed, desks, site):
    result = filed(files=[("plan.pdf", PDF)])
    item = result.request
    attachment = item.attachments.get()
    link = url("attachment", item.tracking_number, attachment.pk)
    client.force_login(citizen)
    assert link in client.get(url("detail", item.tracking_number)).content.decode()
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # Another account, a stranger, and staff of no desk: nothing.
    for other in (UserFactory(), UserFactory(is_staff=True)):
        client.force_login(other)
        assert client.get(link).status_code == 404
    client.logout()
    assert client.get(link).status_code == 404
    # A browser that gave the number and code.
    stranger = Client()
    stranger.post(url("track"), {"number": item.tracking_number, "code": result.secret_code})
    assert stranger.get(link).status_code == 200
    assert not StaffAccessLog.objects.exists()


def test_staff_of_the_desk_open_attachments_and_it_is_recorded(client, filed):
    item = filed(files=[("plan.pdf", PDF)]).request
    officer = UserFactory(is_staff=True)
    officer.groups.add(Group.objects.get_or_create(name=officers_group_name(item.desk.institution))[0])
    client.force_login(officer)
    response = client.get(url("attachment", item.tracking_number, item.attachments.get().pk))
    assert response.status_code == 200
    log = StaffAccessLog.objects.get()
    assert (log.user, log.action, log.request) == (officer, StaffAccessAction.VIEWED_ATTACHMENT, item)
    # The request page itself stays the citizen's.
    assert client.get(url("detail", item.tracking_number)).status_code == 404


# --- My requests ------------------------------------------------------------------------------


def test_my_requests_lists_mine_newest_first(client, citizen, filed, desks):
    older = filed(subject="Première demande").request
    newer = filed(subject="Deuxième demande", desk=desks["triage"]).request
    filed(author=UserFactory(), subject="Pas la mienne")
    client.force_login(citizen)
    body = client.get(url("mine", language="fr")).content.decode()
    assert body.index("Deuxième demande") < body.index("Première demande")
    assert "Pas la mienne" not in body
    assert older.tracking_number in body and newer.tracking_number in body
    assert "Municipalité du Kef" in body
    assert said("Received", "fr") in body


def test_my_requests_needs_an_account(client, desks):
    response = client.get(url("mine"))
    assert response.status_code == 302 and "login" in response["Location"]


def _main_nav(body: str) -> str:
    return body[body.index('<nav class="site-nav"'):].split("</nav>")[0]


def test_header_links_to_filing_and_following(client, citizen, desks):
    nav = _main_nav(client.get(url("file", language="en")).content.decode())
    assert f'href="{url("file", language="en")}" aria-current="page"' in nav
    assert f'href="{url("track", language="en")}"' in nav
    client.force_login(citizen)
    nav = _main_nav(client.get(url("file", language="en")).content.decode())
    assert f'href="{url("mine", language="en")}"' in nav
    body = client.get(url("file", language="en")).content.decode()
    languages = body[body.index('<nav class="site-languages"'):].split("</nav>")[0]
    assert "Submit a request" not in languages and "My requests" not in languages
