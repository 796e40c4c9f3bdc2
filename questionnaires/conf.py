"""Questionnaires' settings, each overridable in Django settings under the same name."""

from django.conf import settings

DEFAULTS = {
    # Sending or saving a response (limits' notation): per account, and per client address
    # (the only identity an anonymous answerer has).
    "QUESTIONNAIRES_ANSWER_RATE_PER_ACCOUNT": ["10/minute", "60/hour"],
    "QUESTIONNAIRES_ANSWER_RATE_PER_IP": ["10/minute", "100/hour", "300/day"],
    # Anonymous duplicate guard: a new browser token is refused for a questionnaire that
    # already got an anonymous response from the same address and browser within this window.
    "QUESTIONNAIRES_ANONYMOUS_WINDOW_HOURS": 24,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
