from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import AdminLoginView
from config.api import api

# Rendered without the database; 503 when the database is away (config/errors.py).
handler500 = "config.errors.server_error"

urlpatterns = [
    # Before Wagtail's own: the admin log-in is throttled like the citizens' (docs/security.md).
    path(f"{settings.WAGTAILADMIN_URL_PREFIX}/login/", AdminLoginView.as_view(), name="admin_login"),
    path(f"{settings.WAGTAILADMIN_URL_PREFIX}/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    # Open311 GeoReport v2: a standard's paths, the same in every language (docs/open311.md).
    path("open311/v2/", include("citizen_requests.open311")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("consultations/", include("consultations.urls")),
    path("deliberation/", include("deliberation.urls")),
    path("requests/", include("citizen_requests.urls")),
    path("ideas/", include("citizen_ideas.urls")),
    path("search/", include("search.urls")),
    path("verify/", include("signatures.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Wagtail's catch-all serves the CMS pages; it must stay last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
