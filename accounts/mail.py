"""Emails to a person in their own language: which language that is, absolute links, and one
templated email rendered and sent in it. The apps that notify citizens (deliberation,
consultations) write their emails through these."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User


def user_language(user: User) -> str:
    """The language ``user`` reads their emails in."""
    return user.preferred_language or settings.LANGUAGE_CODE


def absolute_url(url: str) -> str:
    """``url`` with the site's address in front, unless it has one."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def user_mail_send(
    *, user: User, folder: str, template: str, context: dict, connection=None
) -> None:
    """Render ``<folder>/<template>[_subject].txt`` in the user's language and mail it, with a
    link to their notification settings (``settings_link``).

    Lazy strings in ``context`` (reason labels) are translated here too.
    """
    with translation.override(user_language(user)):
        context = {
            "user": user,
            "settings_link": absolute_url(reverse("accounts:notification_settings")),
            **context,
        }
        subject = " ".join(
            render_to_string(f"{folder}/{template}_subject.txt", context).split()
        )
        message = render_to_string(f"{folder}/{template}.txt", context)
    send_mail(
        subject=subject,
        message=message,
        from_email=None,
        recipient_list=[user.email],
        connection=connection,
    )
