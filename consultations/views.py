"""Consultation pages, version history, following and the site-wide listing. Thin by rule."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from consultations import conf
from consultations.diff import sections_diff
from consultations.exports import open_data_links
from consultations.forms import ConsultationFilterForm, VersionCompareForm
from consultations.models import ConsultationFollow, ConsultationPage
from consultations.outcomes.models import OutcomePage
from consultations.sections import sections_from_snapshot
from consultations.selectors import (
    consultation_cards,
    consultation_contribution_counts,
    consultation_list,
    consultation_timing,
    section_contribution_counts,
    version_list,
    version_pair,
)
from consultations.services import consultation_follow, consultation_unfollow
from deliberation.models import Participation
from deliberation.views import thread_context
from questionnaires.selectors import questionnaires_of


def consultation_page(request, page: ConsultationPage):
    institution = page.institution
    user = request.user
    versions = list(version_list(consultation=page))
    section_counts = section_contribution_counts(consultation=page)
    context = page.get_context(request)
    context.update(
        institution=institution,
        phase=page.phase,
        timing=consultation_timing(page, institution.time_zone),
        sections=page.sections,
        versions=versions,
        latest_version=versions[-1] if versions else None,
        attachments=page.attachments.select_related("document").all(),
        topics=page.topics.all(),
        can_follow=user.has_perm("consultations.follow_consultation", page),
        needs_verification=user.is_authenticated
        and page.participation == Participation.VERIFIED
        and not user.email_verified,
        following=user.is_authenticated
        and ConsultationFollow.objects.filter(user=user, consultation=page).exists(),
        contribution_count=consultation_contribution_counts(consultations=[page])[page.pk],
        section_rows=[
            (section, section_counts.get(section.id, 0), page.reverse_subpage("section", args=[section.id]))
            for section in page.sections
        ],
        outcome=OutcomePage.objects.child_of(page).live().public().first(),
        questionnaires=questionnaires_of(page),
        open_data=open_data_links(page),
        **thread_context(request, page=page),
    )
    return TemplateResponse(request, "consultations/consultation_page.html", context)


def version_history(request, page: ConsultationPage):
    versions = list(version_list(consultation=page))
    numbers = [v.number for v in versions]
    data = request.GET if {"old", "new"} & set(request.GET) else None
    if data is None and len(numbers) >= 2:
        data = {"old": numbers[-2], "new": numbers[-1]}
    form = VersionCompareForm(data, numbers=numbers) if data else None
    changes, pair, status = None, None, 200
    if form is not None:
        if form.is_valid():
            pair = version_pair(
                consultation=page, old=form.cleaned_data["old"], new=form.cleaned_data["new"]
            )
            old, new = pair
            changes = sections_diff(
                sections_from_snapshot(old.sections), sections_from_snapshot(new.sections)
            )
        else:
            status = 400
    context = page.get_context(request)
    context.update(
        institution=page.institution,
        versions=versions,
        form=form,
        pair=pair,
        changes=changes,
        counts={
            kind: sum(1 for change in changes if change.status == kind)
            for kind in ("added", "removed", "changed")
        }
        if changes
        else None,
    )
    return TemplateResponse(
        request, "consultations/version_history.html", context, status=status
    )


def follow_toggle(request, page: ConsultationPage):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(page.get_url(request))
    if request.POST.get("follow") == "0":
        consultation_unfollow(user=request.user, consultation=page)
        messages.success(request, _("You no longer follow this consultation."))
    else:
        if not request.user.has_perm("consultations.follow_consultation", page):
            raise PermissionDenied
        consultation_follow(user=request.user, consultation=page)
        messages.success(
            request, _("You follow this consultation: we will tell you when its outcome is published.")
        )
    return redirect(page.get_url(request))


def consultation_index(request):
    """Every live consultation in the reader's language, filterable and paginated."""
    language = get_language()
    form = ConsultationFilterForm(request.GET or None, language=language)
    status = 200
    filters = {}
    if form.is_bound:
        if form.is_valid():
            filters = form.filters()
            filters.pop("language", None)
        else:
            status = 400
    consultations = consultation_list(language=language, **filters) if status == 200 else []
    paginator = Paginator(consultations, conf.get("CONSULTATIONS_PER_PAGE"))
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "consultations/consultation_index.html",
        {
            "form": form,
            "page_obj": page_obj,
            "cards": consultation_cards(page_obj.object_list),
            "query": query.urlencode(),
            "filtered": bool(filters),
        },
        status=status,
    )


def section_thread_page(request, page, section_id: str):
    section = next((s for s in page.sections if s.id == section_id), None)
    if section is None:
        raise Http404(_("This section does not exist in the draft."))
    context = page.get_context(request)
    context.update(
        institution=page.institution,
        phase=page.phase,
        timing=consultation_timing(page, page.institution.time_zone),
        section=section,
        **thread_context(request, page=page, section_id=section_id),
    )
    return TemplateResponse(request, "consultations/section_thread.html", context)
