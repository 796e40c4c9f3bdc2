"""Where an idea is read: the address of its public page, for the e-mails, the outcome and
decision pages and the APIs that link to it."""

from django.urls import reverse
from django.utils import translation


def idea_url(idea, language: str | None = None) -> str:
    """The path of ``idea``'s public page (/<lang>/ideas/<pk>/), in ``language`` (default:
    the active one)."""
    with translation.override(language or translation.get_language()):
        return reverse("citizen_ideas:detail", args=[idea.pk])
