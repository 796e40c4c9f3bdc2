"""Ideas as HTML: the lists, the form to propose one, an idea's page and its support button.

Thin by rule: parse the form, ask the service or the selector, show the answer. Everything
works without JavaScript; the idea's discussion is deliberation's thread (live when it can).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.ratelimits import client_ip
from citizen_ideas import rules as idea_rules
from citizen_ideas.forms import IdeaFilterForm, ProposeForm
from citizen_ideas.live import ideas_socket
from citizen_ideas.models import IdeaAttachment, IdeaStatus
from citizen_ideas.selectors import (
    idea_find,
    ideas_list,
    in_language,
    institution_by_slug,
    institution_topics,
    is_public_page,
    reply_count,
    supported_by,
)
from citizen_ideas.services import idea_propose, idea_support, idea_support_withdraw
from cms.l10n import format_moment
from deliberation import rules as deliberation_rules
from deliberation.models import Status
from deliberation.services import DeliberationError
from deliberation.views import moderation_log, thread_context
from uploads.storage import private_file_response

PER_PAGE = 20


def _institution_or_404(slug: str):
    institution = institution_by_slug(slug)
    if institution is None:
        raise Http404(_("This institution does not exist."))
    return institution


# --- Lists -----------------------------------------------------------------------------------


def _ideas_page(request, *, institution, consultation=None, propose_url, log_url):
    topics = [] if consultation is not None else institution_topics(institution)
    form = IdeaFilterForm(request.GET or None, topics=topics)
    choice = form.values()
    ideas = ideas_list(
        institution=institution, consultation=consultation, sort=choice["sort"],
        status=choice["status"], topic=choice["topic"],
    )
    page_obj = Paginator(ideas, PER_PAGE).get_page(request.GET.get("page"))
    time_zone = institution.time_zone
    for idea in page_obj:
        idea.when = format_moment(idea.created_at, time_zone)
        idea.reply_count = reply_count(idea)
    # Live counts (static/js/idea_counts.js): only public ideas are told, so a list within a
    # consultation not everyone may read has nothing to follow.
    live = request.user.has_perm("citizen_ideas.watch_ideas", institution) and (
        consultation is None or is_public_page(consultation)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "citizen_ideas/idea_list.html",
        {
            "page": consultation or institution,
            "institution": institution,
            "consultation": consultation,
            "form": form,
            "ideas": page_obj,
            "page_obj": page_obj,
            "query": query.urlencode(),
            "filtered": bool(choice["status"] or choice["topic"]),
            "propose_url": propose_url,
            "log_url": log_url,
            "live_socket": ideas_socket(institution) if live else "",
        },
    )


def institution_ideas(request, slug: str):
    institution = _institution_or_404(slug)
    return _ideas_page(
        request,
        institution=institution,
        propose_url=reverse("citizen_ideas:propose", args=[institution.slug]),
        log_url=reverse("citizen_ideas:moderation_log", args=[institution.slug]),
    )


def consultation_ideas(request, consultation):
    """The ideas of a consultation (a route of ``ConsultationPage``)."""
    return _ideas_page(
        request,
        institution=consultation.institution,
        consultation=consultation,
        propose_url=consultation.url + consultation.reverse_subpage("propose_idea"),
        log_url=consultation.url + consultation.reverse_subpage("moderation_log"),
    )


def institution_moderation_log(request, slug: str):
    institution = _institution_or_404(slug)
    return moderation_log(request, institution, institution=institution)


# --- Proposing -------------------------------------------------------------------------------


def _propose(request, *, institution, consultation=None, back_url: str):
    topics = [] if consultation is not None else institution_topics(institution)
    refusal = (
        idea_rules.propose_refusal(request.user, institution=institution, consultation=consultation)
        if request.user.is_authenticated
        else None
    )
    error, status, retry_after = None, 200, None
    form = ProposeForm(request.POST or None, request.FILES or None, topics=topics)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if not form.is_valid():
            status = 400
        else:
            topic = next((t for t in topics if t.pk == form.cleaned_data.get("topic")), None)
            try:
                idea = idea_propose(
                    author=request.user,
                    institution=institution,
                    consultation=consultation,
                    topic=topic,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    ip_address=client_ip(request),
                    language=get_language(),
                    files=form.cleaned_data["attachments"],
                )
            except DeliberationError as refused:
                error, status = refused.message, refused.status
                retry_after = getattr(refused, "retry_after", None)
                if refused.field in form.fields:
                    form.add_error(refused.field, refused.message)
                    error = None
            else:
                if idea.opening.status == Status.PENDING:
                    messages.info(
                        request,
                        _("Thank you. Your idea will appear once a moderator has approved it."),
                    )
                else:
                    messages.success(request, _("Your idea is published."))
                return redirect("citizen_ideas:detail", idea.pk)
    response = TemplateResponse(
        request,
        "citizen_ideas/propose.html",
        {
            "page": consultation or institution,
            "institution": institution,
            "consultation": consultation,
            "form": form if refusal is None else None,
            "refusal": refusal,
            "error": error,
            "back_url": back_url,
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def institution_propose(request, slug: str):
    institution = _institution_or_404(slug)
    return _propose(
        request,
        institution=institution,
        back_url=reverse("citizen_ideas:institution", args=[institution.slug]),
    )


def consultation_propose(request, consultation):
    """The form to propose an idea within a consultation (a route of ``ConsultationPage``)."""
    return _propose(
        request,
        institution=consultation.institution,
        consultation=consultation,
        back_url=consultation.url + consultation.reverse_subpage("ideas"),
    )


# --- One idea --------------------------------------------------------------------------------


def _idea_or_404(request, pk: int):
    idea = idea_find(pk)
    if idea is None or deliberation_rules.view_refusal(request.user, idea.thread):
        raise Http404(_("This idea does not exist."))
    user = request.user
    if idea.opening.status in (Status.PENDING, Status.REJECTED) and not _author_or_moderator(
        user, idea
    ):
        raise Http404(_("This idea does not exist."))
    return idea


def _author_or_moderator(user, idea) -> bool:
    return user.is_authenticated and (
        idea.author_id == user.pk or user.has_perm("deliberation.moderate_thread", idea.thread)
    )


def idea_detail(request, pk: int):
    idea = _idea_or_404(request, pk)
    language = get_language()
    institution = in_language(idea.institution, language)
    consultation = in_language(idea.consultation, language)
    topic = in_language(idea.topic, language)
    page = in_language(idea.thread.page, language)
    removed = idea.opening.status == Status.HIDDEN
    support_refusal = (
        idea_rules.support_refusal(request.user, idea) if request.user.is_authenticated else None
    )
    time_zone = institution.time_zone
    context = {
        "idea": idea,
        "page": page,
        "institution": institution,
        "consultation": consultation,
        "topic": topic,
        "removed": removed,
        "removed_reason": idea.opening.get_reason_display() if removed else "",
        "attachments": (
            list(idea.attachments.all())
            if not removed or _author_or_moderator(request.user, idea)
            else []
        ),
        "pending": idea.opening.status == Status.PENDING,
        "supported": supported_by(request.user, idea),
        "support_refusal": support_refusal,
        "proposed_when": format_moment(idea.created_at, time_zone),
        "status_when": format_moment(idea.status_changed_at, time_zone) if idea.status_changed_at else "",
        "answered": idea.status != IdeaStatus.RECEIVED,
        "thread_heading": _("The idea and its discussion"),
        "list_url": (
            consultation.url + consultation.reverse_subpage("ideas")
            if consultation is not None
            else reverse("citizen_ideas:institution", args=[institution.slug])
        ),
        **thread_context(request, page=page, thread=idea.thread),
    }
    return TemplateResponse(request, "citizen_ideas/idea_detail.html", context)


@require_POST
@login_required
def idea_support_view(request, pk: int):
    idea = _idea_or_404(request, pk)
    try:
        if request.POST.get("action") == "withdraw":
            idea_support_withdraw(user=request.user, idea=idea)
            messages.success(request, _("Your support is withdrawn."))
        else:
            idea_support(user=request.user, idea=idea, ip_address=client_ip(request))
            messages.success(request, _("Thank you: your support is counted."))
    except DeliberationError as refused:
        messages.error(request, refused.message)
    return redirect("citizen_ideas:detail", idea.pk)


def idea_attachment(request, pk: int, attachment_pk: int):
    """A file given with an idea, to whoever may read the idea; once moderators removed the
    idea, to its author and the moderators only; 404 for anyone else."""
    idea = _idea_or_404(request, pk)
    if idea.opening.status == Status.HIDDEN and not _author_or_moderator(request.user, idea):
        raise Http404(_("This file does not exist."))
    item = get_object_or_404(IdeaAttachment, pk=attachment_pk, idea=idea)
    return private_file_response(item.file.open("rb"), name=item.name, content_type=item.content_type)
