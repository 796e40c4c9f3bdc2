"""The results page: the editors see it (live), everyone once public, others get a 404; a fixed
number of queries; the open data carries no personal data."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.services import institution_group_names
from questionnaires.models import Answer, Response, ReviewStatus
from tests.questionnaires.answers import responses_make
from tests.questionnaires.conftest import translation

pytestmark = pytest.mark.django_db


def results_url(page):
    return page.url + page.reverse_subpage("results")


def data_url(page, dataset, fmt):
    return page.url + page.reverse_subpage("open_data", kwargs={"dataset": dataset, "fmt": fmt})


@pytest.fixture
def editor(site, user_factory):
    call_command("setup_institutions", stdout=open("/dev/null", "w"))
    user = user_factory(is_staff=True, email="editor@el-kef.tn")
    user.groups.add(Group.objects.get(name=institution_group_names(site["institution"]["fr"])[0]))
    return user


def test_editors_see_results_live_and_others_do_not(client, questionnaire, editor, citizen):
    responses_make(questionnaire, 8, seed=2)
    url = results_url(questionnaire)
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404

    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="responses">8<' in html
    assert "data-live-socket=\"/ws/questionnaires/" in html
    assert "الحافلة" in html  # option labels in the page's language


def test_public_results_for_everyone_not_live(client, make_questionnaire):
    page = make_questionnaire(results_public=True)
    responses_make(page, 6, seed=4)
    french = translation(page, "fr")
    html = client.get(results_url(french)).content.decode()
    assert 'data-figure="responses">6<' in html
    assert "data-live-socket" not in html
    assert data_url(french, "responses", "csv") in html


def test_results_page_queries_do_not_grow_with_responses(client, make_questionnaire, editor):
    client.force_login(editor)
    counts = []
    for n in (10, 200):
        page = make_questionnaire(translate=False, results_public=True)
        responses_make(page, n, seed=n)
        client.get(results_url(page))  # warm the caches (site root paths, sessions)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(results_url(page))
        html = response.content.decode()
        assert f'data-figure="responses">{n}<' in html
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # With 200 responses (about 100 approved texts) the page lists 20 and says how many more.
    approved = Answer.objects.filter(
        response__questionnaire_key=page.translation_key, question_key="q-why",
        review_status=ReviewStatus.APPROVED, response__is_draft=False,
    ).count()
    assert approved > 20
    assert html.count('<li dir="auto">') == 20
    assert f'data-more-texts="{approved - 20}"' in html


def test_open_data_has_no_personal_data(client, make_questionnaire, user_factory):
    page = make_questionnaire(results_public=True)
    people = [
        user_factory(display_name=f"Secret Name {i}", email=f"secret{i}@example.tn")
        for i in range(4)
    ]
    tally = responses_make(page, 30, seed=9, users=people)
    Answer.objects.filter(question_key="q-why").update(review_status=ReviewStatus.PENDING)
    approved = Answer.objects.filter(question_key="q-why", response__is_draft=False).first()
    approved.review_status = ReviewStatus.APPROVED
    approved.save()
    pending = Answer.objects.filter(question_key="q-why", review_status=ReviewStatus.PENDING).first()

    body = b"".join(client.get(data_url(page, "responses", "csv")).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == tally["responses"] == 30
    assert list(rows[0]) == ["response", "submitted", "language", "governorate"] + [
        f"q{n}" for n in range(1, 8)
    ]
    as_json = client.get(data_url(page, "responses", "json")).json()
    text = body + json.dumps(as_json, ensure_ascii=False)
    for person in people:
        assert person.email not in text and person.display_name not in text
        assert f'"user": {person.pk}' not in text
    for token in Response.objects.values_list("anonymous_token", flat=True):
        assert not token or token not in text
    assert "user" not in as_json["responses"][0] and "id" not in as_json["responses"][0]
    assert approved.text in text
    assert pending.text not in text
    # Governorates with fewer than 5 responses are left empty: here each has 7 or 8.
    assert {row["governorate"] for row in rows} <= {"TN-33", "TN-11", "TN-61", ""}


def test_small_governorates_are_not_in_the_responses(client, make_questionnaire):
    page = make_questionnaire(results_public=True)
    responses_make(page, 8, seed=1)  # 2 per governorate: all under the threshold
    rows = client.get(data_url(page, "responses", "json")).json()["responses"]
    assert {row["governorate"] for row in rows} == {""}


def test_results_table_open_data(client, make_questionnaire):
    page = make_questionnaire(results_public=True)
    tally = responses_make(page, 20, seed=8)
    rows = client.get(data_url(page, "results", "json")).json()["results"]
    counts = {
        row["option"]: row["value"]
        for row in rows
        if row["question"] == "q2" and row["measure"] == "count" and not row["governorate"]
    }
    assert counts == dict(tally["options"]["q-mode"]) | {
        k: 0 for k in ("q-mode-1", "q-mode-2", "q-mode-3") if k not in tally["options"]["q-mode"]
    }
    assert rows[0] == {**rows[0], "measure": "responses", "value": 20}


def test_open_data_refused_while_results_are_not_public(client, questionnaire, editor):
    client.force_login(editor)
    assert client.get(data_url(questionnaire, "responses", "csv")).status_code == 404
