"""The anonymous answerer's identity and the duplicate guard (docs/questionnaires.md).

A browser answering anonymously gets a random token in a signed cookie; its response is
stored under ``sha256(questionnaire key + token)``, so the same browser finds and edits its
own response until closing and nobody can claim another's. Clearing the cookie would allow a
second response: a short-lived mark ``sha256(questionnaire key + client address + user agent)``
in the cache (never in the database) refuses a *new* token from the same address and browser
for ``QUESTIONNAIRES_ANONYMOUS_WINDOW_HOURS``. The rate limits (``accounts.ratelimits``, per
address) bound what a determined person can do beyond that.
"""

import hashlib
import secrets

from django.core.cache import cache

from accounts.ratelimits import address_key, client_ip
from questionnaires import conf

COOKIE = "majlis_answerer"
SALT = "questionnaires.answerer"
MAX_AGE = 60 * 60 * 24 * 365


def browser_token(request) -> str | None:
    """The browser's anonymous token from its signed cookie, or None."""
    return request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def set_token(response, token: str) -> None:
    response.set_signed_cookie(
        COOKIE, token, salt=SALT, max_age=MAX_AGE, httponly=True, samesite="Lax",
        secure=False,
    )


def token_hash(*, questionnaire_key, token: str) -> str:
    return hashlib.sha256(f"{questionnaire_key}:{token}".encode()).hexdigest()


def _device_mark(*, questionnaire_key, ip_address: str, user_agent: str) -> str:
    digest = hashlib.sha256(
        f"{questionnaire_key}:{address_key(ip_address)}:{user_agent}".encode()
    ).hexdigest()
    return f"questionnaires:device:{digest}"


def device_seen(*, questionnaire_key, ip_address: str, user_agent: str) -> bool:
    return bool(cache.get(_device_mark(
        questionnaire_key=questionnaire_key, ip_address=ip_address, user_agent=user_agent
    )))


def device_mark(*, questionnaire_key, ip_address: str, user_agent: str) -> None:
    cache.set(
        _device_mark(
            questionnaire_key=questionnaire_key, ip_address=ip_address, user_agent=user_agent
        ),
        1,
        timeout=conf.get("QUESTIONNAIRES_ANONYMOUS_WINDOW_HOURS") * 3600,
    )


def request_device(request) -> dict:
    return {
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }
