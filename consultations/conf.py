"""Consultations' settings, each overridable in Django settings under the same name."""

from django.conf import settings

DEFAULTS = {
    # An open consultation closing within this many days is "closing soon".
    "CONSULTATIONS_CLOSING_SOON_DAYS": 7,
    "CONSULTATIONS_PER_PAGE": 12,
    # Followers are reminded once when a consultation closes within this many days.
    "CONSULTATIONS_CLOSING_REMINDER_DAYS": 3,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
