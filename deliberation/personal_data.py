"""deliberation's part of a person's data rights (accounts.personal_data; docs/data-rights.md):
their contributions, reactions, reports, proposed topics and the moderation decisions about
them. Registered in ``DeliberationConfig.ready()``."""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import iso, register_eraser, register_exporter
from deliberation.models import (
    Appeal,
    Contribution,
    ContributionRevision,
    Flag,
    ModerationAction,
    Reaction,
    ReactionKind,
    ThreadEvent,
    TopicProposal,
)

# What goes with a contribution when its author asks for it to be removed: their own text's
# history and what readers did to it. Any other row that points to it keeps it.
_REMOVABLE_WITH = {ContributionRevision, Reaction, Flag, ThreadEvent}


def _contributions(user) -> list[dict]:
    revisions: dict[int, list] = {}
    for contribution_id, body, when in ContributionRevision.objects.filter(
        contribution__author=user
    ).values_list("contribution_id", "body", "created_at"):
        revisions.setdefault(contribution_id, []).append({"text": body, "replaced_at": iso(when)})
    rows = Contribution.objects.filter(author=user).order_by("created_at", "pk").values(
        "pk", "thread__key", "thread__page__title", "thread__section_id", "parent_id", "body",
        "language", "status", "reason", "official", "created_at", "published_at", "edited_at",
        "moderated_at",
    )
    return [
        {
            "id": row["pk"],
            "thread": row["thread__key"],
            "page": row["thread__page__title"],
            "section": row["thread__section_id"],
            "in_reply_to": row["parent_id"],
            "text": row["body"],
            "language": row["language"],
            "status": row["status"],
            "reason": row["reason"],
            "official": row["official"],
            "posted_at": iso(row["created_at"]),
            "published_at": iso(row["published_at"]),
            "edited_at": iso(row["edited_at"]),
            "moderated_at": iso(row["moderated_at"]),
            "earlier_texts": revisions.get(row["pk"], []),
        }
        for row in rows
    ]


def export(*, user) -> dict:
    return {
        "contributions": _contributions(user),
        "reactions": [
            {"contribution": pk, "kind": kind, "at": iso(when)}
            for pk, kind, when in Reaction.objects.filter(user=user)
            .order_by("pk")
            .values_list("contribution_id", "kind", "updated_at")
        ],
        "reports": [
            {"contribution": pk, "reason": reason, "details": note, "at": iso(when)}
            for pk, reason, note, when in Flag.objects.filter(user=user)
            .order_by("pk")
            .values_list("contribution_id", "reason", "note", "created_at")
        ],
        "topic_proposals": [
            {
                "title": title, "text": text, "language": language, "status": status,
                "reason": reason, "explanation": note, "proposed_at": iso(when),
            }
            for title, text, language, status, reason, note, when in TopicProposal.objects.filter(
                proposer=user
            )
            .order_by("pk")
            .values_list("title", "text", "language", "status", "reason", "note", "created_at")
        ],
        # Their appeals, with what was decided (the moderator is not named).
        "appeals": [
            {
                "contribution": contribution, "suspension": suspension, "text": text,
                "status": status, "sent_at": iso(sent), "decided_at": iso(decided),
                "explanation": note,
            }
            for contribution, suspension, text, status, sent, decided, note in Appeal.objects.filter(
                appellant=user
            )
            .order_by("pk")
            .values_list(
                "contribution_id", "suspension_id", "text", "status", "created_at", "decided_at",
                "decision_note",
            )
        ],
        # Decisions about the person; the moderator who took them is not named.
        "moderation_decisions": [
            {"action": action, "reason": reason, "contribution": pk, "at": iso(when)}
            for action, reason, pk, when in ModerationAction.objects.filter(subject=user)
            .order_by("created_at", "pk")
            .values_list("action", "reason", "contribution_id", "created_at")
        ],
    }


def _removable(contribution: Contribution) -> bool:
    """Nothing but the author's own history and readers' reactions points to it."""
    if contribution.official or contribution.signed_document_id:
        return False
    for relation in Contribution._meta.related_objects:
        if relation.related_model in _REMOVABLE_WITH:
            continue
        if relation.many_to_many:
            through = relation.through
            column = relation.field.m2m_reverse_field_name()
            if through.objects.filter(**{column: contribution.pk}).exists():
                return False
        elif relation.related_model.objects.filter(
            **{relation.field.name: contribution.pk}
        ).exists():
            return False
    return True


def erase(*, user, remove_contributions: bool) -> None:
    """Reactions go (the counts they fed drop), reports stay anonymous without their details,
    contributions stay under "deleted account" or, when asked, are removed where nothing
    depends on them (their author foreign key is emptied by the account's deletion)."""
    for kind, field in ((ReactionKind.AGREE, "agree_count"), (ReactionKind.DISAGREE, "disagree_count")):
        Contribution.objects.filter(
            pk__in=Reaction.objects.filter(user=user, kind=kind).values("contribution_id")
        ).update(**{field: Greatest(F(field) - 1, 0)})
    Reaction.objects.filter(user=user).delete()
    Flag.objects.filter(user=user).update(note="", user=None)
    if remove_contributions:
        # Newest first: a reply removed first may free its parent.
        for contribution in Contribution.objects.filter(author=user).order_by("-path"):
            if _removable(contribution):
                with transaction.atomic():
                    contribution.delete()


register_exporter("deliberation", _("Contributions, reactions and reports"), export)
register_eraser("deliberation", erase)
