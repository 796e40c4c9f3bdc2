from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo site and its ``seed_demo`` command. Highest in the import order but for
    ``config``: it may use any app, and no app imports it (docs/architecture.md)."""

    name = "demo"
    label = "demo"
    verbose_name = _("Demo")
