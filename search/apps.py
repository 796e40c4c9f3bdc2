from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        # Imported once the apps are loaded: the receivers' module imports models.
        from search import personal_data, signal_handlers  # noqa: F401 (data rights)

        signal_handlers.connect()
