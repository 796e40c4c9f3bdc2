"""Display names in templates: ``{{ user.display_name|bdi }}`` in HTML, ``|isolated`` in
plain-text e-mails (accounts/names.py says why)."""

from django import template

from accounts.names import author_name, name_html, name_text

register = template.Library()


@register.filter
def bdi(name):
    return name_html(str(name or ""))


@register.filter
def isolated(name):
    return name_text(str(name or ""))


@register.filter
def author_bdi(user):
    """An author who may have deleted their account: ``{{ idea.author|author_bdi }}``."""
    return name_html(author_name(user))
