"""Threads as HTML, and the plain forms that post to them: the no-JavaScript way in, forever.

Thin by rule: parse the form, ask the service, show its answer. A refusal re-draws the form
with the citizen's text in it and the reason, with the service's HTTP status.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Suspension
from accounts.ratelimits import client_ip
from cms.l10n import format_moment
from cms.models import InstitutionPage
from cms.rules import ReadRefusal, page_read_refusal
from deliberation import rules as deliberation_rules
from deliberation.forms import AppealForm, ContributionForm, EditForm, FlagForm, ProposalForm
from deliberation.models import (
    Contribution,
    ForumTopicPage,
    ModerationAction,
    ModerationActionKind,
    Status,
    Thread,
    ThreadKind,
)
from deliberation.realtime.frames import phase_message, thread_open
from deliberation.rendering import moment_text, render_contributions
from deliberation.selectors import (
    contribution_url,
    moderation_log_counts,
    proposal_decisions,
    proposals_of,
    thread_find,
    thread_page_in,
    thread_view,
)
from deliberation.services import (
    DeliberationError,
    contribution_appeal,
    contribution_edit,
    contribution_flag,
    contribution_in_thread,
    contribution_post,
    contribution_react,
    suspension_appeal,
    thread_for_key,
    thread_key_for,
    topic_propose,
)
from signatures.views import signed_pdf_response


def thread_context(request, *, page, section_id: str = "", thread: Thread | None = None) -> dict:
    """What a thread's template needs: the contributions as the reader sees them, the form to
    post (or why they cannot), and the addresses the per-contribution forms post to.

    ``thread``: a thread that already exists and is not the page's own (an idea's)."""
    if thread is None:
        thread = thread_find(page=page, section_id=section_id)
    if thread is not None and thread.kind == ThreadKind.IDEA:
        kind = ThreadKind.IDEA
    elif isinstance(page, ForumTopicPage):
        kind = ThreadKind.FORUM
    else:
        kind = ThreadKind.SECTION if section_id else ThreadKind.CONSULTATION
    key = thread.key if thread else thread_key_for(
        translation_key=page.translation_key, kind=kind, section_id=section_id
    )
    rules_thread = thread or Thread(
        key=key, kind=kind, page=page, institution=page.institution, section_id=section_id
    )
    # Wagtail has let the reader in to ``page``; the discussion is read as the thread's own page
    # (``page`` or another translation of it) is. Behind a password, Wagtail's form let them
    # read here, but nothing is posted from a password-protected page.
    unreadable = deliberation_rules.read_refusal(request.user, rules_thread)
    shown = unreadable in (None, ReadRefusal.PASSWORD)
    view = thread_view(thread=thread if shown else None, viewer=request.user)
    language = get_language()
    time_zone = rules_thread.institution.time_zone
    for item in view.items:
        item.when = moment_text(item.created_at, time_zone, language)
    if unreadable is None:
        refusal = deliberation_rules.refusal(request.user, "deliberation.post_thread", rules_thread)
    elif unreadable == ReadRefusal.PASSWORD:
        refusal = _("You can read this discussion here but not take part: its page is protected by a password.")
    elif unreadable == ReadRefusal.UNPUBLISHED:  # an editor's preview of a draft
        refusal = _("This discussion is not published.")
    else:
        refusal = _("This discussion is not open to you.")
    thread_html = render_contributions(
        view.items,
        viewer=request.user,
        moderator=view.moderator,
        csrf_token=get_token(request) if request.user.is_authenticated else "",
        base=reverse("deliberation:contribution", args=[0]).removesuffix("0/"),
        can_post=refusal is None,
    )
    return {
        "thread": view,
        "thread_key": key,
        # Events after this number are what the page does not show yet: the live client
        # resumes from it (thread_find read it before the contributions were read).
        "thread_seq": thread.last_seq if thread else 0,
        "thread_ws_url": f"/ws/threads/{key}/",
        "thread_locked": rules_thread.locked,
        # Whether the thread takes contributions from those allowed to take part (a signed-out
        # reader is invited to log in only then), and what to say when it does not.
        "thread_accepts": thread_open(rules_thread)[0],
        "thread_state_message": phase_message(rules_thread),
        "post_refusal": refusal,
        "suspension_appeal_url": _suspension_appeal_url(request.user),
        "form": ContributionForm() if refusal is None else None,
        "contribute_url": reverse("deliberation:contribute", args=[key]),
        "thread_html": thread_html,
    }


def _suspension_appeal_url(user) -> str:
    """Where a suspended reader appeals the suspension (shown with the notice), or ""."""
    suspension = deliberation_rules.active_suspension(user)
    if suspension is None:
        return ""
    return reverse("deliberation:suspension_appeal", args=[suspension.pk])


def forum_topic_page(request, page):
    context = page.get_context(request)
    context.update(
        institution=page.institution,
        phase=page.phase,
        topics=page.topics.all(),
        closes=format_moment(page.closes_at, page.institution.time_zone) if page.closes_at else "",
        **thread_context(request, page=page),
    )
    return TemplateResponse(request, "deliberation/forum_topic_page.html", context)


PUBLIC_LOG_ACTIONS = [
    ModerationActionKind.HIDE,
    ModerationActionKind.AUTO_HIDE,
    ModerationActionKind.RESTORE,
    ModerationActionKind.REJECT,
    ModerationActionKind.LOCK,
    ModerationActionKind.UNLOCK,
    ModerationActionKind.APPEAL_UPHOLD,
    ModerationActionKind.APPEAL_REVERSE,
]


def moderation_log(request, page, *, institution=None):
    """The public moderation log: counts and reason codes, never the removed text.

    ``page``: a consultation or forum topic (its threads, and its ideas'), or an institution
    with ``institution=page`` (the ideas sent to it outside any consultation or topic)."""
    institution = institution or page.institution
    time_zone = institution.time_zone
    events = list(
        ModerationAction.objects.filter(
            thread__translation_key=page.translation_key, action__in=PUBLIC_LOG_ACTIONS
        )
        .only("created_at", "action", "reason", "contribution_id")
        .order_by("-created_at", "-pk")[:100]
    )
    for event in events:
        event.when = format_moment(event.created_at, time_zone)
    context = page.get_context(request)
    context.update(
        institution=institution,
        counts=moderation_log_counts(translation_key=page.translation_key),
        events=events,
    )
    return TemplateResponse(request, "deliberation/moderation_log.html", context)


# --- Forms that post ---------------------------------------------------------------------------


def _thread_or_404(request, key: str) -> Thread:
    """The thread ``key`` names, if the reader may read it (``deliberation.view_thread``, which
    asks ``cms.rules.page_read_refusal``); else 404, saying nothing about it."""
    thread = thread_for_key(key=key)
    refusal = deliberation_rules.refusal(request.user, "deliberation.view_thread", thread)
    if refusal:
        raise Http404(refusal)
    return thread


def _back_to(contribution: Contribution) -> str:
    return contribution_url(contribution, get_language())


def _compose(
    request, *, thread, form, mode, parent=None, error=None, status=200, action=None
):
    """The form on a page of its own: replying, editing, reporting, or showing a refusal with
    the citizen's text still in the form. A refusal to read (404) shows nothing at all; a
    refusal to act (no form) does not quote the contribution either."""
    if status == 404:
        raise Http404(_("This discussion does not exist."))
    page = thread_page_in(thread)
    return TemplateResponse(
        request,
        "deliberation/compose.html",
        {
            "page": page,
            "thread_url": contribution_url(parent, get_language()) if parent else page.url,
            "form": form,
            "mode": mode,
            "parent": parent if form is not None else None,
            "error": error,
            "action": action or reverse("deliberation:contribute", args=[thread.key]),
        },
        status=status,
    )


def _refusal_status(refusal: str) -> int:
    return 404 if isinstance(refusal, deliberation_rules.Unreadable) else 403


@login_required
def contribution_create(request, thread_key: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    thread = _thread_or_404(request, thread_key)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        return _compose(request, thread=thread, form=form, status=400, mode="contribute")
    parent_id = form.cleaned_data["parent"] or None
    try:
        result = contribution_post(
            author=request.user,
            thread=thread,
            body=form.cleaned_data["body"],
            parent_id=parent_id,
            idempotency_key=form.cleaned_data["idempotency_key"],
            ip_address=client_ip(request),
            language=get_language(),
        )
    except DeliberationError as error:
        parent = None
        if parent_id is not None and error.status != 404:  # the reply is drawn under its parent
            parent = contribution_in_thread(contribution_id=parent_id, thread=thread, field="parent")
        response = _compose(
            request, thread=thread, form=form, parent=parent, error=error.message,
            status=error.status, mode="reply" if parent else "contribute",
        )
        if getattr(error, "retry_after", None):
            response["Retry-After"] = str(error.retry_after)
        return response
    contribution = result.contribution
    if contribution.status == Status.PENDING:
        messages.info(
            request,
            _("Thank you. Your contribution will appear once a moderator has approved it."),
        )
    elif result.created:
        messages.success(request, _("Your contribution is published."))
    return redirect(_back_to(contribution))


def _contribution_or_404(request, pk: int) -> Contribution:
    """The contribution, if the reader may read its thread; else 404, saying nothing."""
    contribution = get_object_or_404(Contribution.objects.select_related("thread"), pk=pk)
    refusal = deliberation_rules.refusal(request.user, "deliberation.view_thread", contribution.thread)
    if refusal:
        raise Http404(refusal)
    return contribution


def contribution_permalink(request, pk: int):
    contribution = _contribution_or_404(request, pk)
    if contribution.status not in (Status.PUBLISHED, Status.HIDDEN) and not (
        request.user.is_authenticated
        and (
            contribution.author_id == request.user.pk
            or request.user.has_perm("deliberation.moderate_contribution", contribution)
        )
    ):
        raise Http404
    return redirect(_back_to(contribution))


def contribution_signed(request, pk: int):
    """The signed PDF of an official reply, to anyone who may read its thread, while it is
    published and marked official (the mark removed, the document stays, unlisted)."""
    contribution = _contribution_or_404(request, pk)
    if (
        contribution.status != Status.PUBLISHED
        or not contribution.official
        or contribution.signed_document_id is None
    ):
        raise Http404
    return signed_pdf_response(contribution.signed_document)


@login_required
def contribution_reply(request, pk: int):
    parent = _contribution_or_404(request, pk)
    if parent.status != Status.PUBLISHED:
        raise Http404
    refusal = deliberation_rules.refusal(request.user, "deliberation.post_thread", parent.thread)
    form = ContributionForm(initial={"parent": parent.pk})
    return _compose(
        request,
        thread=parent.thread,
        form=None if refusal else form,
        parent=parent,
        error=refusal,
        status=_refusal_status(refusal) if refusal else 200,
        mode="reply",
    )


@login_required
def contribution_edit_view(request, pk: int):
    contribution = _contribution_or_404(request, pk)
    refusal = deliberation_rules.refusal(request.user, "deliberation.edit_contribution", contribution)
    if refusal:
        return _compose(
            request, thread=contribution.thread, form=None, error=refusal,
            status=_refusal_status(refusal), parent=contribution, mode="edit",
        )
    form = EditForm(request.POST or None, initial={"body": contribution.body})
    action = reverse("deliberation:edit", args=[contribution.pk])
    if request.method == "POST" and form.is_valid():
        try:
            contribution_edit(
                contribution=contribution, editor=request.user, body=form.cleaned_data["body"]
            )
        except DeliberationError as error:
            return _compose(
                request, thread=contribution.thread, form=form, error=error.message,
                status=error.status, action=action, mode="edit", parent=contribution,
            )
        messages.success(request, _("Your contribution is updated."))
        return redirect(_back_to(contribution))
    return _compose(
        request, thread=contribution.thread, form=form, action=action, mode="edit",
        parent=contribution, status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def contribution_react_view(request, pk: int):
    contribution = _contribution_or_404(request, pk)
    kind = request.POST.get("kind", "")
    try:
        contribution_react(
            user=request.user, contribution=contribution, kind=None if kind == "none" else kind
        )
    except DeliberationError as error:
        if error.status == 404:
            raise Http404(_("This discussion does not exist.")) from None
        messages.error(request, error.message)
    return redirect(_back_to(contribution))


@login_required
def contribution_flag_view(request, pk: int):
    contribution = _contribution_or_404(request, pk)
    if contribution.status != Status.PUBLISHED:
        raise Http404  # only what the public can read can be reported (and shown here)
    refusal = deliberation_rules.refusal(request.user, "deliberation.flag_contribution", contribution)
    form = FlagForm(request.POST or None)
    action = reverse("deliberation:flag", args=[contribution.pk])
    if refusal:
        return _compose(
            request, thread=contribution.thread, form=None, parent=contribution, error=refusal,
            status=_refusal_status(refusal), action=action, mode="flag",
        )
    if request.method == "POST" and form.is_valid():
        try:
            contribution_flag(
                user=request.user,
                contribution=contribution,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DeliberationError as error:
            return _compose(
                request, thread=contribution.thread, form=form, parent=contribution,
                error=error.message, status=error.status, action=action, mode="flag",
            )
        messages.success(request, _("Thank you. Moderators will look at this contribution."))
        return redirect(_back_to(contribution))
    return _compose(
        request, thread=contribution.thread, form=form, parent=contribution, action=action,
        status=400 if form.is_bound else 200, mode="flag",
    )


# --- Forum topics citizens propose ---------------------------------------------------------------


def _institution_or_404(request, pk: int) -> InstitutionPage:
    """The live institution, in the reader's language when it is translated; 404 when the
    reader may not read it."""
    institution = get_object_or_404(InstitutionPage.objects.live(), pk=pk)
    translated = institution.get_translations(inclusive=True).live().filter(
        locale__language_code=get_language()
    ).first()
    institution = translated.specific if translated else institution
    if page_read_refusal(request.user, institution) is not None:
        raise Http404
    return institution


def proposal_create(request, institution_id: int):
    """Propose a forum topic to an institution (GET: the form, or why one cannot; POST: send).

    What is proposed waits for a moderator: nothing of it is public before approval."""
    institution = _institution_or_404(request, institution_id)
    refusal = deliberation_rules.refusal(request.user, "deliberation.propose_topic", institution)
    form, status, retry_after = None, 200, None
    if refusal is None:
        form = ProposalForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                topic_propose(
                    proposer=request.user,
                    institution=institution,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    topics=form.cleaned_data["topics"],
                    language=get_language(),
                    ip_address=client_ip(request),
                )
            except DeliberationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = error.status
                retry_after = getattr(error, "retry_after", None)
            else:
                messages.success(
                    request,
                    _("Thank you. Your proposal was sent to the moderators: it will be published once they approve it."),
                )
                return redirect("deliberation:proposals_mine")
        elif request.method == "POST":
            status = 400
    elif request.method == "POST":
        status = _refusal_status(refusal)
    decisions = proposal_decisions(institution=institution)
    for decision in decisions:
        decision.when = format_moment(decision.created_at, institution.time_zone)
    response = TemplateResponse(
        request,
        "deliberation/proposal_form.html",
        {
            "institution": institution,
            "form": form,
            "refusal": refusal,
            "decisions": decisions,
            "login_url": reverse("accounts:login") + "?next=" + request.path,
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
def proposals_mine(request):
    """The forum topics the citizen proposed: status, and the reason when one was refused."""
    items = list(proposals_of(user=request.user)[:100])
    for item in items:
        item.when = format_moment(item.created_at, item.institution.time_zone)
    return TemplateResponse(request, "deliberation/proposals_mine.html", {"items": items})


# --- Appeals ---------------------------------------------------------------------------------


def _appeal_page(request, *, subject, existing, refusal, back_url, back_label, send, extra=None):
    """The appeal form (GET), or its sending (POST) through ``send(text)``: a refusal re-draws
    the form with the text and the reason, with the service's status."""
    form = AppealForm(request.POST if request.method == "POST" else None)
    status, retry_after = 200, None
    if refusal:
        form, status = None, 403
    elif existing is not None:
        form = None
        status = 400 if request.method == "POST" else 200
    elif request.method == "POST" and form.is_valid():
        try:
            send(form.cleaned_data["text"])
        except DeliberationError as error:
            form.add_error("text" if error.field == "text" else None, error.message)
            status, retry_after = error.status, getattr(error, "retry_after", None)
        else:
            messages.success(
                request,
                _("Your appeal is sent. Another moderator will decide, and you will be told by e-mail."),
            )
            return redirect(request.path)
    response = TemplateResponse(
        request,
        "deliberation/appeal_form.html",
        {
            "subject": subject,
            "appeal": existing,
            "form": form,
            "refusal": refusal,
            "back_url": back_url,
            "back_label": back_label,
            **(extra or {}),
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
def contribution_appeal_view(request, pk: int):
    """Appeal the removal of one's own contribution (shown under its placeholder)."""
    contribution = _contribution_or_404(request, pk)
    if contribution.author_id != request.user.pk:
        refusal = _("You can only appeal a decision about your own contribution.")
    elif contribution.status != Status.HIDDEN and not contribution.appeals.exists():
        refusal = _("Only a contribution removed by moderation can be appealed.")
    else:
        refusal = None
    return _appeal_page(
        request,
        subject=contribution,
        existing=contribution.appeals.first() if refusal is None else None,
        refusal=refusal,
        back_url=_back_to(contribution),
        back_label=thread_page_in(contribution.thread).title,
        send=lambda text: contribution_appeal(
            user=request.user, contribution=contribution, text=text, ip_address=client_ip(request)
        ),
    )


@login_required
def suspension_appeal_view(request, pk: int):
    """Appeal one's own suspension (linked from the suspension notice)."""
    suspension = get_object_or_404(Suspension, pk=pk, user=request.user)
    existing = suspension.appeals.first()
    refusal = None
    if existing is None and deliberation_rules.active_suspension(request.user) != suspension:
        refusal = _("This suspension is no longer in force.")
    return _appeal_page(
        request,
        subject=suspension,
        existing=existing,
        refusal=refusal,
        back_url="",
        back_label="",
        extra={"suspension_text": deliberation_rules.suspension_message(suspension)},
        send=lambda text: suspension_appeal(
            user=request.user, suspension=suspension, text=text, ip_address=client_ip(request)
        ),
    )
