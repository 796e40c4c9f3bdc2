"""Who may answer a questionnaire, and why one may not: ``answer_refusal``.

A questionnaire is answered as its page is read (``cms.rules.page_read_refusal``); it takes
answers only while open (its consultation's phase, or its own dates); an account must be
active, not suspended, and satisfy the participation rule (the consultation's, or its own);
without an account only when the editor allowed anonymous answers.
"""

import rules
from django.utils.translation import gettext as _

from cms.rules import page_read_refusal
from deliberation.models import Participation
from deliberation.phases import Phase
from deliberation.rules import Refusal, Unreadable, active_suspension, suspension_message


def closed_message(page) -> Refusal:
    if page.phase == Phase.UPCOMING:
        return Refusal(_("This questionnaire is not open yet."), "not_open")
    return Refusal(_("This questionnaire is closed: it no longer takes answers."), "closed")


def answer_refusal(user, page) -> Refusal | None:
    """Why ``user`` may not answer ``page`` now (translated), or None."""
    if page_read_refusal(user, page) is not None:
        return Unreadable(_("This questionnaire does not exist."))
    if page.phase != Phase.OPEN:
        return closed_message(page)
    if not user.is_authenticated:
        if page.anonymous_allowed:
            return None
        return Refusal(_("Log in to answer this questionnaire."), "login_required")
    if not user.is_active:
        return Refusal(_("This account is disabled."))
    suspension = active_suspension(user)
    if suspension is not None:
        return Refusal(suspension_message(suspension))
    if page.effective_participation == Participation.VERIFIED and not user.email_verified:
        return Refusal(_("Only accounts with a confirmed email address can take part here."))
    return None


@rules.predicate
def can_answer(user, page) -> bool:
    return answer_refusal(user, page) is None


rules.add_perm("questionnaires.answer_questionnaire", can_answer)


# --- Results (docs/questionnaires.md, "Results") ----------------------------------------------


def edits_questionnaire(user, page) -> bool:
    """The institution's editors (whoever may edit the page in the admin)."""
    return bool(
        user.is_authenticated and user.is_active and page.permissions_for_user(user).can_edit()
    )


@rules.predicate
def can_view_results(user, page) -> bool:
    """The editors always; everyone who may read the page once the editor made them public."""
    if page is None or page_read_refusal(user, page) is not None:
        return edits_questionnaire(user, page) if page is not None else False
    return page.results_public or edits_questionnaire(user, page)


@rules.predicate
def can_watch_results(user, page) -> bool:
    """The results update live for the editors."""
    return page is not None and edits_questionnaire(user, page)


rules.add_perm("questionnaires.view_results", can_view_results)
rules.add_perm("questionnaires.watch_results", can_watch_results)
