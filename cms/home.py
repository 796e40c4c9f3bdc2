"""The home page's activity: what the apps above cms add to the front door, cached.

cms sits low among the apps (docs/architecture.md, "Apps and layers"), so it cannot list
consultations, decisions, ideas or requests itself. The apps that own them register the
Wagtail hook ``home_page_context``: ``hook(request, home_page) -> dict`` of what their part of
the home page shows. What a hook returns must be the same for every reader (only what anyone
may read: live pages under no view restriction, published contributions): the rendered part
is cached and served to everyone.

The cache: one rendered fragment per home page (hence per language), kept at most
``MAJLIS_HOME_CACHE_SECONDS`` (default 60) and dropped at once when any page is published,
unpublished, moved or deleted (a version number in the key, bumped by the receivers in
``signal_handlers.py``). Counts of contributions and ideas may so lag up to that long.

``home_page_live_context`` is the other hook: what changes too fast to cache (the number of
people reading now). It runs on every request and must not query the database.
"""

from django.core.cache import cache
from django.conf import settings
from django.utils.functional import SimpleLazyObject
from wagtail import hooks

HOOK = "home_page_context"
LIVE_HOOK = "home_page_live_context"
CACHE_PREFIX = "cms:home"
VERSION_KEY = f"{CACHE_PREFIX}:version"
DEFAULT_SECONDS = 60


def home_cache_seconds() -> int:
    return getattr(settings, "MAJLIS_HOME_CACHE_SECONDS", DEFAULT_SECONDS)


def home_cache_version() -> int:
    return cache.get(VERSION_KEY, 0)


def home_cache_invalidate() -> None:
    """Something the home page shows changed: its next reader renders it again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, 1, timeout=None)


def home_activity(request, home_page) -> SimpleLazyObject:
    """What the apps' ``home_page_context`` hooks give, merged; computed only when the cached
    fragment is missing (the template reads it inside ``{% cache %}``)."""

    def collect() -> dict:
        activity: dict = {}
        for hook in hooks.get_hooks(HOOK):
            activity.update(hook(request, home_page))
        return activity

    return SimpleLazyObject(collect)


def home_live(request, home_page) -> dict:
    """What the ``home_page_live_context`` hooks give (uncached; no queries)."""
    live: dict = {}
    for hook in hooks.get_hooks(LIVE_HOOK):
        live.update(hook(request, home_page))
    return live
