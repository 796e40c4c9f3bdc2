"""Whether a long-lived connection (a websocket) may still act for its account.

A request is checked by Django's auth middleware when it arrives; a socket lives for hours.
``session_user`` asks the same question again at any moment: the account read afresh, and its
session still logged in to it with the same password.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from accounts.models import User


def session_user(*, user, session_key: str | None):
    """The account as it is now; ``user`` itself when it is anonymous; None when the account
    may no longer act through this session: disabled, deleted, logged out, or its password
    changed since (the session's auth hash no longer matches, as ``django.contrib.auth.get_user``
    would find on the next request)."""
    if not user or not user.is_authenticated:
        return user
    fresh = User.objects.filter(pk=user.pk).first()
    if fresh is None or not fresh.is_active or not session_key:
        return None
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key).load()
    if str(session.get(SESSION_KEY)) != str(fresh.pk):
        return None
    if not constant_time_compare(session.get(HASH_SESSION_KEY, ""), fresh.get_session_auth_hash()):
        return None
    return fresh
