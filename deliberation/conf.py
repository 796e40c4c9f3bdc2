"""Deliberation's settings, each overridable in Django settings under the same name
(django-comments-xtd's ``conf/defaults.py`` habit)."""

from django.conf import settings

DEFAULTS = {
    # Replies nest at most this deep: a contribution (1), a reply (2), a reply to a reply (3).
    "DELIBERATION_MAX_DEPTH": 3,
    "DELIBERATION_MAX_LENGTH": 5000,
    # Authors may correct a contribution for this long after posting; "edited" is shown.
    "DELIBERATION_EDIT_GRACE_MINUTES": 15,
    # A new account's first N contributions wait for a moderator, whatever the thread's mode.
    "DELIBERATION_NEW_ACCOUNT_PREMODERATED": 2,
    # A published contribution reported by this many people is hidden pending review.
    "DELIBERATION_FLAG_THRESHOLD": 3,
    # Only reports from accounts with a confirmed address at least this many days old (or
    # staff) count toward that threshold; the others still reach the moderators at once.
    "DELIBERATION_FLAG_TRUSTED_ACCOUNT_DAYS": 7,
    # Posting limits (limits' notation), per account and per IP address.
    "DELIBERATION_POST_RATE_PER_ACCOUNT": ["5/minute", "40/hour"],
    "DELIBERATION_POST_RATE_PER_IP": ["20/minute", "200/hour"],
    "DELIBERATION_REACT_RATE_PER_ACCOUNT": ["60/minute"],
    # Appeals against a moderator's decision (docs/moderation.md): longest text, and how many
    # an account may send (limits' notation).
    "DELIBERATION_APPEAL_MAX_LENGTH": 2000,
    "DELIBERATION_APPEAL_RATE_PER_ACCOUNT": ["3/hour", "10/day"],
    "DELIBERATION_APPEAL_RATE_PER_IP": ["20/day"],
    # (Where the counters live: ACCOUNTS_RATE_LIMIT_STORAGE, accounts/conf.py.)
    # The moderation queue's "recently hidden" tab reaches back this far.
    "DELIBERATION_RECENTLY_HIDDEN_DAYS": 14,
    # Members of this group moderate every institution's threads (superusers do too).
    "DELIBERATION_GLOBAL_MODERATORS_GROUP": "Deliberation moderators",
    # Who may propose a forum topic (docs/forum.md): "verified" (a confirmed e-mail address,
    # the default: an approved proposal becomes a public page) or "registered" (any account).
    "DELIBERATION_PROPOSAL_PARTICIPATION": "verified",
    # Thread pages in the API: top-level contributions per page.
    "DELIBERATION_API_PAGE_SIZE": 20,
    # --- Real-time (docs/realtime.md) ---
    # Longest frame a client may send, in characters (a 5,000-character contribution fits).
    "DELIBERATION_REALTIME_MAX_FRAME": 16384,
    # Frames one socket may send (limits' notation); beyond, it is closed with 4429.
    "DELIBERATION_REALTIME_RATE": "30/10 seconds",
    # A reconnecting client further behind than this many events reloads the page instead.
    "DELIBERATION_REALTIME_REPLAY_LIMIT": 500,
    # Each process re-reads its threads' last sequence numbers this often (seconds) and sends
    # its sockets what the channel layer failed to bring (a Redis restart, a dropped message).
    "DELIBERATION_REALTIME_RESYNC_SECONDS": 10,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
