from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenRequestsConfig(AppConfig):
    """Citizens' requests to institutions (complaints, guidance, suggestions, notices and
    corruption reports), each followed by its tracking number to its answer
    (docs/requests.md)."""

    name = "citizen_requests"
    verbose_name = _("Citizen requests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported once the apps are loaded: it imports the models.
        from citizen_requests import personal_data  # noqa: F401  (registers its data-rights exporter, eraser)
