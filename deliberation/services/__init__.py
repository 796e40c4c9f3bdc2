"""Business rules of deliberation: posting, editing, reacting, flagging and moderating.

Every way in (HTML forms, the JSON API, the websocket) calls these functions; they check
permission, validate, rate-limit, sanitise and apply the moderation policy, and change nothing
when they refuse. Errors carry a message translated for the person who caused them.

Split by concept (threads, contributions, reactions and reports, moderation; the checks they
share in ``checks``); import from here.
"""

from deliberation.services.appeals import (
    appeal_decide,
    contribution_appeal,
    suspension_appeal,
)
from deliberation.services.contributions import (
    PostResult,
    contribution_edit,
    contribution_in_thread,
    contribution_post,
)
from deliberation.services.errors import (
    Blocked,
    DeliberationError,
    Invalid,
    NotFound,
    RateLimited,
    Refused,
)
from deliberation.services.moderation import (
    CONTRIBUTION_ACTIONS,
    NOTIFIED_ACTIONS,
    TRANSITIONS,
    contribution_moderate,
    moderation_action_record,
    suspension_lift_apply,
    thread_lock,
    user_suspend,
    user_suspension_lift,
)
from deliberation.services.proposals import (
    topic_proposal_approve,
    topic_proposal_reject,
    topic_propose,
)
from deliberation.services.reactions import contribution_flag, contribution_react
from deliberation.services.threads import (
    thread_for_idea,
    thread_for_key,
    thread_for_page,
    thread_key_for,
    threads_rehome_for_page_deletion,
)

__all__ = [
    "CONTRIBUTION_ACTIONS",
    "NOTIFIED_ACTIONS",
    "TRANSITIONS",
    "Blocked",
    "DeliberationError",
    "Invalid",
    "NotFound",
    "PostResult",
    "RateLimited",
    "Refused",
    "appeal_decide",
    "contribution_appeal",
    "suspension_appeal",
    "suspension_lift_apply",
    "user_suspension_lift",
    "contribution_edit",
    "contribution_flag",
    "contribution_in_thread",
    "contribution_moderate",
    "contribution_post",
    "contribution_react",
    "moderation_action_record",
    "thread_for_idea",
    "thread_for_key",
    "thread_for_page",
    "thread_key_for",
    "thread_lock",
    "threads_rehome_for_page_deletion",
    "topic_proposal_approve",
    "topic_proposal_reject",
    "topic_propose",
    "user_suspend",
]
