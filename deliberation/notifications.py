"""Emails to citizens about their contributions and the consultations they follow.

Each is written in the recipient's language, honours their notification settings, and is
sent after the change is committed (callers use ``transaction.on_commit``). The console
backend prints them unless SMTP is configured.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from deliberation.models import Contribution, ModerationActionKind, Status


def absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _send(*, user, template: str, context: dict) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {"user": user, **context}
        send_mail(
            subject=" ".join(render_to_string(f"deliberation/email/{template}_subject.txt", context).split()),
            message=render_to_string(f"deliberation/email/{template}.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def _excerpt(contribution: Contribution, length: int = 280) -> str:
    text = " ".join(contribution.body.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def reply_published(contribution_id: int) -> None:
    """Tell the author of the contribution replied to, unless they replied to themselves."""
    from deliberation.selectors import contribution_url

    reply = (
        Contribution.objects.select_related("author", "parent__author", "thread")
        .filter(pk=contribution_id, status=Status.PUBLISHED, parent__isnull=False)
        .first()
    )
    if reply is None:
        return
    recipient = reply.parent.author
    if recipient.pk == reply.author_id or not recipient.notify_replies or not recipient.is_active:
        return
    _send(
        user=recipient,
        template="reply",
        context={
            "reply_author": reply.author.display_name,
            "excerpt": _excerpt(reply),
            "link": absolute(contribution_url(reply, recipient.preferred_language)),
            "settings_link": absolute("/%s/accounts/notifications/" % recipient.preferred_language),
        },
    )


def moderation_decided(contribution_id: int, action: str) -> None:
    from deliberation.selectors import contribution_url

    contribution = Contribution.objects.select_related("author", "thread").get(pk=contribution_id)
    author = contribution.author
    if not author.notify_moderation or not author.is_active:
        return
    _send(
        user=author,
        template="moderation",
        context={
            "action": ModerationActionKind(action).value,
            "reason": contribution.get_reason_display(),
            "excerpt": _excerpt(contribution),
            "link": absolute(contribution_url(contribution, author.preferred_language)),
            "settings_link": absolute("/%s/accounts/notifications/" % author.preferred_language),
        },
    )


def closing_soon_send(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Remind followers of open consultations closing within ``days`` days, once each.

    Returns how many emails were sent. Meant to run from cron (``send_closing_reminders``).
    """
    from consultations.models import ConsultationFollow
    from deliberation import conf

    now = now or timezone.now()
    days = days if days is not None else conf.get("DELIBERATION_CLOSING_REMINDER_DAYS")
    follows = (
        ConsultationFollow.objects.filter(
            closing_reminder_sent_at__isnull=True,
            consultation__live=True,
            consultation__opens_at__lte=now,
            consultation__closes_at__gt=now,
            consultation__closes_at__lte=now + datetime.timedelta(days=days),
            consultation__outcome_published_at__isnull=True,
        )
        .select_related("user", "consultation")
        .order_by("pk")
    )
    sent = 0
    for follow in follows:
        # Claim it first: a second run (or a concurrent one) never sends it again.
        if not ConsultationFollow.objects.filter(
            pk=follow.pk, closing_reminder_sent_at__isnull=True
        ).update(closing_reminder_sent_at=now):
            continue
        user = follow.user
        if not user.notify_closing_soon or not user.is_active:
            continue
        page = follow.consultation.get_translation_or_none(
            _locale(user.preferred_language)
        ) or follow.consultation
        from cms.l10n import format_moment

        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            closes = format_moment(page.closes_at, page.get_parent().specific.time_zone)
        _send(
            user=user,
            template="closing_soon",
            context={
                "title": page.title,
                "closes": closes,
                "link": absolute(page.url),
                "settings_link": absolute("/%s/accounts/notifications/" % user.preferred_language),
            },
        )
        sent += 1
    return sent


def _locale(language: str):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language).first()
