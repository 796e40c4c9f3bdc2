"""The questionnaire page: its questions, their keys across translations, its phase."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from deliberation.phases import Phase
from questionnaires.models import QuestionnairePage
from tests.questionnaires.conftest import question, translation

pytestmark = pytest.mark.django_db


def test_translations_share_question_and_option_keys(questionnaire):
    french = translation(questionnaire, "fr")
    ar_questions, fr_questions = questionnaire.question_list, french.question_list
    assert [q.key for q in ar_questions] == [q.key for q in fr_questions]
    assert ar_questions[1].option_keys == fr_questions[1].option_keys == [
        "q-mode-1", "q-mode-2", "q-mode-3"
    ]
    assert french.translation_key == questionnaire.translation_key


def test_condition_resolves_to_keys(questionnaire):
    why = questionnaire.question_list[2]
    assert why.condition.question_key == "q-mode"
    assert why.condition.option_keys == {"q-mode-1"}


def test_standalone_phase_follows_its_dates(make_questionnaire):
    page = make_questionnaire(opens_in=1, translate=False)
    assert page.phase == Phase.UPCOMING
    assert page.phase_at(timezone.now() + datetime.timedelta(days=11)) == Phase.CLOSED


def test_under_a_consultation_follows_its_phase(make_consultation, make_questionnaire):
    consultation = make_consultation(closes_in=5)
    page = make_questionnaire(parent=consultation)
    assert page.phase == Phase.OPEN
    assert page.consultation.pk == consultation.pk
    assert page.institution.slug == "el-kef"
    assert page.phase_at(timezone.now() + datetime.timedelta(days=6)) == Phase.CLOSED


def test_editor_errors_on_bad_structure(questionnaire):
    page = QuestionnairePage.objects.get(pk=questionnaire.pk)
    page.questions = [
        question("single", "Une seule option", options=("a",), key="a"),
        question("number", "N", key="n", min_value="5", max_value="1"),
        question("short_text", "Si", key="s", show_if_question=2, show_if_options="1"),
        question("short_text", "Si 2", key="t", show_if_question=9, show_if_options="1"),
    ]
    with pytest.raises(ValidationError) as caught, override("en"):
        page.full_clean()
    messages = " ".join(caught.value.message_dict["questions"])
    assert "Question 1 needs at least two options." in messages
    assert "Question 2: the minimum is above the maximum." in messages
    assert "Question 3 can depend only on a single or multiple choice question." in messages
    assert "Question 4 can depend only on an earlier question." in messages


def test_editors_create_questionnaires_under_consultations_and_institutions():
    from wagtail.test.utils import WagtailPageTestCase

    from cms.models import InstitutionPage
    from consultations.models import ConsultationPage

    case = WagtailPageTestCase()
    case.assertAllowedParentPageTypes(QuestionnairePage, {ConsultationPage, InstitutionPage})
    case.assertAllowedSubpageTypes(QuestionnairePage, {})


def test_the_admin_editor_opens(client, admin_user, questionnaire, settings):
    client.force_login(admin_user)
    response = client.get(f"/{settings.WAGTAILADMIN_URL_PREFIX}/pages/{questionnaire.pk}/edit/")
    assert response.status_code == 200
    assert "q-mode-1" in response.content.decode()  # the questions, in the StreamField editor
