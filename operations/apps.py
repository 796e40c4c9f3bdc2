from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """The operator's commands that span every app (backup and restore). Highest in the
    import order: it may use any app, and no app imports it (docs/architecture.md)."""

    name = "operations"
    label = "operations"
    verbose_name = _("Operations")
