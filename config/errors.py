"""Answers when something fails: 503 while the database is away, 500 for anything else.

Both are rendered without the database (no session, no account, no menu from the CMS), in
the language of the URL's prefix: ``/api/`` gets JSON, every other path a page in the site's
layout (``templates/errors/layout.html``). A request that failed this way changed nothing (its
transaction was rolled back), so it can be sent again as it was: a post with the same
idempotency key is saved once.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The errors that mean "the database is away" (down, restarting, unreachable, or every pooled
# connection busy), as opposed to a bug: the request may be sent again as it was.
DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_away(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_AWAY)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _language(request: HttpRequest) -> str:
    return (
        translation.get_language_from_path(request.path_info)
        or translation.get_language()
        or settings.LANGUAGE_CODE
    )


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        path = request.get_full_path()
        prefixed = path.startswith(f"/{language}/")
        languages = [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code) if prefixed else f"/{code}/",
                "current": code == language,
                "bidi": get_language_info(code)["bidi"],
            }
            for code, name in settings.LANGUAGES
        ]
        # No request context: its processors would read the session and the account.
        body = loader.get_template(template).render(
            {"languages": languages, "request_path": path, "LANGUAGE_CODE": language}
        )
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    return response


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON ``{"code": "unavailable", "message"}`` on the API, a page
    elsewhere."""
    if _is_api(request):
        # In the request's language (Accept-Language, as every API message).
        message = _("The service is briefly unavailable: nothing was saved. Try again in a moment.")
        response = JsonResponse({"code": "unavailable", "message": message}, status=503)
    else:
        response = _page(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 when the database is away, else the 500 page (or JSON on the API)."""
    if is_database_away(sys.exc_info()[1]):
        return unavailable_response(request)
    if _is_api(request):
        message = _("Something went wrong on our side. Try again in a moment.")
        return JsonResponse({"code": "server_error", "message": message}, status=500)
    return _page(request, "500.html", 500)
