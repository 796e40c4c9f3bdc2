"""Who may do what in a thread: the ``deliberation.*`` permissions, and why one is refused.

Views, the API and the sockets ask ``refusal(user, perm, obj)``: None when allowed, else the
reason in words a citizen understands. The permissions registered with django-rules below
(``user.has_perm(perm, obj)``) are the same decisions as yes/no. Whether the thread can be
read at all is its page's (``cms.rules.page_read_refusal``).

Posting, reacting and flagging follow the phase of the thread's page (a consultation or a
forum topic) and its participation rule; a locked thread takes no new contributions; a
suspended account can neither post nor react.
"""

import datetime

import rules
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.selectors import user_active_suspension
from cms.l10n import format_moment
from cms.models import InstitutionPage
from cms.rules import ReadRefusal, page_read_refusal
from deliberation import conf
from deliberation.models import (
    Appeal,
    Contribution,
    Participation,
    Reason,
    Status,
    Thread,
    TopicProposal,
)
from deliberation.phases import Action


def moderated_institution_keys(user) -> set | None:
    """Translation keys of the institutions ``user`` moderates; None means every institution."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_moderated_institution_keys", False)
    if cached is not False:
        return cached

    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or conf.get("DELIBERATION_GLOBAL_MODERATORS_GROUP") in names:
        keys = None
    else:
        slugs = [name.removeprefix("Moderators: ") for name in names if name.startswith("Moderators: ")]
        keys = set(
            InstitutionPage.objects.filter(slug__in=slugs).values_list("translation_key", flat=True)
        ) if slugs else set()
    user._moderated_institution_keys = keys
    return keys


def suspension_message(suspension) -> str:
    reason = dict(Reason.choices).get(suspension.reason, suspension.reason)
    if suspension.ends_at is None:
        return _("Your account is suspended permanently (reason: %(reason)s). You can still read.") % {
            "reason": reason
        }
    return _("Your account is suspended until %(until)s (reason: %(reason)s). You can still read.") % {
        "until": format_moment(suspension.ends_at, settings.TIME_ZONE),
        "reason": reason,
    }


def active_suspension(user):
    """The suspension barring ``user`` now, or None; remembered on the user object for the
    request (re-read once it has ended)."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_active_suspension", False)
    if cached is False or (
        cached is not None and cached.ends_at is not None and cached.ends_at <= timezone.now()
    ):
        cached = user_active_suspension(user=user)
        user._active_suspension = cached
    return cached


class Refusal(str):
    """A translated refusal, with the code a socket answers with (docs/realtime.md)."""

    code = "forbidden"

    def __new__(cls, message: str, code: str | None = None):
        refusal = super().__new__(cls, message)
        if code is not None:
            refusal.code = code
        return refusal


class Unreadable(Refusal):
    """A refusal because the reader may not read the thread at all: shown as "not found"
    (404), never with the thread's title or text."""

    code = "not_found"


def unreadable_message() -> Unreadable:
    return Unreadable(_("This discussion does not exist."))


def _action_refusal(user, thread: Thread, action: Action, *, read_checked: bool = False) -> str | None:
    if not read_checked and read_refusal(user, thread) is not None:
        return unreadable_message()
    target = thread.target
    if not user.is_authenticated:
        return _("Log in to take part.")
    if not user.is_active:
        return _("This account is disabled.")
    suspension = active_suspension(user)
    if suspension is not None and action in (Action.COMMENT, Action.REACT):
        return suspension_message(suspension)
    if action not in target.actions:
        if action == Action.COMMENT:
            return _("This discussion is not open for contributions.")
        return _("This discussion no longer takes reactions or reports.")
    if action in (Action.COMMENT, Action.REACT) and target.participation == Participation.VERIFIED:
        if not user.email_verified:
            return _("Only accounts with a confirmed email address can take part here.")
    if action == Action.COMMENT and thread.locked:
        return _("A moderator has locked this thread: no new contributions.")
    return None


def thread_action_refusal(user, thread: Thread, action: Action) -> str | None:
    """Why ``user`` may not do ``action`` in ``thread`` now (its phase, participation rule,
    suspension, lock), or None: for apps whose actions on a thread are one of these (supporting
    an idea is reacting to it)."""
    return _action_refusal(user, thread, action)


def post_refusal(user, thread: Thread) -> str | None:
    return _action_refusal(user, thread, Action.COMMENT)


def react_refusal(user, contribution: Contribution) -> str | None:
    if read_refusal(user, contribution.thread) is not None:
        return unreadable_message()
    if contribution.status != Status.PUBLISHED:
        return _("Only published contributions can receive reactions.")
    if contribution.author_id == user.pk:
        return _("You cannot react to your own contribution.")
    return _action_refusal(user, contribution.thread, Action.REACT, read_checked=True)


def flag_refusal(user, contribution: Contribution) -> str | None:
    if read_refusal(user, contribution.thread) is not None:
        return unreadable_message()
    if contribution.status != Status.PUBLISHED:
        return _("Only published contributions can be reported.")
    if contribution.author_id == user.pk:
        return _("You cannot report your own contribution.")
    return _action_refusal(user, contribution.thread, Action.FLAG, read_checked=True)


def edit_refusal(user, contribution: Contribution, *, now: datetime.datetime | None = None) -> str | None:
    if read_refusal(user, contribution.thread) is not None:
        return unreadable_message()
    if not user.is_authenticated or contribution.author_id != user.pk:
        return _("Only its author can edit a contribution.")
    if contribution.status in (Status.HIDDEN, Status.REJECTED):
        return _("A contribution removed by moderation cannot be edited.")
    if contribution.signed_document_id is not None:
        return _("This reply was signed by the institution: it can no longer be edited.")
    grace = datetime.timedelta(minutes=conf.get("DELIBERATION_EDIT_GRACE_MINUTES"))
    if (now or timezone.now()) > contribution.created_at + grace:
        minutes = conf.get("DELIBERATION_EDIT_GRACE_MINUTES")
        return ngettext(
            "Contributions can be edited only in the first minute.",
            "Contributions can be edited only in the first %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    return _action_refusal(user, contribution.thread, Action.COMMENT, read_checked=True)


def read_refusal(user, thread) -> ReadRefusal | None:
    """Why ``user`` may not read ``thread`` (on its socket, through the API or the forms), or
    None. A thread is read as its page is (``cms.rules.page_read_refusal``): a thread on a
    password-protected page is not readable outside Wagtail's own page."""
    if thread is None:
        return ReadRefusal.UNPUBLISHED
    return page_read_refusal(user, thread.page)


def view_refusal(user, thread) -> Unreadable | None:
    """``read_refusal`` as a citizen is told it: the thread does not exist for them."""
    return None if read_refusal(user, thread) is None else unreadable_message()


def subscribe_refusal(user, thread) -> Refusal | None:
    """Why ``user`` may not follow ``thread`` on its socket, or None: ``read_refusal`` in the
    socket's words, its ``code`` one of the socket's refusal codes (docs/realtime.md)."""
    if thread is None:
        return Refusal(_("This discussion does not exist."), "not_found")
    refusal = read_refusal(user, thread)
    if refusal is None:
        return None
    if refusal == ReadRefusal.LOGIN_REQUIRED:
        return Refusal(_("Log in to follow this discussion."), "login_required")
    return Refusal(_("You cannot follow this discussion."), "forbidden")


def propose_refusal(user, institution) -> str | None:
    """Why ``user`` may not propose a forum topic to ``institution`` (an InstitutionPage), or
    None: a logged-in, active account, not suspended, with a confirmed email address unless
    DELIBERATION_PROPOSAL_PARTICIPATION says "registered", on an institution it may read."""
    if institution is None or page_read_refusal(user, institution) is not None:
        return unreadable_message()
    if not user.is_authenticated:
        return _("Log in to propose a topic.")
    if not user.is_active:
        return _("This account is disabled.")
    suspension = active_suspension(user)
    if suspension is not None:
        return suspension_message(suspension)
    required = conf.get("DELIBERATION_PROPOSAL_PARTICIPATION")
    if required == Participation.VERIFIED and not user.email_verified:
        return _("Only accounts with a confirmed email address can propose a topic.")
    return None


def moderates_suspension_refusal(user, suspension) -> str | None:
    """Why ``user`` may not lift ``suspension`` (or decide an appeal against it), or None:
    platform-wide moderators may; a moderator of an institution may when the suspension was
    given over a contribution in a thread of that institution (its log entry says which)."""
    keys = moderated_institution_keys(user)
    if keys is None:
        return None
    if keys:
        institution_keys = set(
            suspension.moderation_actions.filter(thread__isnull=False).values_list(
                "thread__institution__translation_key", flat=True
            )
        )
        if institution_keys & keys:
            return None
    return _("Only platform-wide moderators can act on this suspension.")


def appeal_decide_refusal(user, appeal: Appeal) -> str | None:
    """Why ``user`` may not decide ``appeal``, or None: they must moderate what it is about,
    and must not be the moderator whose decision is appealed."""
    if appeal.contribution_id is not None:
        if not moderates_thread(user, appeal.contribution.thread):
            return _("You do not moderate this discussion.")
    else:
        refusal = moderates_suspension_refusal(user, appeal.suspension)
        if refusal:
            return refusal
    if appeal.decision is not None and appeal.decision.actor_id == user.pk:
        return _("You made the decision this appeal is against: another moderator must decide it.")
    return None


REFUSALS = {
    "deliberation.view_thread": view_refusal,
    "deliberation.subscribe_thread": subscribe_refusal,
    "deliberation.post_thread": post_refusal,
    "deliberation.react_contribution": react_refusal,
    "deliberation.flag_contribution": flag_refusal,
    "deliberation.edit_contribution": edit_refusal,
    "deliberation.propose_topic": propose_refusal,
    "deliberation.lift_suspension": moderates_suspension_refusal,
    "deliberation.decide_appeal": appeal_decide_refusal,
}


def refusal(user, perm: str, obj) -> str | None:
    """Why ``user`` may not ``perm`` (a registered ``deliberation.*`` permission) on ``obj``,
    translated in the active language; None when ``user.has_perm(perm, obj)``."""
    return REFUSALS[perm](user, obj)


@rules.predicate
def can_view_thread(user, thread) -> bool:
    """``can_subscribe`` (CONVENTIONS.md §9): asked before a socket joins a thread, and by
    every other way into a thread."""
    return read_refusal(user, thread) is None


@rules.predicate
def can_post(user, thread) -> bool:
    return post_refusal(user, thread) is None


@rules.predicate
def can_react(user, contribution) -> bool:
    return react_refusal(user, contribution) is None


@rules.predicate
def can_flag(user, contribution) -> bool:
    return flag_refusal(user, contribution) is None


@rules.predicate
def can_edit(user, contribution) -> bool:
    return edit_refusal(user, contribution) is None


@rules.predicate
def moderates_thread(user, thread) -> bool:
    keys = moderated_institution_keys(user)
    return keys is None or (thread is not None and thread.institution.translation_key in keys)


@rules.predicate
def moderates_contribution(user, contribution) -> bool:
    return moderates_thread(user, contribution.thread)


@rules.predicate
def can_propose(user, institution) -> bool:
    return propose_refusal(user, institution) is None


@rules.predicate
def moderates_proposal(user, proposal: TopicProposal) -> bool:
    keys = moderated_institution_keys(user)
    return keys is None or (
        proposal is not None and proposal.institution.translation_key in keys
    )


@rules.predicate
def moderates_anything(user) -> bool:
    keys = moderated_institution_keys(user)
    return keys is None or bool(keys)


rules.add_perm("deliberation.view_thread", can_view_thread)
rules.add_perm("deliberation.subscribe_thread", can_view_thread)
rules.add_perm("deliberation.post_thread", can_post)
rules.add_perm("deliberation.react_contribution", can_react)
rules.add_perm("deliberation.flag_contribution", can_flag)
rules.add_perm("deliberation.edit_contribution", can_edit)
rules.add_perm("deliberation.moderate_thread", moderates_thread)
rules.add_perm("deliberation.moderate_contribution", moderates_contribution)
rules.add_perm("deliberation.moderate", moderates_anything)
rules.add_perm("deliberation.propose_topic", can_propose)
rules.add_perm("deliberation.moderate_proposal", moderates_proposal)


@rules.predicate
def can_lift_suspension(user, suspension) -> bool:
    return suspension is not None and moderates_suspension_refusal(user, suspension) is None


@rules.predicate
def can_decide_appeal(user, appeal) -> bool:
    return appeal is not None and appeal_decide_refusal(user, appeal) is None


rules.add_perm("deliberation.lift_suspension", can_lift_suspension)
rules.add_perm("deliberation.decide_appeal", can_decide_appeal)

