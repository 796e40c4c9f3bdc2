"""Forum topics proposed by demo citizens (demo.content.proposals), each decided as scripted
by El Kef's moderator: one approved and published, one rejected as spam, one left waiting in
the moderators' "Proposed topics" queue. Running it again adds nothing."""

from cms.models import InstitutionPage
from deliberation import services
from deliberation.models import TopicProposal
from demo.build.conditions import posting_unlimited
from demo.build.discussions import people
from demo.content.proposals import PROPOSALS


def proposals_seed(*, report) -> int:
    everyone = people()
    made = 0
    with posting_unlimited():
        for item in PROPOSALS:
            if TopicProposal.objects.filter(title=item["title"]).exists():
                continue
            proposer = everyone[item["proposer"]]
            institution = InstitutionPage.objects.get(
                slug=item["institution"], locale__language_code=item["language"]
            )
            moderator = everyone[f"moderator.{item['institution']}"]
            proposal = services.topic_propose(
                proposer=proposer,
                institution=institution,
                title=item["title"],
                text=item["text"],
                topics=item["topics"],
                language=item["language"],
            )
            if item["decision"] == "approve":
                services.topic_proposal_approve(moderator=moderator, proposal=proposal)
            elif item["decision"] == "reject":
                services.topic_proposal_reject(
                    moderator=moderator, proposal=proposal, reason=item["reason"], note=item["note"]
                )
            made += 1
    report(
        f"{made} proposed forum topics (approved, rejected, pending)"
        if made
        else "Proposed forum topics already seeded: nothing added"
    )
    return made
