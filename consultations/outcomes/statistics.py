"""A consultation's participation statistics, counted from the data (never typed in).

``participation_statistics`` returns plain JSON data: the outcome freezes it in a
``ParticipationSnapshot`` when first published, and pages draw it (``charts``). Everything
counts what is public: published contributions and the reactions to them; moderation is
counted by reason only. A consultation's threads are shared by its translations, so every
count covers all languages. A fixed number of queries whatever the size.

``participation_published`` is what a page may show of them: the counts of *people* go through
small-number suppression (cms/disclosure.py) when shown, so snapshots frozen before it existed
are suppressed too. Counts of contributions, replies, reactions and moderation decisions are
not: each contribution they count is itself public on its thread (a removed one as "removed
by moderation: <reason>"), and the public moderation log gives the same counts.
"""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from accounts.governorates import Governorate
from cms.disclosure import TOTAL, count_alone, table_suppress
from cms.disclosure import Count as PublishedCount
from deliberation.models import Contribution, Reaction, Status
from questionnaires.models import QuestionnairePage
from questionnaires.results import questionnaire_results, results_labels

SCHEMA_VERSION = 1
NOT_GIVEN = ""


def _moderation_counts(key) -> dict[str, dict[str, int]]:
    """{"hidden"|"rejected": {reason: contributions}} in the consultation's threads."""
    moderation: dict[str, dict[str, int]] = {"hidden": {}, "rejected": {}}
    for status, reason, n in (
        Contribution.objects.filter(
            thread__translation_key=key, status__in=[Status.HIDDEN, Status.REJECTED]
        )
        .values_list("status", "reason")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        bucket = moderation["hidden" if status == Status.HIDDEN else "rejected"]
        bucket[reason] = bucket.get(reason, 0) + n
    return moderation


def _section_rows(consultation, per_section: Counter) -> list[dict]:
    """Contributions per section: the whole consultation, each draft section in order, then
    sections since removed from the draft (they keep their contributions in the count)."""
    sections = [
        {"id": "", "number": None, "heading": "", "contributions": per_section.get("", 0)}
    ] + [
        {
            "id": section.id,
            "number": section.number,
            "heading": section.heading,
            "contributions": per_section.get(section.id, 0),
        }
        for section in consultation.sections
    ]
    known = {section["id"] for section in sections}
    sections += [
        {"id": sid, "number": None, "heading": "", "contributions": n}
        for sid, n in sorted(per_section.items())
        if sid not in known
    ]
    return sections


def _day_rows(per_day: Counter) -> list[dict]:
    """Contributions per day, from the first day to the last, days without any included."""
    days = []
    if per_day:
        day, last = min(per_day), max(per_day)
        while day <= last:
            days.append({"date": day.isoformat(), "contributions": per_day.get(day, 0)})
            day += datetime.timedelta(days=1)
    return days


def participation_statistics(*, consultation, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    key = consultation.translation_key
    zone = ZoneInfo(consultation.institution.time_zone)
    published = Contribution.objects.filter(thread__translation_key=key, status=Status.PUBLISHED)
    rows = list(
        published.values_list("author_id", "parent_id", "thread__section_id", "created_at")
    )
    public_reactions = Reaction.objects.filter(
        contribution__thread__translation_key=key, contribution__status=Status.PUBLISHED
    )
    reactor_ids = set(public_reactions.values_list("user_id", flat=True))
    reactions = public_reactions.count()
    authors = {author for author, *_ in rows}
    governorates = Counter(
        code or NOT_GIVEN
        for code in get_user_model()
        .objects.filter(pk__in=published.values("author_id"))
        .values_list("governorate", flat=True)
    )
    return {
        "version": SCHEMA_VERSION,
        "taken_at": now.isoformat(),
        "participants": len(authors | reactor_ids),
        "contributors": len(authors),
        "contributions": sum(1 for _, parent, _, _ in rows if parent is None),
        "replies": sum(1 for _, parent, _, _ in rows if parent is not None),
        "reactions": reactions,
        "sections": _section_rows(consultation, Counter(section for _, _, section, _ in rows)),
        "days": _day_rows(Counter(created.astimezone(zone).date() for *_, created in rows)),
        "governorates": [
            {"code": code, "contributors": n}
            for code, n in sorted(governorates.items(), key=lambda item: (-item[1], item[0]))
            if code in Governorate.values or code == NOT_GIVEN
        ],
        "moderation": _moderation_counts(key),
        "questionnaires": questionnaires_statistics(consultation=consultation, now=now),
    }


def questionnaires_statistics(*, consultation, now: datetime.datetime) -> list[dict]:
    """The results of the consultation's live questionnaires (one per translation key, under
    any translation of the consultation), each with the labels of every translation
    (questionnaires.results): frozen with the rest, so later answers or edits change nothing."""
    paths = list(
        type(consultation)
        .objects.filter(translation_key=consultation.translation_key)
        .values_list("path", flat=True)
    )
    pages: dict = {}
    candidates = QuestionnairePage.objects.live().filter(depth=consultation.depth + 1)
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    for page in candidates.filter(under).order_by("path"):
        if page.translation_key not in pages or page.locale_id == consultation.locale_id:
            pages[page.translation_key] = page
    return [
        {
            "results": questionnaire_results(page=page, now=now),
            "labels": results_labels(page=page),
        }
        for page in sorted(pages.values(), key=lambda page: page.path)
    ]


def participation_published(statistics: dict, *, threshold: int | None = None) -> dict:
    """What an outcome page shows of ``statistics`` (a snapshot's data or today's figures):
    ``participants``, a ``Count`` hidden when small; ``governorates``, [(code, Count)] in the
    list's order (``NOT_GIVEN`` last) for every governorate with contributors or hidden.

    Contributors per governorate are a table whose total, the consultation's contributors,
    anyone can count on its threads: it is ``known`` to the suppression, so a governorate
    with few contributors is hidden with another one, never left to be worked out from it."""
    codes = [*Governorate.values, NOT_GIVEN]
    counts = {
        (row["code"],): row["contributors"]
        for row in statistics.get("governorates", [])
        if row["code"] in codes
    }
    table = table_suppress([codes], counts, threshold=threshold, known=[(TOTAL,)])
    governorates: list[tuple[str, PublishedCount]] = [
        (code, table[(code,)])
        for code in codes
        if counts.get((code,)) or not table[(code,)].shown
    ]
    return {
        "participants": count_alone(statistics.get("participants", 0), threshold=threshold),
        "governorates": governorates,
    }
