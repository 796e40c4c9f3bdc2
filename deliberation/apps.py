from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self):
        # Both import the models, which exist only once the apps are loaded.
        from deliberation import (
            checks,  # noqa: F401  (registers the system checks)
            personal_data,  # noqa: F401  (registers its data-rights exporter and eraser)
            signal_handlers,
        )

        signal_handlers.connect()
