"""Forum topics proposed by citizens: held until a moderator of the institution decides;
approval creates and publishes the forum topic in the proposal's language, rejection keeps it
unseen with a public reason; the proposer hears once; the public log tells both; bad input and
blocked words store nothing; only the institution's moderators decide."""

import os

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from deliberation import notifications, services
from deliberation.models import (
    ForumTopicPage,
    ModerationAction,
    ProposalStatus,
    TopicProposal,
    WatchedWord,
)
from deliberation.models import (
    ModerationActionKind as Kind,
)
from deliberation.services import Blocked, Invalid, RateLimited, Refused
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def citizen(citizen):
    """Proposing needs a confirmed address (DELIBERATION_PROPOSAL_PARTICIPATION)."""
    citizen.email_verified = True
    citizen.save(update_fields=["email_verified"])
    return citizen


@pytest.fixture
def institution(site):
    return site["institution"]["fr"]


@pytest.fixture
def moderator(moderator_of, institution):
    return moderator_of(institution, display_name="Modératrice")


def _propose(citizen, institution, **fields):
    values = {
        "title": "Les pistes cyclables",
        "text": "Faut-il des pistes cyclables le long de la corniche ?",
        "topics": "transport, vélo",
        "language": "fr",
    }
    values.update(fields)
    return services.topic_propose(proposer=citizen, institution=institution, **values)


def test_a_proposal_waits_unseen_until_a_moderator_approves_it(client, citizen, institution):
    proposal = _propose(citizen, institution)
    assert proposal.status == ProposalStatus.PENDING
    assert not ForumTopicPage.objects.exists()
    client.force_login(UserFactory())
    page = client.get(institution.url)
    assert "Les pistes cyclables" not in page.content.decode()
    propose_page = client.get(reverse("deliberation:propose", args=[institution.pk]))
    assert "Les pistes cyclables" not in propose_page.content.decode()


def test_approval_creates_and_publishes_the_topic_in_the_proposals_language(
    citizen, institution, site, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = _propose(citizen, site["institution"]["ar"], language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.topic_proposal_approve(moderator=moderator, proposal=proposal)
    page = decided.page
    assert decided.status == ProposalStatus.APPROVED and decided.decided_by == moderator
    assert page.live and page.locale.language_code == "fr"
    assert page.get_parent().pk == institution.pk  # under the French institution page
    assert page.title == "Les pistes cyclables"
    assert sorted(tag.name for tag in page.topics.all()) == ["transport", "vélo"]
    assert "corniche" in page.summary
    entry = ModerationAction.objects.get(proposal=proposal)
    assert entry.action == Kind.APPROVE and entry.actor == moderator and entry.thread.page_id == page.pk
    [mail] = mailoutbox
    assert mail.to == [citizen.email]


def test_rejection_keeps_it_unpublished_with_a_public_reason_and_mails_once(
    client, citizen, institution, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = _propose(citizen, institution)
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_proposal_reject(
            moderator=moderator, proposal=proposal, reason="off_topic", note="Hors compétence."
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and proposal.reason == "off_topic"
    assert not ForumTopicPage.objects.exists()
    assert len(mailoutbox) == 1
    assert "Hors compétence." in mailoutbox[0].body
    # A second decision is refused, and nothing more is mailed.
    with pytest.raises(Invalid), django_capture_on_commit_callbacks(execute=True):
        services.topic_proposal_approve(moderator=moderator, proposal=proposal)
    notifications.proposal_decided(proposal.pk)
    assert len(mailoutbox) == 1
    # The public log tells the decision and its reason, never the text nor the proposer.
    client.force_login(UserFactory())
    public = client.get(reverse("deliberation:propose", args=[institution.pk])).content.decode()
    assert "Off topic" in public
    assert "Les pistes cyclables" not in public and citizen.display_name not in public
    # The proposer sees the status and the reason among their proposals.
    client.force_login(citizen)
    mine = client.get(reverse("deliberation:proposals_mine")).content.decode()
    assert "Les pistes cyclables" in mine and "Off topic" in mine and "Hors compétence." in mine


def test_rejection_needs_a_reason(citizen, institution, moderator):
    proposal = _propose(citizen, institution)
    with pytest.raises(Invalid):
        services.topic_proposal_reject(moderator=moderator, proposal=proposal, reason="")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert not ModerationAction.objects.exists()


def test_a_moderator_of_another_institution_or_a_citizen_cannot_decide(
    citizen, institution, moderator_of, institution_page_factory, site
):
    other = institution_page_factory(parent=site["home"]["fr"], title="Ville de Sfax", slug="sfax")
    proposal = _propose(citizen, institution)
    for user in (moderator_of(other), UserFactory()):
        with pytest.raises(Refused):
            services.topic_proposal_approve(moderator=user, proposal=proposal)
        with pytest.raises(Refused):
            services.topic_proposal_reject(moderator=user, proposal=proposal, reason="spam")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING and not ForumTopicPage.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"topics": "a, b, c, d, e, f"}, "topics"),
        ({"text": "bad \ud800 char"}, "text"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(citizen, institution, fields, field):
    with pytest.raises(Invalid) as refused:
        _propose(citizen, institution, **fields)
    assert refused.value.field == field
    assert not TopicProposal.objects.exists()


def test_a_blocked_word_refuses_the_proposal_and_a_held_one_is_noted(citizen, institution):
    WatchedWord.objects.create(phrase="arnaque", action="block")
    WatchedWord.objects.create(phrase="douteux", action="hold")
    with pytest.raises(Blocked):
        _propose(citizen, institution, title="Une arnaque au marché")
    assert not TopicProposal.objects.exists()
    held = _propose(citizen, institution, text="Un marché douteux.")
    assert held.watched == "douteux"
    assert ModerationAction.objects.get(proposal=held).action == Kind.AUTO_HOLD


def test_only_allowed_accounts_propose(institution, settings):
    with pytest.raises(Refused):
        _propose(AnonymousUser(), institution)
    with pytest.raises(Refused):
        _propose(UserFactory(email_verified=False), institution)
    with pytest.raises(Refused):
        _propose(UserFactory(email_verified=True, is_active=False), institution)
    assert not TopicProposal.objects.exists()
    settings.DELIBERATION_PROPOSAL_PARTICIPATION = "registered"
    assert _propose(UserFactory(email_verified=False), institution).status == "pending"


def test_proposing_too_fast_is_refused(citizen, institution, settings):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["2/minute"]
    _propose(citizen, institution)
    _propose(citizen, institution)
    with pytest.raises(RateLimited):
        _propose(citizen, institution)
    assert TopicProposal.objects.count() == 2


# --- The citizen's pages --------------------------------------------------------------------


def test_the_form_sends_a_proposal_and_lists_it_as_pending(client, citizen, institution):
    client.force_login(citizen)
    url = reverse("deliberation:propose", args=[institution.pk])
    answer = client.post(url, {"title": "Un parc pour les enfants", "text": "Où le placer ?", "topics": ""})
    assert answer.status_code == 302
    mine = client.get(answer["Location"]).content.decode()
    assert "Un parc pour les enfants" in mine and "Awaiting moderation" in mine


def test_the_form_redraws_a_refusal_with_the_text_kept(client, citizen, institution):
    WatchedWord.objects.create(phrase="arnaque", action="block")
    client.force_login(citizen)
    url = reverse("deliberation:propose", args=[institution.pk])
    answer = client.post(url, {"title": "Le marché", "text": "Une arnaque totale", "topics": ""})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "Une arnaque totale" in body and "not accept" in body
    assert not TopicProposal.objects.exists()


def test_signed_out_readers_are_told_to_log_in(client, institution):
    answer = client.get(reverse("deliberation:propose", args=[institution.pk]))
    assert answer.status_code == 200
    assert "Log in to propose a topic." in answer.content.decode()
    assert client.post(reverse("deliberation:propose", args=[institution.pk]), {}).status_code == 403


def test_the_institution_page_links_to_proposing_a_topic(client, institution):
    body = client.get(institution.url).content.decode()
    assert reverse("deliberation:propose", args=[institution.pk]) in body


# --- The moderators' queue in the admin ---------------------------------------------------------


def test_the_admin_queue_approves_and_rejects(client, citizen, institution, moderator):
    call_command("setup_institutions", stdout=open(os.devnull, "w"))  # the groups' admin access
    first = _propose(citizen, institution, title="Premier sujet")
    second = _propose(citizen, institution, title="Second sujet")
    client.force_login(moderator)
    queue = client.get(reverse("deliberation_moderation_proposals"))
    assert queue.status_code == 200
    assert "Premier sujet" in queue.content.decode() and "Second sujet" in queue.content.decode()
    client.post(reverse("deliberation_moderation_proposal_act", args=[first.pk]), {"action": "approve"})
    client.post(
        reverse("deliberation_moderation_proposal_act", args=[second.pk]),
        {"action": "reject", "reason": "spam"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ProposalStatus.APPROVED and first.page.live
    assert second.status == ProposalStatus.REJECTED and second.reason == "spam"
    log = client.get(reverse("deliberation_moderation_log")).content.decode()
    assert "Premier sujet" in log and "Second sujet" in log


def test_citizens_cannot_open_the_queue_nor_decide(client, citizen, institution):
    proposal = _propose(citizen, institution)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("deliberation_moderation_proposals")).status_code in (302, 403)
    client.post(reverse("deliberation_moderation_proposal_act", args=[proposal.pk]), {"action": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


# --- The API ------------------------------------------------------------------------------------


def test_the_api_takes_a_proposal_and_lists_only_ones_own(client, citizen, institution, moderator):
    url = "/api/forum/proposals/"
    assert client.get(url).status_code == 401
    client.force_login(citizen)
    answer = client.post(
        url,
        {"institution_id": institution.pk, "title": "Les marchés du dimanche", "text": "Les ouvrir ?", "topics": "commerce"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "pending" and body["topics"] == ["commerce"] and body["topic_url"] is None
    other = UserFactory(email_verified=True)
    _propose(other, institution, title="Le sujet d'un autre")
    titles = [item["title"] for item in client.get(url).json()]
    assert titles == ["Les marchés du dimanche"]
    services.topic_proposal_approve(moderator=moderator, proposal=TopicProposal.objects.get(pk=body["id"]))
    [item] = client.get(url).json()
    assert item["status"] == "approved" and item["topic_url"]


def test_the_api_refuses_bad_input_naming_the_field_and_stores_nothing(client, citizen, institution):
    client.force_login(citizen)
    url = "/api/forum/proposals/"
    answer = client.post(
        url, {"institution_id": institution.pk, "title": "ab", "text": "Un texte."}, content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["field"] == "title"
    answer = client.post(
        url, {"institution_id": 999999, "title": "Un titre", "text": "Un texte."}, content_type="application/json"
    )
    assert answer.status_code == 404
    unverified = UserFactory(email_verified=False)
    client.force_login(unverified)
    answer = client.post(
        url, {"institution_id": institution.pk, "title": "Un titre", "text": "Un texte."}, content_type="application/json"
    )
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert not TopicProposal.objects.exists()
