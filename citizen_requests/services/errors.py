"""Refusals of the request services: each carries a message for the person who asked, and nothing was changed."""


from django.utils.translation import gettext as _

from accounts.ratelimits import rate_limit_hit


class RequestError(Exception):
    """A refusal with a message for the person who asked. Nothing was changed."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(RequestError):
    pass


class Refused(RequestError):
    code = "forbidden"
    status = 403


class NotFound(RequestError):
    code = "not_found"
    status = 404


class RateLimited(RequestError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def rate_limit(action: str, identities) -> None:
    exceeded = rate_limit_hit(action=action, identities=identities)
    if exceeded:
        raise RateLimited(
            _("Too many attempts. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, exceeded.retry_after // 60)},
            retry_after=exceeded.retry_after,
        )
