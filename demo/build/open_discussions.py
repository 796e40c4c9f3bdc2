"""The open discussions: citizens debating the open Water Code consultation (as a whole and
section by section) and one forum topic of El Kef municipality.

Besides replies, reactions and reports, the script has two contributions hidden by a
moderator, an official reply of the ministry, one report and one newcomer's contribution left
waiting in the moderation queue. Running it again adds nothing.
"""

import datetime

from django.utils import timezone

from cms.models import InstitutionPage
from cms.services import locales_ensure, page_translation_ensure
from consultations.models import ConsultationPage
from deliberation import services
from deliberation.models import ForumTopicPage
from demo.build.conditions import posting_unlimited
from demo.build.discussions import Seeded, discussion_seed, people
from demo.build.ids import section_id
from demo.build.publishing import child_publish, topics_publish
from demo.content.consultations import WATER_CODE
from demo.content.forum import FORUM, FORUM_DISCUSSION
from demo.content.water_discussion import WHOLE
from demo.content.water_sections import SECTIONS

# By section key, "" for the whole consultation.
WATER_DISCUSSION = {"": WHOLE, **SECTIONS}


def forum_topic_ensure(*, now: datetime.datetime) -> ForumTopicPage:
    """The demo forum topic in Arabic (source), French and English, opened some days ago."""
    locales = locales_ensure()
    institution = InstitutionPage.objects.get(slug=FORUM["institution"], locale=locales["ar"])
    page = ForumTopicPage.objects.child_of(institution).filter(slug=FORUM["slug"]).first()
    opened = now - datetime.timedelta(days=FORUM["opened_days_ago"])
    if page is None:
        page = child_publish(
            parent=institution,
            page=ForumTopicPage(slug=FORUM["slug"], first_published_at=opened, **FORUM["ar"]),
            topics=FORUM["topics"]["ar"],
        )
    for code in ("fr", "en"):
        if page.get_translation_or_none(locales[code]) is None:
            translation = page_translation_ensure(
                page=page, locale=locales[code], first_published_at=opened, **FORUM[code]
            )
            topics_publish(translation, FORUM["topics"][code])
    return ForumTopicPage.objects.get(pk=page.pk)


def _water_code_seed(*, now: datetime.datetime, people: dict) -> Seeded:
    consultation = ConsultationPage.objects.get(
        slug=WATER_CODE["slug"], locale__language_code="ar"
    )
    seeded = Seeded()
    for key, script in WATER_DISCUSSION.items():
        thread = services.thread_for_page(
            page=consultation, section_id=section_id(WATER_CODE["slug"], key) if key else ""
        )
        seeded += discussion_seed(
            thread=thread, script=script, opened=consultation.opens_at, now=now, people=people
        )
    return seeded


def discussions_seed(*, report) -> Seeded:
    """Fill the open demo consultation and the demo forum topic with their discussions."""
    now = timezone.now()
    everyone = people()
    with posting_unlimited():
        seeded = _water_code_seed(now=now, people=everyone)
        forum = forum_topic_ensure(now=now)
        seeded += discussion_seed(
            thread=services.thread_for_page(page=forum),
            script=FORUM_DISCUSSION,
            opened=forum.first_published_at,
            now=now,
            people=everyone,
        )
    if seeded.contributions:
        report(
            f"{seeded.contributions} contributions and {seeded.reactions} reactions in "
            f"{seeded.threads} threads: {WATER_CODE['en']['title']} and forum topic "
            f"“{FORUM['en']['title']}”"
        )
    else:
        report("Discussions already seeded: nothing added")
    return seeded
