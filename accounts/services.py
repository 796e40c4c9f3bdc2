from django.db import IntegrityError, transaction

from accounts.models import User, normalise_email


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
