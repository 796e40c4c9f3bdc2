from accounts.models import Suspension, User


def user_active_suspension(*, user: User, now=None):
    """The suspension that bars ``user`` now (the one ending last), or None."""

    return Suspension.objects.active(now).filter(user=user).order_by("-ends_at").first()
