"""citizen_ideas' part of a person's data rights (accounts.personal_data;
docs/data-rights.md): their ideas (the text is the idea thread's opening contribution,
exported with deliberation's part too), the answers they were given, the attachments'
metadata, and their supports.

On deletion an idea stays in the public record under "deleted account" (others support it,
discuss it, the institution answers it); supports go and the counts drop."""

from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import iso, register_eraser, register_exporter
from citizen_ideas.models import Idea, IdeaAttachment, IdeaStatusChange, IdeaSupport


def export(*, user) -> dict:
    ideas = list(
        Idea.objects.filter(author=user).select_related("opening").order_by("created_at", "pk")
    )
    ids = [idea.pk for idea in ideas]
    changes: dict[int, list] = {}
    for idea_id, status, reason, when in IdeaStatusChange.objects.filter(
        idea_id__in=ids
    ).order_by("pk").values_list("idea_id", "status", "reason", "changed_at"):
        changes.setdefault(idea_id, []).append({"status": status, "reason": reason, "at": iso(when)})
    files: dict[int, list] = {}
    for idea_id, name, kind, size, when in IdeaAttachment.objects.filter(idea_id__in=ids).order_by(
        "pk"
    ).values_list("idea_id", "name", "content_type", "size", "created_at"):
        files.setdefault(idea_id, []).append(
            {"name": name, "type": kind, "size": size, "added_at": iso(when)}
        )
    return {
        "ideas": [
            {
                "id": idea.pk,
                "title": idea.title,
                "text": idea.opening.body if idea.opening_id else "",
                "status": idea.status,
                "status_reason": idea.status_reason,
                "supports": idea.support_count,
                "proposed_at": iso(idea.created_at),
                "status_history": changes.get(idea.pk, []),
                "attachments": files.get(idea.pk, []),
            }
            for idea in ideas
        ],
        "supports": [
            {"idea": pk, "title": title, "at": iso(when)}
            for pk, title, when in IdeaSupport.objects.filter(user=user)
            .order_by("pk")
            .values_list("idea_id", "idea__title", "created_at")
        ],
    }


def erase(*, user, remove_contributions: bool) -> None:
    Idea.objects.filter(pk__in=IdeaSupport.objects.filter(user=user).values("idea_id")).update(
        support_count=Greatest(F("support_count") - 1, 0)
    )
    IdeaSupport.objects.filter(user=user).delete()


register_exporter("citizen_ideas", _("Ideas and supports"), export)
register_eraser("citizen_ideas", erase)
