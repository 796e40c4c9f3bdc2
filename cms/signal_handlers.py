"""Receivers only call services (CONVENTIONS.md §6). Connected by ``CmsConfig.ready``."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.home import home_cache_invalidate


def home_page_changed(sender, **kwargs):
    """A page was published, unpublished or moved: the home page may list it."""
    home_cache_invalidate()


def home_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        home_cache_invalidate()


def connect():
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(home_page_changed, dispatch_uid=f"cms_home_{name}")
    post_delete.connect(home_page_deleted, dispatch_uid="cms_home_deleted")
