"""Where an idea is read: the address of its public page, for the e-mails, the outcome and
decision pages and the APIs that link to it."""

from django.utils import translation


def idea_url(idea, language: str | None = None) -> str:
    """The path of ``idea``'s public page, in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        get = getattr(idea, "get_absolute_url", None)
        return get() if get is not None else ""
