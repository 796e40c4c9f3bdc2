"""Emails to citizens about their contributions and the consultations they follow.

Each is written in the recipient's language, honours their notification settings, and is
sent after the change is committed (the services register ``reply_published`` and
``moderation_decided`` with ``transaction.on_commit``). The console backend prints them
unless SMTP is configured.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cms.l10n import format_moment
from cms.rules import page_access
from consultations.models import ConsultationFollow, ConsultationPage
from deliberation import conf
from deliberation.models import Contribution, ModerationActionKind as Kind, Reason, Status
from deliberation.selectors import contribution_url, thread_page_in, thread_url

logger = logging.getLogger(__name__)

# The moderation decisions an author hears about, and the status each leaves behind. A
# contribution no longer in that status was decided on again meanwhile: that later decision
# sends its own email, and this one would be stale.
NOTIFIED_OUTCOMES = {
    Kind.APPROVE: Status.PUBLISHED,
    Kind.REJECT: Status.REJECTED,
    Kind.HIDE: Status.HIDDEN,
    Kind.RESTORE: Status.PUBLISHED,
}


def absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _send(
    *, user, template: str, context: dict, connection=None, folder: str = "deliberation/email"
) -> None:
    """Render ``<folder>/<template>[_subject].txt`` in the user's language and mail it.

    Lazy strings in ``context`` (reason labels) are translated here too.
    """
    with translation.override(_language(user)):
        context = {
            "user": user,
            "settings_link": absolute(reverse("accounts:notification_settings")),
            **context,
        }
        subject = " ".join(
            render_to_string(f"{folder}/{template}_subject.txt", context).split()
        )
        message = render_to_string(f"{folder}/{template}.txt", context)
    send_mail(
        subject=subject,
        message=message,
        from_email=None,
        recipient_list=[user.email],
        connection=connection,
    )


def may_read(user, thread) -> bool:
    """Whether ``user`` may read ``thread`` and the translation of its page the e-mail links
    to (``cms.rules.page_read_refusal``): nobody is e-mailed words from, or a link to, a
    discussion they cannot read (a page made private or unpublished since)."""
    pages = {page.pk: page for page in (thread.page, thread_page_in(thread, _language(user)))}
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
    _send(
        user=recipient,
        template="reply",
        context={
            "reply_author": reply.author.display_name,
            "excerpt": _excerpt(reply),
            "link": absolute(contribution_url(reply, _language(recipient))),
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
    language = _language(author)
    # A rejected contribution has no place in the thread: link to the discussion itself.
    link = (
        thread_url(contribution.thread, language)
        if action == Kind.REJECT
        else contribution_url(contribution, language)
    )
    _send(
        user=author,
        template="moderation",
        context={
            "action": action.value,
            "reason": reason,  # lazy: translated in the author's language by _send
            "excerpt": _excerpt(contribution),
            "link": absolute(link),
        },
    )


def closing_soon_send(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Remind followers of open consultations closing within ``days`` days, once each.

    Each follow is claimed (``closing_reminder_sent_at``) before its email goes out, so a
    second or concurrent run never sends it again; if sending fails the claim is released for
    the next run. Followers who turned these emails off are left unclaimed (they are reminded
    if they turn them back on in time). Someone following several translations of one
    consultation gets one email. Returns how many emails were sent. Meant to run from cron
    (``manage.py send_closing_reminders``).
    """
    now = now or timezone.now()
    days = days if days is not None else conf.get("DELIBERATION_CLOSING_REMINDER_DAYS")
    follows = list(
        ConsultationFollow.objects.filter(
            closing_reminder_sent_at__isnull=True,
            user__is_active=True,
            user__notify_closing_soon=True,
            consultation__live=True,
            consultation__opens_at__lte=now,
            consultation__closes_at__gt=now,
            consultation__closes_at__lte=now + datetime.timedelta(days=days),
            consultation__outcome_published_at__isnull=True,
        )
        .select_related("user", "consultation")
        .prefetch_related("user__groups")
        .order_by("pk")
    )
    if not follows:
        return 0
    # The consultation in each follower's language, when it is translated: one query.
    translations = {
        (page.translation_key, page.locale.language_code): page
        for page in ConsultationPage.objects.live()
        .filter(
            translation_key__in={follow.consultation.translation_key for follow in follows},
            locale__language_code__in={_language(follow.user) for follow in follows},
        )
        .select_related("locale")
    }
    time_zones: dict[int, str] = {}
    accesses: dict = {}
    reminded: set = set()
    sent = 0
    with get_connection() as connection:
        for follow in follows:
            user, consultation = follow.user, follow.consultation
            page = translations.get((consultation.translation_key, _language(user)), consultation)
            # Only who may read the consultation (and the translation linked) is reminded;
            # the others stay unclaimed, reminded if the page opens to them in time.
            for each in (consultation, page):
                if each.pk not in accesses:
                    accesses[each.pk] = page_access(each)
            if any(accesses[each.pk].refusal_for(user) for each in (consultation, page)):
                continue
            if not ConsultationFollow.objects.filter(
                pk=follow.pk, closing_reminder_sent_at__isnull=True
            ).update(closing_reminder_sent_at=now):
                continue  # claimed by a concurrent run
            if (user.pk, consultation.translation_key) in reminded:
                continue
            language = _language(user)
            if page.pk not in time_zones:
                time_zones[page.pk] = page.institution.time_zone
            try:
                _send(
                    user=user,
                    template="closing_soon",
                    context={
                        "title": page.title,
                        "closes": format_moment(
                            consultation.closes_at, time_zones[page.pk], language
                        ),
                        "link": absolute(page.url),
                    },
                    connection=connection,
                )
            except Exception:
                logger.exception("Closing reminder for follow %s not sent", follow.pk)
                ConsultationFollow.objects.filter(pk=follow.pk).update(
                    closing_reminder_sent_at=None
                )
                continue
            reminded.add((user.pk, consultation.translation_key))
            sent += 1
    return sent
