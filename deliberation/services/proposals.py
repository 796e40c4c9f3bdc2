"""Forum topics proposed by citizens: proposing one (held for moderation), and a moderator's
approval (the topic page is created and published) or rejection with a public reason. Each
decision is written to the moderation log and e-mailed to the proposer once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Locale

from accounts.models import User
from cms.models import InstitutionPage
from deliberation import conf, notifications
from deliberation import rules as deliberation_rules
from deliberation.markup import normalise_text, render_markup
from deliberation.models import (
    ForumTopicPage,
    ProposalStatus,
    Reason,
    TopicProposal,
    WatchedWordAction,
)
from deliberation.models import ModerationActionKind as Kind
from deliberation.services.checks import rate_limit, refuse_if, refuse_lone_surrogates
from deliberation.services.errors import Blocked, Invalid, Refused
from deliberation.services.moderation import moderation_action_record
from deliberation.services.threads import thread_for_page
from deliberation.watched import watched_words_match

TITLE_MAX = 120
TITLE_MIN = 5
SUMMARY_MAX = 600  # ForumTopicPage.summary
TOPICS_MAX = 5
TOPIC_MAX_LENGTH = 40


def _clean_title(title: str) -> str:
    refuse_lone_surrogates(title or "", field="title")
    text = " ".join(normalise_text(title or "").split())
    if len(text) < TITLE_MIN:
        raise Invalid(
            _("Give the topic a title of at least %(min)d characters.") % {"min": TITLE_MIN},
            field="title",
        )
    if len(text) > TITLE_MAX:
        raise Invalid(
            _("A title can be at most %(limit)d characters long (this one has %(length)d).")
            % {"limit": TITLE_MAX, "length": len(text)},
            field="title",
        )
    return text


def _clean_text(text: str) -> str:
    refuse_lone_surrogates(text or "", field="text")
    cleaned = normalise_text(text or "")
    if not cleaned:
        raise Invalid(_("Describe the topic you propose."), field="text")
    limit = conf.get("DELIBERATION_MAX_LENGTH")
    if len(cleaned) > limit:
        raise Invalid(
            _("A proposal can be at most %(limit)d characters long (this one has %(length)d).")
            % {"limit": limit, "length": len(cleaned)},
            field="text",
        )
    return cleaned


def _clean_topics(topics: str) -> str:
    refuse_lone_surrogates(topics or "", field="topics")
    names = []
    for name in (topics or "").replace("،", ",").split(","):
        name = " ".join(normalise_text(name).split())
        if name and name not in names:
            names.append(name)
    if len(names) > TOPICS_MAX:
        raise Invalid(
            ngettext("Give at most %(count)d theme.", "Give at most %(count)d themes.", TOPICS_MAX)
            % {"count": TOPICS_MAX},
            field="topics",
        )
    if any(len(name) > TOPIC_MAX_LENGTH for name in names):
        raise Invalid(
            _("A theme can be at most %(limit)d characters long.") % {"limit": TOPIC_MAX_LENGTH},
            field="topics",
        )
    return ", ".join(names)


def topic_propose(
    *,
    proposer: User,
    institution: InstitutionPage,
    title: str,
    text: str,
    topics: str = "",
    language: str = "",
    ip_address: str | None = None,
) -> TopicProposal:
    """Propose a forum topic to ``institution``; it waits for a moderator, unseen by others.

    Raises a DeliberationError (nothing saved) when the account may not propose, the title,
    text or topics are empty, too long or contain blocked words, or the rate is exceeded.
    """
    refuse_if(deliberation_rules.propose_refusal(proposer, institution))
    title = _clean_title(title)
    text = _clean_text(text)
    topics = _clean_topics(topics)
    # Title, text and topics are read as one text, a blank line apart.
    match = watched_words_match(
        text="\n\n".join(part for part in (title, text, topics) if part), language=language
    )
    if match and match.action == WatchedWordAction.BLOCK:
        raise Blocked(
            _("Your proposal was not sent: it contains words this platform does not accept (%(words)s). Please rephrase it.")
            % {"words": ", ".join(match.phrases)},
            field="text",
        )
    rate_limit(action="propose", user=proposer, ip_address=ip_address)
    with transaction.atomic():
        proposal = TopicProposal.objects.create(
            institution=institution,
            proposer=proposer,
            language=language or institution.locale.language_code,
            title=title,
            text=text,
            topics=topics,
            watched=", ".join(match.phrases)[:200] if match else "",
        )
        if match:
            moderation_action_record(
                None,
                Kind.AUTO_HOLD if match.action == WatchedWordAction.HOLD else Kind.AUTO_FLAG,
                proposal=proposal,
                note=", ".join(match.phrases),
            )
    return proposal


def _locked_pending(*, moderator: User, proposal: TopicProposal) -> TopicProposal:
    if not moderator.has_perm("deliberation.moderate_proposal", proposal):
        raise Refused(_("You do not moderate this institution's forum."))
    locked = (
        TopicProposal.objects.select_for_update(of=("self",))
        .select_related("institution", "proposer")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.PENDING:
        raise Invalid(
            _("This proposal is now “%(status)s”: another moderator has decided on it.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _forum_parent(proposal: TopicProposal) -> InstitutionPage:
    """The institution's live page in the proposal's language (where the topic is created), or
    the page it was proposed from when the institution has none in that language."""
    locale = Locale.objects.filter(language_code=proposal.language).first()
    translated = proposal.institution.get_translation_or_none(locale) if locale else None
    if translated is None or not translated.live:
        return proposal.institution.specific
    return translated.specific


def _excerpt(text: str, length: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def topic_proposal_approve(
    *, moderator: User, proposal: TopicProposal, note: str = ""
) -> TopicProposal:
    """Approve a pending proposal: its forum topic is created and published under the
    institution, in the proposal's language; logged, and the proposer is e-mailed."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_pending(moderator=moderator, proposal=proposal)
        parent = _forum_parent(locked)
        page = ForumTopicPage(
            title=locked.title,
            summary=_excerpt(locked.text, SUMMARY_MAX),
            body=render_markup(locked.text),
            locale=parent.locale,
            owner=moderator,
        )
        for name in locked.topic_list:
            page.topics.add(name)
        parent.add_child(instance=page)
        # Approving is the moderator's decision, checked above (moderate_proposal): publishing
        # it needs no page permission of theirs (moderators only draft pages).
        page.save_revision(user=moderator).publish(user=moderator, skip_permission_checks=True)
        locked.status = ProposalStatus.APPROVED
        locked.page = page
        locked.reason = ""
        locked.note = note
        locked.decided_by = moderator
        locked.decided_at = now
        locked.save(update_fields=["status", "page", "reason", "note", "decided_by", "decided_at"])
        moderation_action_record(
            moderator,
            Kind.APPROVE,
            thread=thread_for_page(page=page),
            proposal=locked,
            note=note,
        )
        transaction.on_commit(lambda: notifications.proposal_decided(locked.pk), robust=True)
    return locked


def topic_proposal_reject(
    *, moderator: User, proposal: TopicProposal, reason: str, note: str = ""
) -> TopicProposal:
    """Reject a pending proposal with a public reason (and an explanation for the proposer);
    logged, and the proposer is e-mailed. Nothing of it is published."""
    if reason not in Reason.values or reason == Reason.FLAGGED:
        raise Invalid(_("Choose the public reason for this decision."), field="reason")
    with transaction.atomic():
        locked = _locked_pending(moderator=moderator, proposal=proposal)
        locked.status = ProposalStatus.REJECTED
        locked.reason = reason
        locked.note = note
        locked.decided_by = moderator
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "note", "decided_by", "decided_at"])
        moderation_action_record(moderator, Kind.REJECT, proposal=locked, reason=reason, note=note)
        transaction.on_commit(lambda: notifications.proposal_decided(locked.pk), robust=True)
    return locked
