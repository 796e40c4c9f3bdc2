"""Emails about outcomes and decisions, in each recipient's language.

``services`` claims each publication once (``PublicationNotice``) and calls these after the
commit; they honour ``notify_outcomes``, write to each person once, link to the page in their
language when it is translated, and go on past one failed address.
"""

import logging

from django.core.mail import get_connection
from django.db.models import Q

from accounts.mail import absolute_url, user_language, user_mail_send
from accounts.models import User
from cms.rules import page_access
from consultations.models import ConsultationFollow
from consultations.outcomes.models import DecisionPage, DecisionStatus, OutcomePage
from deliberation.models import Contribution, Status

logger = logging.getLogger(__name__)
FOLDER = "consultations/email"


def _translations(page, languages) -> dict:
    """``page`` in each of ``languages`` where it is live: one query."""
    return {
        p.locale.language_code: p
        for p in type(page)
        .objects.live()
        .filter(translation_key=page.translation_key, locale__language_code__in=set(languages))
        .select_related("locale")
    }


def _mail(recipients, page, template: str, context) -> int:
    """Mail each recipient who may read ``page`` (``cms.rules.page_read_refusal``), linking
    to its translation in their language when they may read that one too."""
    pages = _translations(page, [user_language(user) for user in recipients])
    accesses = {}

    def readable(user, each) -> bool:
        if each.pk not in accesses:
            accesses[each.pk] = page_access(each)
        return accesses[each.pk].refusal_for(user) is None

    sent = 0
    with get_connection() as connection:
        for user in recipients:
            if not readable(user, page):
                continue
            shown = pages.get(user_language(user), page)
            if not readable(user, shown):
                shown = page
            try:
                user_mail_send(
                    user=user,
                    folder=FOLDER,
                    template=template,
                    context={**context(shown), "link": absolute_url(shown.url)},
                    connection=connection,
                )
            except Exception:
                logger.exception("%s email to user %s not sent", template, user.pk)
                continue
            sent += 1
    return sent


def outcome_published_send(outcome_id: int) -> int:
    """Tell the consultation's followers and everyone who contributed to it that its outcome
    is published. Returns how many emails were sent."""
    outcome = OutcomePage.objects.filter(pk=outcome_id).first()
    consultation = outcome.consultation if outcome else None
    if consultation is None:
        return 0
    key = consultation.translation_key
    followers = ConsultationFollow.objects.filter(consultation__translation_key=key).values("user")
    authors = Contribution.objects.filter(
        thread__translation_key=key, status=Status.PUBLISHED
    ).values("author")
    recipients = list(
        User.objects.filter(Q(pk__in=followers) | Q(pk__in=authors))
        .filter(is_active=True, notify_outcomes=True)
        .prefetch_related("groups")
        .order_by("pk")
    )
    titles: dict[int, str] = {}

    def context(page):
        if page.pk not in titles:
            titles[page.pk] = page.get_parent().title
        return {"title": titles[page.pk]}

    return _mail(recipients, outcome, "outcome_published", context)


def decision_status_send(decision_id: int, status: str) -> int:
    """Tell the citizens whose contributions ``decision`` rests on (cited by it, or by the
    responses it rests on) that it now has ``status``. Returns how many emails were sent."""
    decision = DecisionPage.objects.filter(pk=decision_id).first()
    if decision is None:
        return 0
    cited = Contribution.objects.filter(
        Q(decisions=decision) | Q(outcome_responses__decisions=decision),
        status=Status.PUBLISHED,
    ).values("author")
    recipients = list(
        User.objects.filter(pk__in=cited, is_active=True, notify_outcomes=True)
        .prefetch_related("groups")
        .order_by("pk")
    )
    label = DecisionStatus(status).label
    return _mail(
        recipients,
        decision,
        "decision_status",
        lambda page: {"title": page.title, "status": label},
    )
