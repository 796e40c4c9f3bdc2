"""Proposing and supporting ideas, as citizens and moderators notice it: deliberation's
moderation policy on the idea's text, one support per account, the participation rules, and
nothing stored when refused."""

import datetime
import os
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from citizen_ideas.models import Idea, IdeaSupport
from citizen_ideas.services import idea_support, idea_support_withdraw
from consultations.models import ConsultationPage
from deliberation.models import (
    Contribution,
    ModerationAction,
    ModerationActionKind,
    Participation,
    Reason,
    Status,
    Thread,
    WatchedWord,
    WatchedWordAction,
)
from deliberation.services import (
    Blocked,
    Invalid,
    Refused,
    contribution_flag,
    contribution_moderate,
)
from tests.factories import UserFactory


def _nothing_stored():
    assert Idea.objects.count() == 0
    assert Thread.objects.filter(kind="idea").count() == 0
    assert Contribution.objects.count() == 0


# --- Moderation: deliberation's policy, for free -----------------------------------------------


def test_a_newcomers_idea_waits_for_a_moderator_and_is_not_listed(client, citizen, institution, propose):
    idea = propose(citizen, institution)  # a new account: pre-moderated
    assert idea.opening.status == Status.PENDING
    assert list(Idea.objects.visible()) == []
    assert client.get(f"/fr/ideas/{idea.pk}/").status_code == 404  # not to other readers
    client.force_login(citizen)
    assert "awaits moderation" in client.get(f"/en/ideas/{idea.pk}/").content.decode()


def test_moderators_see_the_idea_in_their_queue_labelled_as_an_idea(
    client, citizen, institution, propose, moderator_of
):
    call_command("setup_institutions", stdout=open(os.devnull, "w"))  # the moderators' rights
    idea = propose(citizen, institution, title="Un parc canin")
    moderator = moderator_of(institution)
    client.force_login(moderator)
    response = client.get(reverse("deliberation_moderation_queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Un parc canin" in page
    assert f"/ideas/{idea.pk}/#contribution-{idea.opening_id}" in page
    contribution_moderate(moderator=moderator, contribution=idea.opening, action="approve")
    assert list(Idea.objects.visible()) == [idea]


def test_a_watched_word_in_the_title_holds_the_idea(trusted_citizen, institution, propose):
    WatchedWord.objects.create(phrase="arnaque", action=WatchedWordAction.HOLD)
    idea = propose(trusted_citizen, institution, title="Une arnaque au marché", body="Rien à signaler.")
    assert idea.opening.status == Status.PENDING
    assert ModerationAction.objects.filter(
        contribution=idea.opening, action=ModerationActionKind.AUTO_HOLD
    ).exists()


def test_a_blocked_word_refuses_the_idea_and_stores_nothing(trusted_citizen, institution, propose):
    WatchedWord.objects.create(phrase="casino", action=WatchedWordAction.BLOCK)
    with pytest.raises(Blocked) as refused:
        propose(trusted_citizen, institution, body="Ouvrir un casino en ville.")
    assert "casino" in refused.value.message
    _nothing_stored()


def test_a_reported_then_hidden_idea_shows_its_public_reason_and_the_log_entry(
    client, trusted_citizen, institution, propose, moderator_of
):
    idea = propose(trusted_citizen, institution, title="Titre gênant")
    reader = UserFactory(trusted=True)
    contribution_flag(user=reader, contribution=idea.opening, reason=Reason.ABUSE)
    assert Contribution.objects.get(pk=idea.opening_id).open_flag_count == 1
    moderator = moderator_of(institution)
    contribution_moderate(
        moderator=moderator, contribution=idea.opening, action="hide", reason=Reason.ABUSE
    )
    page = client.get(f"/en/ideas/{idea.pk}/").content.decode()
    assert "Idea removed by moderation" in page
    assert "Titre gênant" not in page
    assert "Insults, threats or hate" in page
    log = client.get(f"/en/ideas/institutions/{institution.slug}/moderation-log/")
    assert log.status_code == 200
    assert "Insults, threats or hate" in log.content.decode()
    assert list(Idea.objects.visible()) == []


# --- Bad input: a clear error, nothing stored -----------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [("", "Un texte.", "title"), ("x" * 141, "Un texte.", "title"), ("Un titre", "  ", "body"),
     ("Un titre \ud800", "Un texte.", "title")],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    trusted_citizen, institution, propose, title, body, field
):
    with pytest.raises(Invalid) as refused:
        propose(trusted_citizen, institution, title=title, body=body)
    assert refused.value.field == field
    assert refused.value.message
    _nothing_stored()


def test_the_same_submission_key_gives_back_the_first_idea(trusted_citizen, institution, propose):
    key = uuid.uuid4()
    first = propose(trusted_citizen, institution, idempotency_key=key)
    again = propose(trusted_citizen, institution, idempotency_key=key)
    assert again.pk == first.pk
    assert Idea.objects.count() == 1


# --- Supports ------------------------------------------------------------------------------------


def test_one_support_per_account_then_withdrawn(trusted_citizen, institution, propose):
    idea = propose(trusted_citizen, institution)
    amira, sami = UserFactory(), UserFactory()
    idea_support(user=amira, idea=idea)
    idea_support(user=sami, idea=idea)
    assert Idea.objects.get(pk=idea.pk).support_count == 2
    with pytest.raises(Invalid, match="already support"):
        idea_support(user=amira, idea=idea)
    assert Idea.objects.get(pk=idea.pk).support_count == 2
    assert IdeaSupport.objects.filter(idea=idea).count() == 2
    idea_support_withdraw(user=amira, idea=idea)
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    with pytest.raises(Invalid, match="do not support"):
        idea_support_withdraw(user=amira, idea=idea)
    assert Idea.objects.get(pk=idea.pk).support_count == 1


def test_a_pending_idea_cannot_be_supported(citizen, institution, propose):
    idea = propose(citizen, institution)
    with pytest.raises(Refused):
        idea_support(user=UserFactory(), idea=idea)
    assert IdeaSupport.objects.count() == 0


def test_the_consultations_participation_rule_refuses_unverified_accounts(
    trusted_citizen, make_consultation, propose, institution
):
    consultation = make_consultation(participation=Participation.VERIFIED)
    trusted_citizen.email_verified = True
    trusted_citizen.save()
    idea = propose(trusted_citizen, institution, consultation=consultation)
    unverified = UserFactory(email_verified=False)
    with pytest.raises(Refused, match="confirmed email"):
        idea_support(user=unverified, idea=idea)
    with pytest.raises(Refused, match="confirmed email"):
        propose(unverified, institution, consultation=consultation)
    assert IdeaSupport.objects.count() == 0
    assert Idea.objects.count() == 1


def test_a_closed_consultation_refuses_ideas_and_supports(
    trusted_citizen, make_consultation, propose, institution
):
    consultation = make_consultation()
    idea = propose(trusted_citizen, institution, consultation=consultation)
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    consultation = ConsultationPage.objects.get(pk=consultation.pk)
    idea = Idea.objects.get(pk=idea.pk)
    with pytest.raises(Refused):
        idea_support(user=UserFactory(), idea=idea)
    with pytest.raises(Refused, match="does not take ideas"):
        propose(trusted_citizen, institution, consultation=consultation)
    assert Idea.objects.count() == 1


def test_signed_out_visitors_cannot_support(trusted_citizen, institution, propose):
    from django.contrib.auth.models import AnonymousUser

    idea = propose(trusted_citizen, institution)
    with pytest.raises(Refused):
        idea_support(user=AnonymousUser(), idea=idea)
