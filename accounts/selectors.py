from accounts.models import User, normalise_email


def user_email_taken(*, email: str) -> bool:
    return User.objects.filter(email=normalise_email(email)).exists()


def user_active_suspension(*, user: User, now=None):
    """The suspension that bars ``user`` now (the one ending last), or None."""
    from accounts.models import Suspension

    return Suspension.objects.active(now).filter(user=user).order_by("-ends_at").first()
