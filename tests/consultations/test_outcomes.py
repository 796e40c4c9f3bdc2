"""Publishing outcomes and decisions: the phase, what may be cited, the frozen statistics, the
emails, and who may edit them."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.services import page_translation_ensure
from consultations.models import ConsultationFollow, ConsultationPage
from consultations.outcomes.models import (
    DecisionMilestone,
    DecisionPage,
    DecisionStatus,
    OutcomePage,
    ParticipationSnapshot,
)
from consultations.outcomes.statistics import participation_statistics
from deliberation.phases import Phase
from deliberation.models import Contribution, ModerationActionKind, Reaction, Reason
from deliberation.services import contribution_moderate, contribution_react, thread_for_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English: the code's own language (ar and fr are checked
    complete by tests/test_i18n.py)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def admin_user(admin_user):
    """The admin's own interface language is the user profile's: English here."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_user


def close(consultation):
    now = timezone.now()
    ConsultationPage.objects.filter(translation_key=consultation.translation_key).update(
        closes_at=now - datetime.timedelta(minutes=1), opens_at=now - datetime.timedelta(days=5)
    )
    return ConsultationPage.objects.get(pk=consultation.pk)


@pytest.fixture
def heard(make_consultation, trusted_citizen, user_factory, post):
    """A closed consultation with three published contributions (one a reply), a reaction,
    and one contribution a moderator hid."""
    consultation = make_consultation(opens_in=-3, closes_in=5)
    general = thread_for_page(page=consultation)
    section = thread_for_page(page=consultation, section_id=consultation.sections[0].id)
    other = user_factory(display_name="Karim", governorate="TN-33")
    first = post(trusted_citizen, general, "Plus de fontaines publiques.")
    reply = post(other, general, "D'accord, surtout au marché.", parent=first)
    on_section = post(other, section, "Le principe 1 oublie les quartiers.")
    hidden = post(trusted_citizen, general, "Message hors sujet.")
    moderator = user_factory(is_staff=True, is_superuser=True)
    contribution_moderate(
        moderator=moderator, contribution=hidden, action=ModerationActionKind.HIDE,
        reason=Reason.OFF_TOPIC,
    )
    contribution_react(user=other, contribution=first, kind="agree")
    return {
        "consultation": close(consultation),
        "first": first,
        "reply": reply,
        "on_section": on_section,
        "hidden": Contribution.objects.get(pk=hidden.pk),
        "citizens": (trusted_citizen, other),
    }


def test_publishing_the_outcome_moves_every_translation_to_the_outcome_phase(heard, make_outcome):
    consultation = heard["consultation"]
    arabic = page_translation_ensure(
        page=consultation, locale=Locale.objects.get(language_code="ar"), title="مشروع"
    )
    assert consultation.phase == Phase.CLOSED

    draft = make_outcome(consultation, publish=False)
    assert ConsultationPage.objects.get(pk=consultation.pk).phase == Phase.CLOSED

    draft.get_latest_revision().publish()
    for page in (consultation, arabic):
        page = ConsultationPage.objects.get(pk=page.pk)
        assert page.phase == Phase.OUTCOME

    # Publishing the consultation again (from a revision saved before) keeps the phase.
    ConsultationPage.objects.get(pk=consultation.pk).save_revision().publish()
    assert ConsultationPage.objects.get(pk=consultation.pk).phase == Phase.OUTCOME

    # Unpublishing the outcome takes the consultation back to its dated phase.
    OutcomePage.objects.get(pk=draft.pk).unpublish()
    assert ConsultationPage.objects.get(pk=consultation.pk).phase == Phase.CLOSED


def test_citing_a_hidden_or_foreign_contribution_is_refused(
    heard, make_outcome, make_decision, make_consultation, trusted_citizen, post
):
    consultation = heard["consultation"]
    elsewhere = make_consultation()
    foreign = post(trusted_citizen, thread_for_page(page=elsewhere), "Ailleurs.")

    for bad in (heard["hidden"], foreign):
        with pytest.raises(ValidationError) as refused:
            make_outcome(consultation, responses=[{"theme": "Eau", "contributions": [bad]}])
        assert f"#{bad.pk}" in str(refused.value)
    assert not OutcomePage.objects.exists()

    outcome = make_outcome(consultation, responses=[{"contributions": [heard["first"]]}])
    with pytest.raises(ValidationError):
        make_decision(outcome, contributions=[foreign])
    assert not DecisionPage.objects.exists()


def test_milestones_must_follow_each_other(heard, make_outcome, make_decision):
    outcome = make_outcome(heard["consultation"])
    with pytest.raises(ValidationError) as refused:
        make_decision(
            outcome,
            milestones=[
                ("proposed", datetime.date(2026, 1, 1)),
                ("implemented", datetime.date(2026, 2, 1)),
            ],
        )
    assert "cannot follow" in str(refused.value)
    decision = make_decision(
        outcome,
        milestones=[
            ("proposed", datetime.date(2026, 1, 1)),
            ("adopted", datetime.date(2026, 2, 1)),
            ("abandoned", datetime.date(2026, 3, 1)),
        ],
    )
    assert decision.status == "abandoned"


def _independent_counts(consultation):
    published = [
        c for c in Contribution.objects.all()
        if c.thread.translation_key == consultation.translation_key and c.status == "published"
    ]
    authors = {c.author_id for c in published}
    reactors = {
        r.user_id for r in Reaction.objects.all() if r.contribution in published
    }
    return {
        "participants": len(authors | reactors),
        "contributions": len([c for c in published if c.parent_id is None]),
        "replies": len([c for c in published if c.parent_id is not None]),
        "reactions": len([r for r in Reaction.objects.all() if r.contribution in published]),
    }


def test_statistics_equal_independent_counts(heard):
    consultation = heard["consultation"]
    stats = participation_statistics(consultation=consultation)
    for name, value in _independent_counts(consultation).items():
        assert stats[name] == value, name
    assert stats == {**stats, "participants": 2, "contributions": 2, "replies": 1, "reactions": 1}
    by_section = {row["id"]: row["contributions"] for row in stats["sections"]}
    assert by_section == {"": 2, consultation.sections[0].id: 1, consultation.sections[1].id: 0}
    assert sum(day["contributions"] for day in stats["days"]) == 3
    governorates = {row["code"]: row["contributors"] for row in stats["governorates"]}
    assert governorates == {"TN-33": 1, "": 1}
    assert stats["moderation"]["hidden"] == {"off_topic": 1}


def test_snapshot_is_taken_once_and_never_moves(heard, make_outcome, post, user_factory):
    consultation = heard["consultation"]
    outcome = make_outcome(consultation)
    snapshot = ParticipationSnapshot.objects.get(consultation_key=consultation.translation_key)
    assert snapshot.data["contributions"] == 2

    # Later changes: a contribution hidden, the outcome edited and published again.
    contribution_moderate(
        moderator=user_factory(is_staff=True, is_superuser=True),
        contribution=heard["reply"],
        action=ModerationActionKind.HIDE,
        reason=Reason.ABUSE,
    )
    assert participation_statistics(consultation=consultation)["replies"] == 0
    outcome.title = "Ce que nous avons entendu (mis à jour)"
    outcome.save_revision().publish()
    again = ParticipationSnapshot.objects.get(consultation_key=consultation.translation_key)
    assert again.data == snapshot.data and again.taken_at == snapshot.taken_at
    with pytest.raises(TypeError):
        again.save()
    with pytest.raises(TypeError):
        ParticipationSnapshot.objects.update(data={})


def test_outcome_emails_followers_and_contributors_once(
    heard, make_outcome, user_factory, django_capture_on_commit_callbacks
):
    consultation = heard["consultation"]
    follower = user_factory(display_name="Salma", preferred_language="fr")
    ConsultationFollow.objects.create(user=follower, consultation=consultation)
    quiet = user_factory(notify_outcomes=False)
    ConsultationFollow.objects.create(user=quiet, consultation=consultation)
    citizen, other = heard["citizens"]
    ConsultationFollow.objects.create(user=citizen, consultation=consultation)  # (also wrote)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = make_outcome(consultation)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([follower.email, citizen.email, other.email])
    french = next(m for m in mail.outbox if m.to == [follower.email])
    assert "Projet de code" in french.subject and outcome.url in french.body

    page_translation_ensure(
        page=consultation, locale=Locale.objects.get(language_code="ar"), title="مشروع"
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome.save_revision().publish()
        arabic = page_translation_ensure(
            page=outcome, locale=Locale.objects.get(language_code="ar"), title="النتائج"
        )
    assert arabic.live
    assert len(mail.outbox) == 3


def test_a_decision_emails_the_cited_once_per_new_status(
    heard, make_outcome, make_decision, django_capture_on_commit_callbacks
):
    consultation = heard["consultation"]
    citizen, other = heard["citizens"]
    outcome = make_outcome(consultation, responses=[{"contributions": [heard["on_section"]]}])
    response = outcome.responses.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = make_decision(outcome, contributions=[heard["first"]], responses=[response])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([citizen.email, other.email])
    from django.utils import translation

    for message in mail.outbox:
        person = citizen if message.to == [citizen.email] else other
        with translation.override(person.preferred_language):
            assert str(DecisionStatus.PROPOSED.label) in message.subject

    with django_capture_on_commit_callbacks(execute=True):
        decision.save_revision().publish()  # the same status: nothing
    assert len(mail.outbox) == 2

    decision.milestones.add(DecisionMilestone(status="adopted", date=datetime.date(2026, 7, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        decision.save_revision().publish()
    assert len(mail.outbox) == 4


# --- The admin ----------------------------------------------------------------------------------


def outcome_form(*, contributions=(), sections=(), action="action-publish"):
    data = nested_form_data(
        {
            "title": "Ce que nous avons entendu",
            "slug": "resultats",
            "what_we_heard": rich_text("<p>Beaucoup d'avis.</p>"),
            "responses": inline_formset(
                [
                    {
                        "theme": "L'eau",
                        "status": "adopted",
                        "heard": "Plus de fontaines.",
                        "reasoning": rich_text("<p>Dix fontaines.</p>"),
                    }
                ],
                min=1,
            ),
            action: action,
        }
    )
    # (Multiple values under one name, as the browser sends ticked boxes.)
    data["responses-0-section_ids"] = list(sections)
    data["responses-0-contributions"] = [c.pk for c in contributions]
    return data


def add_outcome_url(consultation):
    return reverse(
        "wagtailadmin_pages:add", args=("consultations", "outcomepage", consultation.pk)
    )


def test_admin_creates_an_outcome_citing_contributions_and_sections(client, heard, admin_user):
    consultation = heard["consultation"]
    client.force_login(admin_user)
    section = consultation.sections[1].id
    response = client.post(
        add_outcome_url(consultation),
        outcome_form(contributions=[heard["first"], heard["on_section"]], sections=[section]),
    )
    assert response.status_code == 302, response.context["form"].errors
    outcome = OutcomePage.objects.get(slug="resultats")
    assert outcome.live
    cited = outcome.responses.get()
    assert set(cited.contributions.values_list("pk", flat=True)) == {
        heard["first"].pk, heard["on_section"].pk
    }
    assert cited.section_ids == [section]
    assert ConsultationPage.objects.get(pk=consultation.pk).phase == Phase.OUTCOME

    # The edit form shows what is chosen, and searches the consultation's contributions.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(outcome.pk,)))
    assert "Plus de fontaines publiques." in edit.content.decode()
    search = reverse("consultations_contribution_search")
    found = client.get(search, {"consultation": consultation.pk, "q": "quartiers"}).json()
    assert [row["id"] for row in found["results"]] == [heard["on_section"].pk]
    everything = client.get(search, {"consultation": consultation.pk, "q": ""}).json()
    assert heard["hidden"].pk not in [row["id"] for row in everything["results"]]


def test_admin_refuses_a_hidden_contribution_with_its_reason(client, heard, admin_user):
    client.force_login(admin_user)
    consultation = heard["consultation"]
    response = client.post(
        add_outcome_url(consultation), outcome_form(contributions=[heard["hidden"]])
    )
    assert response.status_code == 200
    assert f"Contribution #{heard['hidden'].pk} cannot be cited" in response.content.decode()
    assert not OutcomePage.objects.exists()
    assert ConsultationPage.objects.get(pk=consultation.pk).phase == Phase.CLOSED


def test_editors_of_another_institution_cannot_edit_the_outcome(
    client, two_institutions, heard, make_outcome  # noqa: F811
):
    outcome = make_outcome(heard["consultation"])
    outsider = two_institutions["people"]["ministere-b"]["editor"]
    client.force_login(outsider)
    edit = reverse("wagtailadmin_pages:edit", args=(outcome.pk,))
    assert client.get(edit).status_code in (302, 403)
    response = client.post(edit, outcome_form())
    assert response.status_code in (302, 403)
    assert OutcomePage.objects.get(pk=outcome.pk).title == "Ce que nous avons entendu"
    search = reverse("consultations_contribution_search")
    assert client.get(search, {"consultation": heard["consultation"].pk}).status_code == 403

    insider = two_institutions["people"]["el-kef"]["editor"]
    client.force_login(insider)
    assert client.get(edit).status_code == 200


def _decision_form(decision, milestones, *, initial):
    return nested_form_data({
        "title": decision.title,
        "slug": decision.slug,
        "summary": decision.summary,
        "reference_kind": "",
        "reference_number": "",
        "jort_reference": "",
        "signed_on": "",
        "body": rich_text(""),
        "topics": "",
        "milestones": inline_formset(milestones, initial=initial, min=1),
        "documents": inline_formset([]),
        "action-publish": "action-publish",
    })


@pytest.mark.parametrize("unpublished_since", [False, True])
def test_a_published_milestone_cannot_be_rewritten_in_the_admin(
    client, heard, make_outcome, make_decision, admin_user, unpublished_since
):
    outcome = make_outcome(heard["consultation"])
    decision = make_decision(outcome, milestones=[("proposed", datetime.date(2026, 6, 1))])
    milestone = decision.milestones.get()
    if unpublished_since:
        DecisionPage.objects.get(pk=decision.pk).unpublish()
    client.force_login(admin_user)
    edit = reverse("wagtailadmin_pages:edit", args=(decision.pk,))
    rewritten = {"id": milestone.pk, "status": "adopted", "date": "2026-06-01", "note": ""}
    response = client.post(edit, _decision_form(decision, [rewritten], initial=1))
    assert response.status_code == 200
    assert "cannot be changed or removed" in response.content.decode()
    assert DecisionPage.objects.get(pk=decision.pk).status == "proposed"

    # Adding the next step, keeping the published one, is how the history moves on.
    kept = {"id": milestone.pk, "status": "proposed", "date": "2026-06-01", "note": ""}
    added = {"status": "adopted", "date": "2026-07-01", "note": "Signé."}
    response = client.post(edit, _decision_form(decision, [kept, added], initial=1))
    assert response.status_code == 302
    assert DecisionPage.objects.get(pk=decision.pk).status == "adopted"


def test_the_consultation_page_links_to_its_outcome_and_open_data(client, heard, make_outcome):
    consultation = heard["consultation"]
    page = client.get(consultation.url).content.decode()
    assert "open-data/contributions/csv/" in page and "Read the outcome" not in page
    outcome = make_outcome(consultation)
    page = client.get(consultation.url).content.decode()
    assert f'href="{outcome.url}"' in page


def test_deleting_the_outcome_returns_the_consultation_to_its_dated_phase(heard, make_outcome):
    outcome = make_outcome(heard["consultation"])
    assert ConsultationPage.objects.get(pk=heard["consultation"].pk).phase == Phase.OUTCOME
    OutcomePage.objects.get(pk=outcome.pk).delete()
    assert ConsultationPage.objects.get(pk=heard["consultation"].pk).phase == Phase.CLOSED


def test_a_restricted_outcome_emails_nobody_and_cites_nothing_in_public(
    heard, make_outcome, django_capture_on_commit_callbacks
):
    """Published behind a restriction, even one every account passes (log-in), the outcome
    queues no e-mail at all (``outcomes.outcome_publish_record``: it waits for its public
    publication); the next test shows the readability check of the sending itself."""
    from wagtail.models import PageViewRestriction

    from consultations.outcomes.selectors import citations_by_contribution

    consultation = heard["consultation"]
    outcome = make_outcome(consultation, publish=False, responses=[{"contributions": [heard["first"]]}])
    PageViewRestriction.objects.create(page=outcome, restriction_type=PageViewRestriction.LOGIN)
    with django_capture_on_commit_callbacks(execute=True):
        OutcomePage.objects.get(pk=outcome.pk).get_latest_revision().publish()
    assert mail.outbox == []
    assert citations_by_contribution(contribution_ids=[heard["first"].pk]) == {}


def test_an_outcome_restricted_before_its_emails_go_out_emails_only_who_may_read_it(
    heard, make_outcome, make_decision, django_capture_on_commit_callbacks
):
    """Restricted to a group between its publication and the sending of its e-mails (or of
    its decision's), the outcome is e-mailed to the group's member only: the sending asks
    ``cms.rules`` who may read the page (``consultations.outcomes.notifications``)."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    consultation = heard["consultation"]
    author, member = heard["citizens"]
    group = Group.objects.create(name="Conseil municipal")
    member.groups.add(group)
    cited = [heard["first"], heard["reply"]]  # one by each
    with django_capture_on_commit_callbacks() as queued:
        outcome = make_outcome(consultation, responses=[{"contributions": cited}])
        make_decision(outcome, title="Arrêté réservé", contributions=cited)
    restriction = PageViewRestriction.objects.create(
        page=outcome, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    for callback in queued:
        callback()
    assert [message.to for message in mail.outbox] == [[member.email], [member.email]]
    assert "Arrêté réservé" in mail.outbox[1].subject
    assert author.email not in {address for m in mail.outbox for address in m.to}


def test_the_admin_refuses_milestones_out_of_order(client, heard, make_outcome, admin_user):
    outcome = make_outcome(heard["consultation"])
    client.force_login(admin_user)
    data = nested_form_data(
        {
            "title": "Décret",
            "slug": "decret",
            "summary": "Un décret.",
            "body": rich_text(""),
            "milestones": inline_formset(
                [
                    {"status": "implemented", "date": "2026-06-01", "note": ""},
                    {"status": "proposed", "date": "2026-07-01", "note": ""},
                ],
                min=1,
            ),
            "documents": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("consultations", "decisionpage", outcome.pk)), data
    )
    assert response.status_code == 200
    assert "cannot follow" in response.content.decode()
    assert not DecisionPage.objects.exists()


def test_a_translated_decision_rests_on_its_own_outcomes_responses(
    heard, make_outcome, make_decision
):
    """Copying a decision into another language points it at the translated outcome's
    responses (same place), not at the source language's."""
    consultation = heard["consultation"]
    outcome = make_outcome(
        consultation, responses=[{"theme": "Eau"}, {"theme": "Marché"}]
    )
    second = outcome.responses.get(sort_order=1)
    decision = make_decision(outcome, responses=[second])
    arabic = {}
    for page, title in ((consultation, "مشروع"), (outcome, "النتائج"), (decision, "القرار")):
        arabic[page.pk] = page_translation_ensure(
            page=page, locale=Locale.objects.get(language_code="ar"), title=title
        )
    translated = DecisionPage.objects.get(pk=arabic[decision.pk].pk)
    [response] = translated.responses.all()
    assert response.page_id == arabic[outcome.pk].pk and response.sort_order == 1
    assert response.pk != second.pk
    # The editor's next edit starts from the same: the latest revision names it too.
    assert translated.get_latest_revision().content["responses"] == [response.pk]
    # The source is untouched.
    assert list(DecisionPage.objects.get(pk=decision.pk).responses.all()) == [second]
