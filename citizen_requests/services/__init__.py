"""Business rules of citizen requests: filing, following, and moving a request through its
stages. Every way in (the forms, the JSON API, Open311, the admin) calls these functions;
they check who may act, validate, rate-limit and record, and change nothing when they refuse.
Errors carry a message translated for the person who caused them.

Split by who acts (``filing``; the citizen's ``following``; ``staff``; ``publication``), with
the refusals in ``errors`` and what they share in ``common``; import from here.
"""

from citizen_requests.services.errors import Invalid, NotFound, RateLimited, Refused, RequestError
from citizen_requests.services.filing import Filed, desk_for_institution, desk_triage, request_file
from citizen_requests.services.following import (
    citizen_may_act,
    request_citizen_reply,
    request_feedback,
    request_lookup,
    request_notify_set,
    request_reopen,
)
from citizen_requests.services.publication import (
    request_publication_moderate,
    request_publicity_ask,
    request_support,
)
from citizen_requests.services.staff import (
    answer_draft,
    answer_send,
    request_ask,
    request_assign,
    request_move,
    request_note,
    request_redirect,
    requests_overdue,
    staff_view_record,
)

__all__ = [
    "Filed",
    "Invalid",
    "NotFound",
    "RateLimited",
    "Refused",
    "RequestError",
    "answer_draft",
    "answer_send",
    "citizen_may_act",
    "desk_for_institution",
    "desk_triage",
    "request_ask",
    "request_assign",
    "request_citizen_reply",
    "request_feedback",
    "request_file",
    "request_lookup",
    "request_move",
    "request_note",
    "request_notify_set",
    "request_publication_moderate",
    "request_publicity_ask",
    "request_redirect",
    "request_reopen",
    "request_support",
    "requests_overdue",
    "staff_view_record",
]
