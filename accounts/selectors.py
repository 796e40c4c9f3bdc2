from django.db.models import F

from accounts.models import Suspension, User


def user_active_suspension(*, user: User, now=None):
    """The suspension that bars ``user`` now (the one ending last; a permanent one first), or
    None."""

    return (
        Suspension.objects.active(now)
        .filter(user=user)
        .order_by(F("ends_at").desc(nulls_first=True), "-pk")
        .first()
    )
