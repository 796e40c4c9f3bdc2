"""The public pages of suggestions and notices: an institution's list, and each request's
page with its support count and its discussion (deliberation's thread)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from citizen_requests.models import Support
from citizen_requests.services import RequestError, request_support
from citizen_requests.stages import FINISHED, EventKind, Kind
from deliberation.selectors import published_counts
from deliberation.views import thread_context

PER_PAGE = 20
# What the public sees of a request's timeline: the institution's steps, not the exchanges
# between the officer and the citizen (which may carry personal details).
PUBLIC_EVENTS = (EventKind.FILED, EventKind.STAGE, EventKind.ASSIGNED, EventKind.REDIRECTED, EventKind.ANSWER_SENT, EventKind.REOPENED)


def public_list(request, page):
    requests = page.public_requests().select_related("desk__institution").order_by("-created_at")
    kind = request.GET.get("kind", "")
    if kind in (Kind.SUGGESTION, Kind.NOTICE):
        requests = requests.filter(kind=kind)
    status = request.GET.get("status", "")
    if status == "open":
        requests = requests.exclude(stage__in=list(FINISHED))
    elif status == "closed":
        requests = requests.filter(stage__in=list(FINISHED))
    listing = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    counts = published_counts(translation_keys=[page.translation_key])
    for item in listing:
        item.contributions = counts.get((page.translation_key, item.tracking_number), 0)
    context = page.get_context(request)
    context.update(listing=listing, kind=kind, status=status, institution=page.institution)
    return TemplateResponse(request, "citizen_requests/public_list.html", context)


def _public_or_404(page, number: str):
    found = page.public_requests().select_related("desk__institution").filter(tracking_number=number).first()
    if found is None:
        raise Http404(_("This request is not public."))
    return found


def public_request(request, page, number: str):
    found = _public_or_404(page, number)
    context = page.get_context(request)
    context.update(
        citizen_request=found,
        institution=page.institution,
        phase=page.phase,
        events=found.events.filter(public=True, kind__in=PUBLIC_EVENTS).select_related("to_desk__institution"),
        supported=request.user.is_authenticated and Support.objects.filter(request=found, user=request.user).exists(),
        **thread_context(request, page=page, section_id=found.tracking_number),
    )
    return TemplateResponse(request, "citizen_requests/public_request.html", context)


def public_support(request, page, number: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = _public_or_404(page, number)
    if not request.user.is_authenticated:
        return redirect_to_login(page.url + page.reverse_subpage("section", args=[number]), reverse("accounts:login"))
    try:
        request_support(user=request.user, request=found)
    except RequestError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Thank you: your support is counted."))
    return redirect(page.url + page.reverse_subpage("section", args=[number]))

