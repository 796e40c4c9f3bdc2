from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        # The receivers' module imports the models, which exist only once the apps are loaded.
        from consultations import personal_data, signal_handlers  # noqa: F401 (data rights)

        signal_handlers.connect()
