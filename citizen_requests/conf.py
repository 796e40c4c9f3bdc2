"""Citizen requests' settings, each overridable in Django settings under the same name.
Rates are in ``limits``' notation (accounts/conf.py); the numbers and why: docs/requests.md."""

from django.conf import settings

DEFAULTS = {
    # Days an institution has to answer, per kind, unless its request desk sets its own.
    "CITIZEN_REQUESTS_DEADLINE_DAYS": {
        "complaint": 30,
        "guidance": 15,
        "suggestion": 30,
        "notice": 15,
        "corruption": 30,
    },
    # After an answer, the citizen may reopen the request once within this many days.
    "CITIZEN_REQUESTS_REOPEN_DAYS": 15,
    # Filing, per account and per client address.
    "CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT": ["5/hour", "20/day"],
    "CITIZEN_REQUESTS_FILE_RATE_PER_IP": ["10/hour", "40/day"],
    # An Open311 client files for many citizens from one back office: its own limit, per
    # client, instead of a citizen's (its server's address is not counted).
    "CITIZEN_REQUESTS_OPEN311_RATE_PER_CLIENT": ["600/hour", "5000/day"],
    # Look-ups by tracking number and secret code, per client address and per number (a
    # wrong code counts; guessing one number's code is as slow as guessing many).
    "CITIZEN_REQUESTS_LOOKUP_RATE_PER_IP": ["20/15 minutes", "100/day"],
    "CITIZEN_REQUESTS_LOOKUP_RATE_PER_NUMBER": ["10/hour"],
    # Attachments: how many per request, and the largest one, in bytes.
    "CITIZEN_REQUESTS_MAX_ATTACHMENTS": 5,
    "CITIZEN_REQUESTS_MAX_ATTACHMENT_BYTES": 5 * 1024 * 1024,
    # Where attachments are kept: outside MEDIA_ROOT, never served by the web server
    # ("": <BASE_DIR>/private/requests).
    "CITIZEN_REQUESTS_ATTACHMENTS_ROOT": "",
    # The public statistics are counted again at most this often when nothing changes (a
    # change to any request has them counted again at once: citizen_requests/statistics.py).
    "CITIZEN_REQUESTS_STATISTICS_CACHE_SECONDS": 300,
    # Figures younger than this are served even after a request changed (at most one recount a minute).
    "CITIZEN_REQUESTS_STATISTICS_MIN_AGE_SECONDS": 60,
    "CITIZEN_REQUESTS_SUBJECT_MAX_LENGTH": 200,
    "CITIZEN_REQUESTS_TEXT_MAX_LENGTH": 10_000,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
