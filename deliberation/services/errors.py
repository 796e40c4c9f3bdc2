"""Refusals of the deliberation services: a message for the person who asked, an HTTP status
for the view or endpoint that shows it, and the promise that nothing was changed."""


class DeliberationError(Exception):
    """A refusal with a message for the person who asked. Nothing was changed."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DeliberationError):
    pass


class Blocked(DeliberationError):
    code = "blocked"


class Refused(DeliberationError):
    code = "forbidden"
    status = 403


class NotFound(DeliberationError):
    """The person may not read the thread (or it does not exist): nothing about it is said."""

    code = "not_found"
    status = 404


class RateLimited(DeliberationError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
