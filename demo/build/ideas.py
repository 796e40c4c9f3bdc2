"""The demo's citizens' ideas (``demo.content.ideas``), proposed, supported, discussed and
answered as their people would on the site, through ``citizen_ideas``' services, each step on
its day (``clock_at``). The requests charter's idea is proposed while that consultation was open
and accepted before its decision cites it (``charter_idea_ensure``, called by the outcome's
seeding). What already exists is kept."""

import datetime
import uuid

from django.utils import timezone

from citizen_ideas.models import Idea, IdeaSupport
from citizen_ideas.services import idea_propose, idea_support
from citizen_ideas.statuses import idea_status_change
from cms.models import InstitutionPage
from consultations.models import ConsultationPage
from deliberation.services import contribution_post
from demo.build.conditions import clock_at, posting_unlimited
from demo.build.discussions import people
from demo.content.ideas import CHARTER_IDEA, IDEAS

IDEAS_KEY = uuid.UUID("9d3a6c1e-2f4b-4a7d-b8e5-1c0f6a2d3e94")


def idea_key(key: str, part: str = "idea") -> uuid.UUID:
    """The idempotency key of the demo idea ``key``'s text (or of one of its replies)."""
    return uuid.uuid5(IDEAS_KEY, f"{key}:{part}")


def _idea_seed(spec: dict, *, institution, consultation, base: datetime.datetime, everyone) -> Idea:
    at = base + datetime.timedelta(days=spec["days"])
    with posting_unlimited(), clock_at(at):
        idea = idea_propose(
            author=everyone[spec["author"]],
            institution=institution,
            consultation=consultation,
            title=spec["title"],
            body=spec["body"],
            idempotency_key=idea_key(spec["key"]),
            language=spec["language"],
        )
        for number, (name, language, body) in enumerate(spec["replies"]):
            contribution_post(
                author=everyone[name],
                thread=idea.thread,
                body=body,
                parent_id=idea.opening_id,
                language=language,
                idempotency_key=idea_key(spec["key"], f"reply-{number}"),
                now=at + datetime.timedelta(hours=3 * (number + 1)),
            )
        for name in spec["supporters"]:
            if not IdeaSupport.objects.filter(idea=idea, user=everyone[name]).exists():
                idea_support(user=everyone[name], idea=idea)
    if not idea.status_changes.exists():
        staff = everyone[f"approver.{spec['institution']}"]
        for status, days, reason in spec["statuses"]:
            moment = base + datetime.timedelta(days=days)
            with clock_at(moment):
                idea_status_change(idea=idea, status=status, reason=reason, by=staff, now=moment)
    return Idea.objects.get(pk=idea.pk)


def _institution(slug: str) -> InstitutionPage:
    return InstitutionPage.objects.get(slug=slug, locale__language_code="ar")


def charter_idea_ensure(consultation: ConsultationPage) -> Idea:
    """The idea sent within the requests charter while it was open, accepted since (the
    charter's decision cites it)."""
    spec = next(spec for spec in IDEAS if spec["key"] == CHARTER_IDEA)
    return _idea_seed(
        spec,
        institution=_institution(spec["institution"]),
        consultation=consultation,
        base=consultation.opens_at,
        everyone=people(),
    )


def ideas_seed(*, report) -> int:
    """The ideas sent to institutions' idea boxes, one at each status. Returns how many ideas
    the demo has."""
    everyone = people()
    now = timezone.now()
    for spec in IDEAS:
        if spec.get("consultation"):
            continue
        _idea_seed(spec, institution=_institution(spec["institution"]), consultation=None, base=now, everyone=everyone)
    count = Idea.objects.count()
    report(f"{count} citizens' ideas")
    return count
