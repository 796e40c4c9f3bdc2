"""Emails to the followers of a consultation: a reminder when it is about to close.

Written in each follower's language (``accounts.mail``), it honours their notification
settings and links to the consultation in their language when it is translated. Emails about
outcomes and decisions are in ``consultations.outcomes.notifications``.
"""

import datetime
import logging

from django.core.mail import get_connection
from django.utils import timezone

from accounts.mail import absolute_url, user_language, user_mail_send
from cms.l10n import format_moment
from cms.rules import page_access
from consultations import conf
from consultations.models import ConsultationFollow, ConsultationPage

logger = logging.getLogger(__name__)
FOLDER = "consultations/email"


def _closing_follows(*, now: datetime.datetime, days: int) -> list[ConsultationFollow]:
    """Unclaimed follows, by people who want reminders, of live consultations open now and
    closing within ``days`` days (before their outcome): one query."""
    return list(
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


def _translations(follows) -> dict:
    """{(translation key, language): the live consultation} in each follower's language, when
    it is translated: one query."""
    return {
        (page.translation_key, page.locale.language_code): page
        for page in ConsultationPage.objects.live()
        .filter(
            translation_key__in={follow.consultation.translation_key for follow in follows},
            locale__language_code__in={user_language(follow.user) for follow in follows},
        )
        .select_related("locale")
    }


def _claim(follow: ConsultationFollow, now: datetime.datetime) -> bool:
    """Mark ``follow`` reminded; False when a concurrent run already did."""
    return bool(
        ConsultationFollow.objects.filter(
            pk=follow.pk, closing_reminder_sent_at__isnull=True
        ).update(closing_reminder_sent_at=now)
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
    days = days if days is not None else conf.get("CONSULTATIONS_CLOSING_REMINDER_DAYS")
    follows = _closing_follows(now=now, days=days)
    if not follows:
        return 0
    translations = _translations(follows)
    time_zones: dict[int, str] = {}
    accesses: dict = {}
    reminded: set = set()
    sent = 0
    with get_connection() as connection:
        for follow in follows:
            user, consultation = follow.user, follow.consultation
            key = consultation.translation_key
            page = translations.get((key, user_language(user)), consultation)
            # Only who may read the consultation (and the translation linked) is reminded;
            # the others stay unclaimed, reminded if the page opens to them in time.
            for each in (consultation, page):
                if each.pk not in accesses:
                    accesses[each.pk] = page_access(each)
            if any(accesses[each.pk].refusal_for(user) for each in (consultation, page)):
                continue
            if not _claim(follow, now) or (user.pk, key) in reminded:
                continue
            if page.pk not in time_zones:
                time_zones[page.pk] = page.institution.time_zone
            if _remind(follow, page, time_zones[page.pk], connection):
                reminded.add((user.pk, key))
                sent += 1
    return sent


def _remind(follow: ConsultationFollow, page: ConsultationPage, time_zone: str, connection) -> bool:
    """Email one claimed reminder about ``page``; on failure release the claim for the next
    run. Returns whether it was sent."""
    user = follow.user
    try:
        user_mail_send(
            user=user,
            folder=FOLDER,
            template="closing_soon",
            context={
                "title": page.title,
                "closes": format_moment(
                    follow.consultation.closes_at, time_zone, user_language(user)
                ),
                "link": absolute_url(page.url),
            },
            connection=connection,
        )
    except Exception:
        logger.exception("Closing reminder for follow %s not sent", follow.pk)
        ConsultationFollow.objects.filter(pk=follow.pk).update(closing_reminder_sent_at=None)
        return False
    return True
