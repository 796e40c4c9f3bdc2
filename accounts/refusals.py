"""The refusals every app's services raise: a message for the person who asked (already in
their language), the field it is about, an HTTP status for the view or endpoint that shows it,
and the promise that nothing was changed.

One vocabulary for every app (deliberation, citizen requests, signing...): a view catches
``Refusal`` and shows its message; an API answers ``status`` with ``code`` and the message.
Each app re-exports these under its own services package and may add its own kinds
(deliberation's ``Blocked``).
"""


class Refusal(Exception):
    """A refusal with a message for the person who asked. Nothing was changed."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(Refusal):
    """What was sent cannot be accepted as it is (the message says how to fix it)."""


class Refused(Refusal):
    """The person may not do this."""

    code = "forbidden"
    status = 403


class NotFound(Refusal):
    """It does not exist, or the person may not know of it: nothing about it is said."""

    code = "not_found"
    status = 404


class RateLimited(Refusal):
    """Too many attempts: try again after ``retry_after`` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
