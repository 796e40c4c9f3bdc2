from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizenIdeasConfig(AppConfig):
    """Citizens' ideas to an institution (optionally within an open consultation or a forum
    topic), supported by other citizens and answered with a status (docs/ideas.md).

    An idea's text is the opening contribution of its own deliberation thread: moderation,
    reports, the public moderation log and the live thread are deliberation's."""

    name = "citizen_ideas"
    verbose_name = _("Citizen ideas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citizen_ideas import personal_data, signal_handlers  # noqa: F401 (data rights)

        signal_handlers.connect()
