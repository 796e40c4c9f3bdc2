"""Admin views for outcomes and decisions: the search behind the contribution chooser."""

from django.db.models import Q
from django.http import JsonResponse
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage
from consultations.outcomes.forms import contribution_label
from deliberation.models import Contribution, Status

SEARCH_LIMIT = 30


def contribution_search(request):
    """The consultation's published contributions matching ``q`` (words, an author's name, or
    ``#number``), newest first, for editors who may edit pages of that consultation."""
    consultation = ConsultationPage.objects.filter(
        pk=request.GET.get("consultation") if str(request.GET.get("consultation", "")).isdigit() else None
    ).first()
    if consultation is None:
        return JsonResponse({"detail": _("This consultation does not exist.")}, status=404)
    if not consultation.permissions_for_user(request.user).can_edit():
        return JsonResponse(
            {"detail": _("You may not edit pages of this consultation.")}, status=403
        )
    contributions = Contribution.objects.filter(
        thread__translation_key=consultation.translation_key, status=Status.PUBLISHED
    ).select_related("author", "idea")
    q = " ".join(request.GET.get("q", "").split())[:200]
    if q.lstrip("#").isdigit():
        contributions = contributions.filter(pk=int(q.lstrip("#")))
    elif q:
        contributions = contributions.filter(
            Q(body__icontains=q) | Q(author__display_name__icontains=q)
        )
    rows = list(contributions.order_by("-created_at", "-pk")[: SEARCH_LIMIT + 1])
    return JsonResponse(
        {
            "results": [{"id": c.pk, "label": contribution_label(c)} for c in rows[:SEARCH_LIMIT]],
            "more": len(rows) > SEARCH_LIMIT,
        }
    )
