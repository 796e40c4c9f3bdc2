"""Emails to citizens about their contributions: a reply, a moderator's decision; and about the
forum topics they proposed (approved or not).

Each is written in the recipient's language, honours their notification settings, and is
sent after the change is committed (the services register ``reply_published`` and
``moderation_decided`` with ``transaction.on_commit``). The console backend prints them
unless SMTP is configured.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.mail import absolute_url, user_language, user_mail_send
from accounts.models import Suspension
from accounts.names import author_name
from cms.rules import page_access
from deliberation.models import (
    Appeal,
    AppealStatus,
    Contribution,
    ProposalStatus,
    Reason,
    Status,
    TopicProposal,
)
from deliberation.models import ModerationActionKind as Kind
from deliberation.selectors import contribution_url, thread_page_in, thread_url

FOLDER = "deliberation/email"

# The moderation decisions an author hears about, and the status each leaves behind. A
# contribution no longer in that status was decided on again meanwhile: that later decision
# sends its own email, and this one would be stale.
NOTIFIED_OUTCOMES = {
    Kind.APPROVE: Status.PUBLISHED,
    Kind.REJECT: Status.REJECTED,
    Kind.HIDE: Status.HIDDEN,
    Kind.RESTORE: Status.PUBLISHED,
}


def may_read(user, thread) -> bool:
    """Whether ``user`` may read ``thread`` and the translation of its page the e-mail links
    to (``cms.rules.page_read_refusal``): nobody is e-mailed words from, or a link to, a
    discussion they cannot read (a page made private or unpublished since)."""
    pages = {page.pk: page for page in (thread.page, thread_page_in(thread, user_language(user)))}
    return all(page_access(page).refusal_for(user) is None for page in pages.values())


def _excerpt(contribution: Contribution, length: int = 280) -> str:
    text = " ".join(contribution.body.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def reply_published(contribution_id: int) -> None:
    """Tell the author of the contribution replied to, unless they replied to themselves or
    turned these emails off. Called once when a reply becomes public (posted, or approved)."""
    reply = (
        Contribution.objects.select_related("author", "parent__author", "thread__page__locale")
        .filter(pk=contribution_id, status=Status.PUBLISHED, parent__isnull=False)
        .first()
    )
    if reply is None:
        return
    recipient = reply.parent.author
    if recipient is None:  # the parent's author deleted their account
        return
    if recipient.pk == reply.author_id or not recipient.notify_replies or not recipient.is_active:
        return
    if not may_read(recipient, reply.thread):
        return
    user_mail_send(
        user=recipient,
        folder=FOLDER,
        template="reply",
        context={
            "reply_author": author_name(reply.author),
            "excerpt": _excerpt(reply),
            "link": absolute_url(contribution_url(reply, user_language(recipient))),
        },
    )


def moderation_decided(contribution_id: int, action: str) -> None:
    """Tell the author that a moderator approved, rejected, hid or restored their
    contribution (with the public reason). Other actions (pin, official…) send nothing."""
    try:
        action = Kind(action)
    except ValueError:
        return
    if action not in NOTIFIED_OUTCOMES:
        return
    contribution = (
        Contribution.objects.select_related("author", "thread__page__locale")
        .filter(pk=contribution_id, status=NOTIFIED_OUTCOMES[action])
        .first()
    )
    if contribution is None:
        return
    author = contribution.author
    if author is None or not author.notify_moderation or not author.is_active:
        return
    if not may_read(author, contribution.thread):
        return
    reason = Reason(contribution.reason).label if contribution.reason else ""
    language = user_language(author)
    # A rejected contribution has no place in the thread: link to the discussion itself.
    link = (
        thread_url(contribution.thread, language)
        if action == Kind.REJECT
        else contribution_url(contribution, language)
    )
    user_mail_send(
        user=author,
        folder=FOLDER,
        template="moderation",
        context={
            "action": action.value,
            "reason": reason,  # lazy: translated in the author's language by user_mail_send
            "excerpt": _excerpt(contribution),
            "link": absolute_url(link),
        },
    )


def proposal_decided(proposal_id: int) -> None:
    """Tell the proposer that their proposed forum topic was approved (with its link) or not
    (with the public reason and the moderator's explanation). Sent once: the proposal is
    marked notified before the mail goes, so a second call sends nothing."""
    proposal = (
        TopicProposal.objects.select_related("proposer", "page")
        .filter(pk=proposal_id, status__in=[ProposalStatus.APPROVED, ProposalStatus.REJECTED])
        .first()
    )
    if proposal is None:
        return
    claimed = TopicProposal.objects.filter(pk=proposal.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    proposer = proposal.proposer
    if not claimed or not proposer.notify_moderation or not proposer.is_active:
        return
    language = user_language(proposer)
    if proposal.status == ProposalStatus.APPROVED and proposal.page is not None:
        link = proposal.page.get_url() or ""
    else:
        with override(language):
            link = reverse("deliberation:proposals_mine")
    user_mail_send(
        user=proposer,
        folder=FOLDER,
        template="proposal",
        context={
            "approved": proposal.status == ProposalStatus.APPROVED,
            "title": proposal.title,
            "reason": Reason(proposal.reason).label if proposal.reason else "",
            "note": proposal.note,
            "link": absolute_url(link),
        },
    )


def suspension_lifted(suspension_id: int) -> None:
    """Tell the citizen their suspension was lifted, with the moderator's reason. Sent whatever
    their notification settings: it is about their account, not a discussion."""
    suspension = (
        Suspension.objects.select_related("user")
        .filter(pk=suspension_id, lifted_at__isnull=False)
        .first()
    )
    if suspension is None or not suspension.user.is_active:
        return
    user_mail_send(
        user=suspension.user,
        folder=FOLDER,
        template="suspension_lifted",
        context={"note": suspension.lift_reason},
    )


def appeal_decided(appeal_id: int) -> None:
    """Tell the citizen the outcome of their appeal (upheld or reversed, with the moderator's
    explanation). Sent once (``notified_at`` claimed first) and whatever their notification
    settings: they asked for this answer."""
    appeal = (
        Appeal.objects.select_related("appellant", "contribution__thread__page__locale")
        .exclude(status=AppealStatus.PENDING)
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        return
    claimed = Appeal.objects.filter(pk=appeal.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    citizen = appeal.appellant
    if not claimed or not citizen.is_active:
        return
    contribution = appeal.contribution
    link = ""
    if contribution is not None and may_read(citizen, contribution.thread):
        link = absolute_url(contribution_url(contribution, user_language(citizen)))
    user_mail_send(
        user=citizen,
        folder=FOLDER,
        template="appeal",
        context={
            "reversed": appeal.status == AppealStatus.REVERSED,
            "about_contribution": contribution is not None,
            "note": appeal.decision_note,
            "text": appeal.text,
            "excerpt": _excerpt(contribution) if contribution is not None else "",
            "link": link,
        },
    )
