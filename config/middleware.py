"""Project-wide middleware that belongs to no single app."""

import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as BaseLocaleMiddleware
from django.utils import translation


class AdminPreviewFrameMiddleware:
    """Let the Wagtail admin frame its own previews, and nothing else.

    The site sends ``X-Frame-Options: DENY`` everywhere (``check --deploy`` asks
    for it), but the page editor shows its live preview in an iframe of an admin
    URL. Listed inside ``XFrameOptionsMiddleware``, this sets SAMEORIGIN on admin
    responses first, which that middleware then leaves alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.WAGTAILADMIN_URL_PREFIX.strip("/") + "/"

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.admin_prefix) and "X-Frame-Options" not in response:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


class LocaleMiddleware(BaseLocaleMiddleware):
    """Django's LocaleMiddleware, minus its 404 → language-prefixed redirect outside the site.

    With Wagtail's catch-all under every language prefix, Django would answer a 404 from the
    API or the admin with a redirect to ``/ar/api/…``; there a 404 must stay a 404.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        admin = "/" + settings.WAGTAILADMIN_URL_PREFIX.strip("/") + "/"
        self.unprefixed = ("/api/", admin, "/documents/", settings.STATIC_URL, settings.MEDIA_URL, "/ws/")

    def process_response(self, request, response):
        if request.path.startswith(self.unprefixed):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


class AdminContentSecurityPolicyMiddleware:
    """The Wagtail admin under the site's Content-Security-Policy (docs/security.md).

    Wagtail 8 still writes a few inline initialisers without a nonce (date and time
    widgets, choosers, inline panels: ``<script>initDateChooser(…)</script>``). On admin
    HTML responses only, each bare ``<script>`` gets this response's nonce, which
    django-csp then puts in the header; the admin also needs its own previews framed
    (``frame-ancestors 'self'``), ``blob:`` images (upload previews), inline style
    attributes and the ``<style>`` elements its bundled libraries add. Listed inside ``csp.middleware.CSPMiddleware``. The public site has no such
    step: its pages carry no inline script at all.
    """

    BARE_SCRIPT = re.compile(rb"<script>")
    ADMIN_DIRECTIVES = {
        "frame-ancestors": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src-attr": ["'unsafe-inline'"],
        # Libraries bundled in Wagtail's vendor.js add <style> elements at run time, with no
        # way to hand them a nonce. Styles only: scripts stay nonce-bound.
        "style-src-elem": ["'self'", "'unsafe-inline'"],
    }

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.WAGTAILADMIN_URL_PREFIX.strip("/") + "/"

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.admin_prefix):
            return response
        response._csp_replace = {
            **self.ADMIN_DIRECTIVES, **(getattr(response, "_csp_replace", None) or {})
        }
        content_type = response.get("Content-Type", "")
        if (
            content_type.startswith("text/html")
            and not getattr(response, "streaming", False)
            and b"<script>" in response.content
        ):
            nonce = f'<script nonce="{request.csp_nonce}">'.encode()
            response.content = self.BARE_SCRIPT.sub(nonce, response.content)
        return response


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) on every response: no page
    of the site may use the camera, microphone, location and the like, nor let a frame."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
