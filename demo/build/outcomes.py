"""The closed consultation's discussion, its published outcome and its decisions.

The requests charter closed before anyone could write in it through the site, so its
discussion is posted as it would have been while it was open (dated within its open period),
then the Central Office answers it: an outcome with four responses, and two decisions, each
citing the contributions it rests on (the first also a citizen's idea it accepted). What already exists is kept.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cms.models import InstitutionPage
from cms.services import locales_ensure, page_translation_ensure
from consultations.models import (
    ConsultationPage,
    DecisionMilestone,
    DecisionPage,
    OutcomePage,
    OutcomeResponse,
)
from deliberation import services
from deliberation.models import Contribution, Thread
from demo.build.conditions import posting_unlimited
from demo.build.discussions import discussion_seed, people, preorder
from demo.build.ideas import charter_idea_ensure
from demo.build.ids import post_key, section_id
from demo.build.publishing import child_publish
from demo.content.charter import CHARTER_RESPONSES, CITED, DISCUSSION
from demo.content.charter_outcome import CHARTER_DECISIONS, CHARTER_OUTCOME
from demo.content.consultations import REQUESTS_CHARTER
from demo.content.ideas import CHARTER_IDEA


def _section(key: str) -> str:
    return section_id(REQUESTS_CHARTER["slug"], key)


def _discussion_post(consultation: ConsultationPage, threads: dict, everyone: dict) -> None:
    """Post the discussion while the consultation is open again for the time of posting.

    Posting follows the consultation's phase, so its closing date is moved past now and back
    within the seed's transaction (nobody ever sees it open); each contribution is dated
    within the weeks it really was open.
    """
    key, closes_at = consultation.translation_key, consultation.closes_at
    ConsultationPage.objects.filter(translation_key=key).update(
        closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    with posting_unlimited():
        for section, script in DISCUSSION.items():
            discussion_seed(
                thread=Thread.objects.get(pk=threads[section].pk),
                script=script,
                opened=consultation.opens_at,
                now=closes_at,
                people=everyone,
            )
    ConsultationPage.objects.filter(translation_key=key).update(closes_at=closes_at)


def _discussion_ensure(consultation: ConsultationPage) -> dict[str, Contribution]:
    """Post the charter's discussion (once) and return the cited contributions by name."""
    threads = {
        key: services.thread_for_page(page=consultation, section_id=_section(key) if key else "")
        for key in DISCUSSION
    }
    everyone = people()
    if not all(thread.contributions.exists() for thread in threads.values()):
        _discussion_post(consultation, threads, everyone)
    found = {}
    for section, script in DISCUSSION.items():
        for index, item in enumerate(preorder(script)):
            for name, target in CITED.items():
                if item is target:
                    found[name] = Contribution.objects.get(
                        author=everyone[item.author],
                        idempotency_key=post_key(threads[section].key, index),
                    )
    return found


def _responses(language: str, found: dict) -> list[OutcomeResponse]:
    responses = []
    for number, spec in enumerate(CHARTER_RESPONSES):
        theme, heard, reasoning = spec[language]
        response = OutcomeResponse(
            theme=theme,
            status=spec["status"],
            heard=heard,
            reasoning=reasoning,
            section_ids=[_section(key) for key in spec["sections"]],
            sort_order=number,
        )
        response.contributions = [found[name] for name in spec["contributions"]]
        responses.append(response)
    return responses


def _outcome_publish(
    consultation: ConsultationPage, found: dict, locales
) -> dict[str, OutcomePage]:
    """The outcome page with its responses, in Arabic (source), French and English."""
    outcome = OutcomePage(slug=CHARTER_OUTCOME["slug"], **CHARTER_OUTCOME["ar"])
    consultation.add_child(instance=outcome)
    outcome.responses = _responses("ar", found)
    outcome.save_revision().publish()
    outcomes = {"ar": OutcomePage.objects.get(pk=outcome.pk)}
    for code in ("fr", "en"):
        translation = page_translation_ensure(
            page=outcome,
            locale=locales[code],
            responses=_responses(code, found),
            **CHARTER_OUTCOME[code],
        )
        # Read back: the responses given above are not the saved ones (those have ids).
        outcomes[code] = OutcomePage.objects.get(pk=translation.pk)
    return outcomes


def _decision_fields(spec: dict, language: str, found: dict, outcome: OutcomePage, closed) -> dict:
    texts = spec[language]
    signed_on = closed + datetime.timedelta(days=spec["signed_after"])
    responses = list(outcome.responses.order_by("sort_order"))
    milestones = zip(spec["milestones"], texts["notes"])
    return {
        "title": texts["title"],
        "summary": texts["summary"],
        "jort_reference": texts["jort_reference"].format(day=signed_on.strftime("%d/%m/%Y")),
        "body": texts["body"],
        "milestones": [
            DecisionMilestone(
                status=status,
                date=closed + datetime.timedelta(days=after),
                note=note,
                sort_order=number,
            )
            for number, ((status, after), note) in enumerate(milestones)
        ],
        "contributions": [found[name] for name in spec["contributions"]],
        "responses": [responses[number] for number in spec["responses"]],
    }


def _decisions_publish(outcomes: dict[str, OutcomePage], found: dict, closed, locales) -> None:
    for spec in CHARTER_DECISIONS:
        signed_on = closed + datetime.timedelta(days=spec["signed_after"])
        decision = DecisionPage(
            slug=spec["slug"],
            reference_kind=spec["reference_kind"],
            reference_number=spec["reference_number"].format(year=signed_on.year),
            signed_on=signed_on,
            section_ids=[_section(key) for key in spec["sections"]],
        )
        for name, value in _decision_fields(spec, "ar", found, outcomes["ar"], closed).items():
            setattr(decision, name, value)
        child_publish(parent=outcomes["ar"], page=decision)
        for code in ("fr", "en"):
            page_translation_ensure(
                page=decision,
                locale=locales[code],
                **_decision_fields(spec, code, found, outcomes[code], closed),
            )


def outcomes_seed(*, report) -> OutcomePage | None:
    """The closed demo consultation's discussion, its published outcome (four responses) and
    two decisions, in Arabic (source), French and English. What already exists is kept."""
    locales = locales_ensure()
    institution = InstitutionPage.objects.get(
        slug=REQUESTS_CHARTER["institution"], locale=locales["ar"]
    )
    consultation = (
        ConsultationPage.objects.child_of(institution).filter(slug=REQUESTS_CHARTER["slug"]).first()
    )
    if consultation is None:
        return None
    with transaction.atomic():
        found = _discussion_ensure(consultation)
        # A citizen's idea sent within the charter, accepted: its first decision cites it.
        found[CHARTER_IDEA] = charter_idea_ensure(consultation).opening
        outcome = OutcomePage.objects.child_of(consultation).first()
        if outcome is not None:
            report("Outcome already seeded: nothing added")
            return outcome
        outcomes = _outcome_publish(consultation, found, locales)
        _decisions_publish(outcomes, found, consultation.closes_at.date(), locales)
        report(
            f"Outcome of {REQUESTS_CHARTER['en']['title']}: {len(CHARTER_RESPONSES)} responses, "
            f"{len(CHARTER_DECISIONS)} decisions"
        )
    return outcomes["ar"]
