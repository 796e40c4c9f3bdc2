import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from demo.content.people import DEMO_PASSWORD
from accounts.models import User
from cms.models import HomePage, InstitutionPage, PolicyPage

pytestmark = pytest.mark.django_db


def seed_again() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_a_three_language_site_and_prints_its_accounts(client, demo):
    out = demo
    assert DEMO_PASSWORD in out
    for email in ("admin@majlis.test", "moderator@majlis.test", "amira@majlis.test"):
        assert email in out
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert User.objects.filter(email__startswith="editor.").count() == 3
    assert User.objects.filter(email__startswith="approver.").count() == 3
    assert User.objects.filter(email__startswith="officer.").count() == 3
    assert InstitutionPage.objects.filter(locale__language_code="ar").count() == 3
    for code in ("ar", "fr", "en"):
        assert HomePage.objects.filter(locale__language_code=code, live=True).count() == 1
        assert PolicyPage.objects.filter(locale__language_code=code, live=True).count() == 3
        assert client.get(f"/{code}/").status_code == 200
    assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, HomePage)
    assert "El Kef" in client.get("/en/").content.decode()
    assert "بلدية الكاف" in client.get("/ar/").content.decode()


def _counts():
    from citizen_requests.models import (
        CitizenRequest,
        RequestDesk,
        RequestEvent,
        StaffAccessLog,
        Support,
    )
    from deliberation.models import (
        Contribution,
        Flag,
        ModerationAction,
        Reaction,
        Thread,
        TopicProposal,
    )

    return [
        model.objects.count()
        for model in (
            Page, User, Group, Thread, Contribution, Reaction, Flag, ModerationAction,
            RequestDesk, CitizenRequest, RequestEvent, StaffAccessLog, Support, TopicProposal,
        )
    ]


def test_seed_demo_is_idempotent(demo):
    assert "contributions and" in demo
    assert "citizen requests: every kind and stage" in demo
    counts = _counts()
    out = seed_again()
    assert _counts() == counts
    assert "Discussions already seeded: nothing added" in out
    assert "Requests already seeded: nothing added" in out
    assert "Proposed forum topics already seeded: nothing added" in out


def test_seed_demo_has_proposed_forum_topics_pending_approved_and_rejected(client, demo):
    from deliberation.models import TopicProposal

    by_status = {proposal.status: proposal for proposal in TopicProposal.objects.all()}
    assert set(by_status) == {"pending", "approved", "rejected"}
    approved = by_status["approved"]
    assert approved.page.live and approved.page.locale.language_code == approved.language
    assert client.get(approved.page.url).status_code == 200
    assert by_status["rejected"].reason == "spam" and by_status["rejected"].page is None


def test_seed_demo_editors_may_edit_only_their_institution(demo):
    editor = User.objects.get(email="editor.el-kef@majlis.test")
    own = InstitutionPage.objects.get(slug="el-kef", locale__language_code="fr")
    other = InstitutionPage.objects.get(slug="agriculture-water", locale__language_code="fr")
    assert own.permissions_for_user(editor).can_edit()
    assert not other.permissions_for_user(editor).can_edit()
    assert not own.permissions_for_user(editor).can_publish()
    approver = User.objects.get(email="approver.el-kef@majlis.test")
    assert own.permissions_for_user(approver).can_publish()
    assert not other.permissions_for_user(approver).can_edit()


def test_seed_demo_adds_open_upcoming_and_answered_consultations_in_three_languages(demo):
    from consultations.models import ConsultationPage
    from deliberation.phases import Phase

    for code in ("ar", "fr", "en"):
        pages = {p.slug: p for p in ConsultationPage.objects.live().filter(locale__language_code=code)}
        assert {p.phase for p in pages.values()} == {Phase.OPEN, Phase.UPCOMING, Phase.OUTCOME}
        water = pages["water-code"]
        assert len(water.sections) >= 4
        assert list(water.versions.values_list("number", flat=True)) == [1, 2]
    anchors = {
        code: [s.anchor for s in ConsultationPage.objects.get(slug="water-code", locale__language_code=code).sections]
        for code in ("ar", "fr", "en")
    }
    assert anchors["ar"] == anchors["fr"] == anchors["en"]


def test_seed_demo_fills_the_search_index_with_every_kind_in_three_languages(demo):
    from search.models import Kind, SearchDocument

    out = demo
    found = set(SearchDocument.objects.values_list("kind", "language"))
    assert found == {(kind, code) for kind in Kind.values for code in ("ar", "fr", "en")}
    assert f"{SearchDocument.objects.count()} documents in the search index" in out


def test_seed_demo_refuses_in_production(settings):
    settings.PRODUCTION = True
    users = User.objects.count()
    with pytest.raises(CommandError, match="refuses to run in production mode"):
        call_command("seed_demo")
    assert User.objects.count() == users


def test_seed_demo_fills_the_open_consultation_with_a_moderated_multilingual_discussion(client, demo):
    from collections import Counter

    from consultations.models import ConsultationPage
    from deliberation.models import (
        Contribution,
        ForumTopicPage,
        ModerationAction,
        Reaction,
        Status,
        Thread,
    )
    from deliberation.selectors import moderation_queue

    water = ConsultationPage.objects.get(slug="water-code", locale__language_code="fr")
    contributions = Contribution.objects.filter(thread__translation_key=water.translation_key)
    assert contributions.count() >= 60
    per_thread = Counter(contributions.values_list("thread__section_id", flat=True))
    assert len(per_thread) >= 3 and "" in per_thread
    assert set(contributions.values_list("depth", flat=True)) == {1, 2, 3}
    assert contributions.values("author").distinct().count() >= 12
    languages = Counter(contributions.values_list("language", flat=True))
    assert languages["ar"] > languages["fr"] > languages["en"] > 0

    # Each thread reads in the order people wrote, over the days since the consultation opened.
    for thread in Thread.objects.filter(translation_key=water.translation_key):
        rows = sorted(thread.contributions.values_list("path", "created_at"), key=lambda r: r[0][-8:])
        times = [created for _, created in rows]
        assert times == sorted(times)
        assert water.opens_at <= times[0] and times[-1] <= water.closes_at
    assert (contributions.latest("created_at").created_at - contributions.earliest("created_at").created_at).days >= 5

    reactions = Reaction.objects.filter(contribution__in=contributions)
    assert reactions.values("user").distinct().count() >= 10
    assert reactions.filter(kind="agree").exists() and reactions.filter(kind="disagree").exists()
    assert contributions.filter(agree_count__gte=5).exists()

    moderator = User.objects.get(email="moderator.agriculture-water@majlis.test")
    assert moderator.groups.filter(name="Moderators: agriculture-water").exists()
    hidden = contributions.filter(status=Status.HIDDEN)
    assert sorted(hidden.values_list("reason", flat=True)) == ["personal_data", "spam"]
    for contribution in hidden:
        entry = ModerationAction.objects.get(contribution=contribution, action="hide")
        assert (entry.actor, entry.reason) == (moderator, contribution.reason)
        assert entry.note

    official = contributions.get(official=True)
    assert official.depth == 2
    assert official.author.groups.filter(name="Approvers: agriculture-water").exists()
    assert ModerationAction.objects.filter(contribution=official, action="mark_official", actor=moderator).exists()

    pending = moderation_queue(user=moderator, queue="pending")
    assert [c.author.email for c in pending] == ["zeineb@majlis.test"]
    flagged = moderation_queue(user=moderator, queue="flagged")
    assert flagged.count() == 1 and flagged[0].status == Status.PUBLISHED

    page = client.get(water.url).content.decode()
    assert "SONEDE" in page and "Youssef K." in page
    assert "aquapure-promo" not in page
    spam = hidden.get(reason="spam")
    section = client.get(water.url + water.reverse_subpage("section", args=[spam.thread.section_id]))
    assert section.status_code == 200
    assert "aquapure-promo" not in section.content.decode()

    topics = ForumTopicPage.objects.live().filter(slug="water-projects-2027")
    assert sorted(topics.values_list("locale__language_code", flat=True)) == ["ar", "en", "fr"]
    topic = topics.get(locale__language_code="en")
    forum_contributions = Contribution.objects.filter(thread__translation_key=topic.translation_key)
    assert 8 <= forum_contributions.filter(status=Status.PUBLISHED).count() <= 12
    for translation in topics:
        response = client.get(translation.url)
        assert response.status_code == 200
        assert "Rania H." in response.content.decode()
