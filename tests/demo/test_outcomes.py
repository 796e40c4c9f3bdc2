"""seed_demo's closed consultation: its published outcome and decisions, as a visitor finds
them; seeding again adds nothing."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from consultations.models import (
    ConsultationPage,
    DecisionPage,
    DecisionStatus,
    OutcomePage,
    OutcomeResponse,
    ParticipationSnapshot,
)
from deliberation.phases import Phase
from deliberation.models import Contribution, Reaction, Status, Thread

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count()
        for model in (Page, Thread, Contribution, Reaction, OutcomeResponse, ParticipationSnapshot)
    ] + [OutcomeResponse.contributions.through.objects.count(), DecisionPage.contributions.through.objects.count()]


def test_the_closed_demo_consultation_has_a_published_outcome_and_decisions(demo):
    assert "4 responses, 2 decisions" in demo

    charter = ConsultationPage.objects.get(slug="requests-charter", locale__language_code="ar")
    for translation in ConsultationPage.objects.filter(translation_key=charter.translation_key):
        assert translation.phase == Phase.OUTCOME
    assert ParticipationSnapshot.objects.filter(consultation_key=charter.translation_key).exists()

    outcomes = OutcomePage.objects.live().filter(
        translation_key=OutcomePage.objects.child_of(charter).get().translation_key
    )
    assert sorted(outcomes.values_list("locale__language_code", flat=True)) == ["ar", "en", "fr"]
    sections = {section.id for section in charter.sections}
    themes = {}
    for outcome in outcomes:
        consultation = outcome.get_parent().specific
        assert consultation.translation_key == charter.translation_key
        assert consultation.locale_id == outcome.locale_id
        responses = list(outcome.responses.order_by("sort_order"))
        assert len(responses) == 4
        assert len({response.status for response in responses}) == 4
        themes[outcome.locale.language_code] = [response.theme for response in responses]
        for response in responses:
            cited = list(response.contributions.select_related("thread"))
            assert 1 <= len(cited) <= 3
            for contribution in cited:
                assert contribution.status == Status.PUBLISHED
                assert contribution.thread.translation_key == charter.translation_key
            assert set(response.section_ids) <= sections
        assert any(response.section_ids for response in responses)

        decisions = list(DecisionPage.objects.live().child_of(outcome).specific())
        assert len(decisions) == 2
        by_status = {decision.status: decision for decision in decisions}
        assert set(by_status) == {DecisionStatus.ADOPTED, DecisionStatus.IN_FORCE}
        adopted, in_force = by_status[DecisionStatus.ADOPTED], by_status[DecisionStatus.IN_FORCE]
        assert [m.status for m in adopted.history] == ["proposed", "adopted"]
        assert adopted.jort_reference and "52" in adopted.jort_reference
        assert adopted.reference_kind and adopted.reference_number and adopted.signed_on
        assert [m.status for m in in_force.history] == ["proposed", "adopted", "in_force"]
        for decision in decisions:
            assert decision.contributions.exists()
            for contribution in decision.contributions.select_related("thread"):
                assert contribution.status == Status.PUBLISHED
                assert contribution.thread.translation_key == charter.translation_key
            # A translated decision links to the responses of the outcome in its own language.
            assert {r.page_id for r in decision.responses.all()} == {outcome.pk}
            assert set(decision.section_ids) <= sections
    # The texts are translated, not copied.
    assert len({tuple(t) for t in themes.values()}) == 3

    # The discussion the outcome answers is there, moderated like the others.
    discussion = Contribution.objects.filter(thread__translation_key=charter.translation_key)
    assert discussion.filter(status=Status.PUBLISHED).count() >= 12
    assert discussion.filter(status=Status.HIDDEN, reason="personal_data").count() == 1
    for contribution in discussion:
        assert charter.opens_at <= contribution.created_at <= charter.closes_at
    hidden = discussion.get(status=Status.HIDDEN)
    assert not hidden.outcome_responses.exists() and not hidden.decisions.exists()

    # Its open data shows where each cited contribution was answered.
    from consultations.exports import contribution_rows
    from django.test import RequestFactory

    rows = list(contribution_rows(RequestFactory().get("/"), charter))
    cited = [row for row in rows if row["cited_by"]]
    assert len(cited) >= 8
    assert all(row["id"] != hidden.pk for row in rows)


def test_seeding_the_demo_again_adds_no_outcome(demo):
    counts = _counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Outcome already seeded: nothing added" in out.getvalue()
    assert _counts() == counts
