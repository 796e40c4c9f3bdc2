"""Project-wide middleware that belongs to no single app."""

import json
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
        self.unprefixed = ("/api/", "/open311/", admin, "/documents/", settings.STATIC_URL, settings.MEDIA_URL, "/ws/")

    def process_response(self, request, response):
        if request.path.startswith(self.unprefixed):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)


# A JavaScript string literal: nothing in it can run.
_JS_STRING = r'"(?:[^"\\\n]|\\.)*"'
# The inline initialisers Wagtail 8 writes into admin pages, each as a whole script body; the
# groups named ``json`` must parse as JSON (so they hold data, never code).
_ADMIN_INITIALISERS = [
    # Date, time and date-time widgets (wagtailadmin/widgets/*.html).
    re.compile(
        rf"(?:initDateChooser|initTimeChooser|initDateTimeChooser)\({_JS_STRING}, (?P<json>\{{.*\}})\);",
        re.S,
    ),
    # Choosers (wagtail.admin.widgets.chooser.BaseChooser.render_js_init).
    re.compile(rf"new [A-Za-z_$][\w$.]*\({_JS_STRING}, (?P<json>\{{.*\}})\);", re.S),
    re.compile(rf"createTaskChooser\({_JS_STRING}\);"),
    # Inline and multiple-chooser panels (wagtailadmin/panels/*.html).
    re.compile(
        r"\(function\(\) \{\s*var panel = new (?:InlinePanel|MultipleChooserPanel)"
        rf"\(JSON\.parse\({_JS_STRING}\)\);\s*\}}\)\(\);"
    ),
]


def is_admin_initialiser(body: str) -> bool:
    """Whether an inline script body is one of Wagtail's own initialisers, and nothing else."""
    body = body.strip()
    for pattern in _ADMIN_INITIALISERS:
        match = pattern.fullmatch(body)
        if match is None:
            continue
        try:
            for name, value in match.groupdict().items():
                json.loads(value)
        except ValueError:
            return False
        return True
    return False


class AdminContentSecurityPolicyMiddleware:
    """The Wagtail admin under the site's Content-Security-Policy (docs/security.md).

    Wagtail 8 still writes a few inline initialisers without a nonce (date and time widgets,
    choosers, inline panels: ``<script>initDateChooser(…)</script>``). On admin HTML responses
    only, each bare ``<script>`` whose whole body is one of those initialisers
    (``is_admin_initialiser``: a known call whose arguments are string literals and JSON) gets
    this response's nonce, which django-csp then puts in the header; any other inline script
    (one injected into the page) stays bare and the browser refuses it. The admin also needs
    its own previews framed (``frame-ancestors 'self'``), ``blob:`` images (upload previews),
    inline style attributes and the ``<style>`` elements its bundled libraries add. Listed
    inside ``csp.middleware.CSPMiddleware``. The public site has no such step: its pages carry
    no inline script at all.
    """

    BARE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
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
            opening = f'<script nonce="{request.csp_nonce}">'.encode()

            def stamp(match: re.Match) -> bytes:
                body = match.group(1)
                if is_admin_initialiser(body.decode("utf-8", "replace")):
                    return opening + body + b"</script>"
                return match.group(0)

            response.content = self.BARE_SCRIPT.sub(stamp, response.content)
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
