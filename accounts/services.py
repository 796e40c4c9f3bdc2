from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User, normalise_email
from accounts.tokens import email_verification_token


class EmailTaken(Exception):
    """Another account already uses this email address."""


def user_sign_up(
    *,
    email: str,
    display_name: str,
    password: str,
    preferred_language: str,
    governorate: str = "",
) -> User:
    """Create a citizen's account. Raises EmailTaken if the address is in use, even in a race."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=normalise_email(email),
                password=password,
                display_name=display_name.strip(),
                preferred_language=preferred_language,
                governorate=governorate,
            )
    except IntegrityError as exc:
        if User.objects.filter(email=normalise_email(email)).exists():
            raise EmailTaken(email) from exc
        raise


def user_email_verification_send(*, user: User, base_url: str) -> None:
    """Mail ``user`` a link that confirms their address; ``base_url`` is e.g. https://host."""
    path = reverse(
        "accounts:verify_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    context = {"user": user, "link": base_url.rstrip("/") + path}
    send_mail(
        subject=render_to_string("accounts/email/verify_email_subject.txt", context).strip(),
        message=render_to_string("accounts/email/verify_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def user_email_verify(*, user: User) -> User:
    """Record that ``user`` has shown they receive mail at their address."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


def user_notifications_update(
    *,
    user: User,
    notify_replies: bool,
    notify_moderation: bool,
    notify_closing_soon: bool,
    notify_outcomes: bool,
) -> User:
    """Record which emails ``user`` wants: replies, moderation decisions, closing reminders,
    outcomes and decisions."""
    user.notify_replies = notify_replies
    user.notify_moderation = notify_moderation
    user.notify_closing_soon = notify_closing_soon
    user.notify_outcomes = notify_outcomes
    user.save(
        update_fields=["notify_replies", "notify_moderation", "notify_closing_soon", "notify_outcomes"]
    )
    return user
