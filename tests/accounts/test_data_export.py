"""Download all my data: everything stored about the person, nothing about others."""

import json

import pytest
from django.urls import reverse

from accounts.models import DataRightsLog
from accounts.personal_data import user_data_export
from deliberation.models import Contribution

pytestmark = pytest.mark.django_db

# Models that reference a user but hold nothing a citizen did (staff work, Wagtail's editor,
# the machine accounts of Open311): the export has no part for them, and says so here.
NOT_A_CITIZENS = {
    "accounts.User_groups", "accounts.User_user_permissions",  # exported as "groups"
    "citizen_requests.StaffAccessLog", "citizen_requests.Open311Client",
    "citizen_ideas.IdeaStatusChange", "questionnaires.Answer",  # reviewed_by / changed_by: staff
    "wagtailusers.UserProfile", "wagtaildocs.Document", "wagtailimages.Image",
    "wagtailadmin.EditingSession", "wagtailadmin.FormState", "wagtailcore.APIToken",
    "wagtailcore.Revision", "wagtailcore.UploadedFile", "wagtailcore.WorkflowState",
    "wagtailcore.TaskState", "wagtailcore.Comment", "wagtailcore.CommentReply",
    "wagtailcore.PageSubscription",
}


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def test_every_model_a_citizens_data_lives_in_has_its_part_in_the_export(footprint, fk_models):
    me = footprint["me"]
    data = user_data_export(user=me)
    text = _dump(data)
    exported_ids = {
        "deliberation.Contribution": [footprint["mine"].pk, footprint["lonely"].pk],
    }
    covered = set()
    for model, field in fk_models:
        label = model._meta.label
        if label in NOT_A_CITIZENS or label.endswith("Page") or field.name in ("owner", "locked_by"):
            continue
        rows = model._base_manager.filter(**{field.name: me})
        if not rows.exists():
            continue
        covered.add(label)
    # Each model holding one of the citizen's rows shows up in the export.
    assert covered >= {
        "deliberation.Contribution", "deliberation.Reaction", "deliberation.Flag",
        "consultations.ConsultationFollow", "citizen_requests.CitizenRequest",
        "citizen_requests.RequestEvent", "citizen_requests.Support", "citizen_ideas.Idea",
        "citizen_ideas.IdeaSupport", "questionnaires.Response", "accounts.Suspension",
        "deliberation.Appeal",
    }
    where = {
        "deliberation.Contribution": data["deliberation"]["contributions"],
        "deliberation.Reaction": data["deliberation"]["reactions"],
        "deliberation.Flag": data["deliberation"]["reports"],
        "consultations.ConsultationFollow": data["consultations_followed"],
        "citizen_requests.CitizenRequest": data["citizen_requests"]["requests"],
        "citizen_requests.RequestEvent": data["citizen_requests"]["requests"][0]["timeline"],
        "citizen_requests.Support": data["citizen_requests"]["supports"],
        "citizen_ideas.Idea": data["citizen_ideas"]["ideas"],
        "citizen_ideas.IdeaSupport": data["citizen_ideas"]["supports"],
        "questionnaires.Response": data["questionnaires"],
        "accounts.Suspension": data["account"]["suspensions"],
        "deliberation.Appeal": data["deliberation"]["appeals"],
        "deliberation.ModerationAction": data["deliberation"]["moderation_decisions"],
    }
    for label in covered:
        assert where.get(label), f"{label} holds the citizen's rows but is not exported"
    # Every contribution of theirs (the idea's text among them), and only theirs.
    assert [c["id"] for c in data["deliberation"]["contributions"]] == list(
        Contribution.objects.filter(author=me).order_by("created_at", "pk").values_list("pk", flat=True)
    )
    assert set(exported_ids["deliberation.Contribution"]) < {
        c["id"] for c in data["deliberation"]["contributions"]
    }
    assert data["account"]["email"] == me.email
    assert data["account"]["notification_settings"]["notify_replies"] is True
    assert "Hors sujet, dit Amira" in text
    assert "Amira fait appel : mon avis était utile." in text
    assert "Amira demande la levée." in text
    assert data["citizen_requests"]["requests"][0]["address"] == "12 rue de la Liberté"
    assert data["questionnaires"][0]["answers"][0]["text"] == "Réponse de Amira"


def test_the_export_says_nothing_about_other_people(footprint):
    text = _dump(user_data_export(user=footprint["me"]))
    other = footprint["other"]
    assert other.email not in text
    assert "Karim" not in text  # not their name, their contributions, requests or answers
    assert "Je réponds à Amira" not in text


def test_downloads_as_json_and_html_and_is_logged(client, footprint):
    client.force_login(footprint["me"])
    url = reverse("accounts:my_data_export", kwargs={"fmt": "json"})
    assert client.get(url).status_code == 405  # a download that is logged is asked by POST
    response = client.post(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["deliberation"]["contributions"][0]["text"] == (
        "Mon avis sur l'eau."
    )
    html = client.post(reverse("accounts:my_data_export", kwargs={"fmt": "html"}))
    assert html.status_code == 200
    body = html.content.decode()
    assert "Mon avis sur l&#x27;eau." in body and "<h2>" in body
    assert DataRightsLog.objects.filter(subject_id=footprint["me"].pk, action="export").count() == 2


def test_export_refused_without_csrf_and_when_signed_out(footprint):
    from django.test import Client

    url = reverse("accounts:my_data_export", kwargs={"fmt": "json"})
    assert Client().post(url).status_code == 302  # to the log-in page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(footprint["me"])
    assert strict.post(url).status_code == 403
    assert not DataRightsLog.objects.exists()
