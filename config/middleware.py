"""Project-wide middleware that belongs to no single app."""

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
