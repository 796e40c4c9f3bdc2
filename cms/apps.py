from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Site pages")

    def ready(self):
        # It imports wagtail.models, which exist only once the apps are loaded.
        from cms import signal_handlers

        signal_handlers.connect()
