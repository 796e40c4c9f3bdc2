"""Creating and publishing pages as an editor does in the Wagtail admin."""

from wagtail.models import Page


def topics_publish(page: Page, topics: list[str]) -> None:
    """Tag ``page`` with ``topics`` and publish that as a new revision."""
    page.topics.set(topics)
    page.save_revision().publish()


def child_publish(*, parent: Page, page: Page, topics: list[str] | None = None) -> Page:
    """Add ``page`` beneath ``parent``, tagged with ``topics`` if given, and publish it."""
    parent.add_child(instance=page)
    if topics is not None:
        topics_publish(page, topics)
    else:
        page.save_revision().publish()
    return page
