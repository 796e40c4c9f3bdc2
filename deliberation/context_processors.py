"""What every page needs to know from deliberation: whether the reader is suspended, and why."""

from django.utils.functional import SimpleLazyObject

from deliberation.rules import active_suspension, suspension_message


def suspension(request):
    """``suspension_notice``: the reason and end of the reader's suspension, or "".

    Lazy: pages that never show it (none today render without the header) cost nothing extra
    for anonymous readers; one query for a signed-in one.
    """
    user = getattr(request, "user", None)

    def notice() -> str:
        if user is None or not user.is_authenticated:
            return ""

        active = active_suspension(user)
        return suspension_message(active) if active else ""

    return {"suspension_notice": SimpleLazyObject(notice)}
