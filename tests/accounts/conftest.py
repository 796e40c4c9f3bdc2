"""Fixtures of the data-rights tests: a citizen who has done a bit of everything, beside
another person who took part in the same places."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from citizen_ideas.services import idea_propose, idea_support
from citizen_requests.models import CitizenRequest, Publicity, RequestDesk
from citizen_requests.roles import request_roles_ensure
from citizen_requests.services import request_file
from citizen_requests.services.publication import request_support
from consultations.services import consultation_follow
from deliberation.models import Flag
from deliberation.services import (
    contribution_appeal,
    contribution_moderate,
    contribution_react,
    suspension_appeal,
    thread_for_page,
    user_suspend,
)
from questionnaires.models import Answer, Response
from tests.factories import UserFactory


def _fk_models():
    """(model, field) for every concrete foreign key or one-to-one to the user model."""
    user_model = get_user_model()
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is user_model
    ]


@pytest.fixture
def fk_models():
    return _fk_models()


@pytest.fixture
def footprint(trusted_citizen, make_consultation, post, settings, tmp_path):
    """``trusted_citizen`` (Amira) and ``other`` (Karim) each contribute, react, report,
    follow, file a request, propose an idea, support and answer a questionnaire; a moderator
    hid one of Amira's contributions and suspended her, and she appealed both."""
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = str(tmp_path / "requests")
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["1000/hour"]
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_IP = ["1000/hour"]
    me = trusted_citizen
    other = UserFactory(display_name="Karim", email="karim@example.tn", trusted=True)
    consultation = make_consultation()
    thread = thread_for_page(page=consultation)
    mine = post(me, thread, "Mon avis sur l'eau.")
    lonely = post(me, thread, "Un avis sans réponse.")
    theirs = post(other, thread, "L'avis de Karim.")
    reply_to_me = post(other, thread, "Je réponds à Amira.", parent=mine)
    contribution_react(user=me, contribution=theirs, kind="agree")
    contribution_react(user=other, contribution=mine, kind="disagree")
    Flag.objects.create(contribution=theirs, user=me, reason="off_topic", note="Hors sujet, dit Amira")
    consultation_follow(user=me, consultation=consultation)
    consultation_follow(user=other, consultation=consultation)
    desk = RequestDesk.objects.create(institution=consultation.get_parent().specific, code="KEF")
    request_roles_ensure(desk=desk)
    requests = {}
    for person in (me, other):
        requests[person.pk] = request_file(
            author=person, kind="suggestion", desk=desk, subject=f"Sujet de {person.display_name}",
            text="Des fontaines.", language="fr", client_ip="198.51.100.7",
            idempotency_key=uuid.uuid4(), address="12 rue de la Liberté", public=True,
        ).request
    CitizenRequest.objects.filter(pk=requests[other.pk].pk).update(publicity=Publicity.PUBLIC)
    requests[other.pk].refresh_from_db()
    request_support(user=me, request=requests[other.pk])
    institution = consultation.get_parent().specific
    ideas = {
        person.pk: idea_propose(
            author=person, institution=institution, title="Des bancs" if person == me else "Des arbres",
            body="Des bancs.", idempotency_key=uuid.uuid4(), language="fr",
        )
        for person in (me, other)
    }
    idea_support(user=me, idea=ideas[other.pk])
    for person in (me, other):
        response = Response.objects.create(
            questionnaire_key=uuid.uuid4(), user=person, is_draft=False, language="fr"
        )
        Answer.objects.create(response=response, question_key="q1", text=f"Réponse de {person.display_name}")
    moderator = UserFactory(is_staff=True, is_superuser=True, display_name="Sami")
    removed = post(me, thread, "Un avis retiré.")
    contribution_moderate(moderator=moderator, contribution=removed, action="hide", reason="off_topic")
    removed.refresh_from_db()
    contribution_appeal(user=me, contribution=removed, text="Amira fait appel : mon avis était utile.")
    suspension = user_suspend(moderator=moderator, user=me, days=3, reason="off_topic")
    suspension_appeal(user=me, suspension=suspension, text="Amira demande la levée.")
    return {
        "me": me, "other": other, "thread": thread, "consultation": consultation,
        "mine": mine, "lonely": lonely, "theirs": theirs, "reply_to_me": reply_to_me,
        "requests": requests, "ideas": ideas,
    }
