from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    label = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self):
        # Imported once the apps are loaded: it imports the models.
        from questionnaires import personal_data  # noqa: F401  (registers its data-rights exporter, eraser)
