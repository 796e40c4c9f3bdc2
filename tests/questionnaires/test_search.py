"""The questionnaire is a kind of the journalists' search: found by its questions' words in
each language, never by an answer."""

import pytest
from django.urls import reverse

from search.documents import document_for, page_key
from search.models import Kind, SearchDocument
from search.services import search_index_rebuild
from tests.questionnaires.answers import responses_make

pytestmark = pytest.mark.django_db


def test_questionnaire_document_and_search(client, questionnaire):
    responses_make(questionnaire, 5, seed=41)
    document = document_for(page_key(questionnaire.pk))
    assert document.kind == Kind.QUESTIONNAIRE
    assert "كيف تتنقل إلى العمل؟" in document.body and "الحافلة" in document.body
    assert "bus " not in document.body  # answers are never indexed
    assert document.status == "open"

    search_index_rebuild()
    assert SearchDocument.objects.filter(kind=Kind.QUESTIONNAIRE).count() == 3  # ar, fr, en
    html = client.get(reverse("search:search"), {"kind": "questionnaire", "q": "الأولويات"}).content.decode()
    assert questionnaire.url in html
