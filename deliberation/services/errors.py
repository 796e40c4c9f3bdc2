"""Refusals of the deliberation services: the shared vocabulary (``accounts.refusals``) under
deliberation's names, and ``Blocked`` (an account suspended from a discussion)."""

from accounts.refusals import Invalid, NotFound, RateLimited, Refusal, Refused

DeliberationError = Refusal


class Blocked(Refusal):
    code = "blocked"


__all__ = ["Blocked", "DeliberationError", "Invalid", "NotFound", "RateLimited", "Refused"]
