"""Refusals of the request services: the shared vocabulary (``accounts.refusals``) under the
requests' names, and the filing and following limits."""


from django.utils.translation import ngettext

from accounts.ratelimits import rate_limit_hit
from accounts.refusals import Invalid, NotFound, RateLimited, Refusal, Refused

RequestError = Refusal


def rate_limit(action: str, identities) -> None:
    exceeded = rate_limit_hit(action=action, identities=identities)
    if exceeded:
        minutes = max(1, exceeded.retry_after // 60)
        raise RateLimited(
            ngettext(
                "Too many attempts. Try again in %(minutes)d minute.",
                "Too many attempts. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            retry_after=exceeded.retry_after,
        )


__all__ = ["Invalid", "NotFound", "RateLimited", "Refused", "RequestError", "rate_limit"]
