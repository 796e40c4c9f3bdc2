"""Emails to citizens about their contributions: a reply, a moderator's decision.

Each is written in the recipient's language, honours their notification settings, and is
sent after the change is committed (the services register ``reply_published`` and
``moderation_decided`` with ``transaction.on_commit``). The console backend prints them
unless SMTP is configured.
"""

from accounts.mail import absolute_url, user_language, user_mail_send
from cms.rules import page_access
from deliberation.models import Contribution, Reason, Status
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
    if recipient.pk == reply.author_id or not recipient.notify_replies or not recipient.is_active:
        return
    if not may_read(recipient, reply.thread):
        return
    user_mail_send(
        user=recipient,
        folder=FOLDER,
        template="reply",
        context={
            "reply_author": reply.author.display_name,
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
    if not author.notify_moderation or not author.is_active:
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
