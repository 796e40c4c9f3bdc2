from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    """Institutions' signing certificates, documents signed with them (PAdES PDF and JWS), and
    their verification by anyone (docs/signatures.md)."""

    name = "signatures"
    label = "signatures"
    verbose_name = _("Signatures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from signatures.checks import production_certificates_check

        checks.register(production_certificates_check, "signatures")
