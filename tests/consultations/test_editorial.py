"""Editors work only under their institution; publishing goes through its approvers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import InstitutionPage
from consultations.models import ConsultationPage

pytestmark = pytest.mark.django_db


def form_data(*, title="Plan vélo", slug="plan-velo", opens_in=-1, closes_in=10, sections=1, action=None):
    now = timezone.localtime()
    fmt = "%Y-%m-%d %H:%M"
    data = {
        "title": title,
        "slug": slug,
        "summary": "Des pistes cyclables.",
        "context": rich_text("<p>Contexte.</p>"),
        "guiding_questions": streamfield([]),
        "draft": streamfield(
            [
                ("section", {"heading": f"Section {n}", "body": rich_text("<p>Texte.</p>"), "paragraphs": streamfield([])})
                for n in range(sections)
            ]
        ),
        "change_note": "",
        "attachments": inline_formset([]),
        "topics": "vélo",
        "opens_at": (now + datetime.timedelta(days=opens_in)).strftime(fmt),
        "closes_at": (now + datetime.timedelta(days=closes_in)).strftime(fmt),
        "moderation_mode": "post",
        "participation": "registered",
    }
    if action:
        data[action] = action
    return nested_form_data(data)


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("consultations", "consultationpage", parent.pk))


def test_editor_cannot_create_or_edit_under_another_institution(client, two_institutions):
    editor_a = two_institutions["people"]["el-kef"]["editor"]
    b = two_institutions["b"]
    client.force_login(editor_a)
    response = client.post(add_url(b), form_data(action="action-submit"))
    assert response.status_code in (302, 403)
    assert not ConsultationPage.objects.filter(slug="plan-velo").exists()

    under_b = b.add_child(instance=ConsultationPage(
        title="Chez B", slug="chez-b", summary="s", opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=3),
        draft=[{"type": "section", "value": {"heading": "h", "body": "<p>t</p>", "paragraphs": []}}],
    ))
    under_b.save_revision().publish()
    edit = reverse("wagtailadmin_pages:edit", args=(under_b.pk,))
    assert client.get(edit).status_code in (302, 403)
    response = client.post(edit, form_data(title="Détourné", slug="chez-b", action="action-publish"))
    assert response.status_code in (302, 403)
    under_b.refresh_from_db()
    assert under_b.title == "Chez B"
    assert under_b.get_latest_revision().content["title"] == "Chez B"


def test_editor_submits_and_the_institutions_approver_publishes(client, two_institutions):
    a = two_institutions["a"]
    people = two_institutions["people"]
    client.force_login(people["el-kef"]["editor"])
    # An editor has no publish permission: "publish" only saves a draft.
    client.post(add_url(a), form_data(action="action-publish"))
    page = ConsultationPage.objects.get(slug="plan-velo")
    assert not page.live and page.current_workflow_state is None
    # "Submit for approval" starts the institution's workflow.
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), form_data(action="action-submit")
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    state = page.current_workflow_state
    assert state is not None and state.workflow.name == f"نشر صفحات {InstitutionPage.objects.get(slug='el-kef', locale__language_code='ar').title}"
    task_state = state.current_task_state

    # The other institution's approver cannot approve it.
    client.force_login(people["ministere-b"]["approver"])
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )
    client.post(approve, {"comment": ""})
    page.refresh_from_db()
    assert not page.live

    client.force_login(people["el-kef"]["approver"])
    response = client.post(approve, {"comment": ""})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert page.versions.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"opens_in": 5, "closes_in": 2}, "closes_at"), ({"sections": 0}, "draft")],
)
def test_bad_consultation_gets_a_form_error_and_saves_nothing(client, two_institutions, changes, field):
    client.force_login(two_institutions["people"]["el-kef"]["approver"])
    before = Page.objects.count()
    response = client.post(add_url(two_institutions["a"]), form_data(action="action-publish", **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Page.objects.count() == before
