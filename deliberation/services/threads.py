"""Threads: made on first use, one per consultation, draft section or forum topic."""

import re
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from deliberation.models import Thread, ThreadKind
from deliberation.services.errors import Invalid


def thread_key_for(*, translation_key: uuid.UUID, kind: str, section_id: str = "") -> str:
    """ASCII, at most 100 characters (it names a channel-layer group in the real-time issue)."""
    prefix = {ThreadKind.CONSULTATION: "c", ThreadKind.SECTION: "s", ThreadKind.FORUM: "f"}[kind]
    key = f"{prefix}-{translation_key.hex}"
    return f"{key}-{section_id}" if section_id else key


def thread_for_page(*, page, section_id: str = "") -> Thread:
    """The thread of a consultation (whole or one section) or forum topic, made on first use.

    Translations of a page share one thread. Raises Invalid for a section the draft lacks.
    """
    from deliberation.models import ForumTopicPage

    page = page.specific
    if isinstance(page, ForumTopicPage):
        kind = ThreadKind.FORUM
        section_id = ""
    elif section_id:
        if section_id not in {section.id for section in page.sections}:
            raise Invalid(_("This section does not exist in the draft."), field="section")
        kind = ThreadKind.SECTION
    else:
        kind = ThreadKind.CONSULTATION
    existing = Thread.objects.filter(
        translation_key=page.translation_key, section_id=section_id
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Thread.objects.create(
                key=thread_key_for(
                    translation_key=page.translation_key, kind=kind, section_id=section_id
                ),
                kind=kind,
                translation_key=page.translation_key,
                section_id=section_id,
                page=page,
                institution=page.get_parent().specific,
            )
    except IntegrityError:  # made meanwhile by a concurrent request
        return Thread.objects.get(translation_key=page.translation_key, section_id=section_id)


THREAD_KEY = re.compile(r"^(?P<prefix>[csf])-(?P<hex>[0-9a-f]{32})(?:-(?P<section>[0-9a-f-]{1,64}))?$")


def thread_for_key(*, key: str) -> Thread | None:
    """The thread a key names, made on first use when the key names a live page (and, for a
    section thread, one of its draft's sections). None when it names nothing."""
    existing = Thread.objects.filter(key=key).first()
    if existing is not None:
        return existing
    match = THREAD_KEY.match(key or "")
    if match is None or (match["prefix"] == "s") != bool(match["section"]):
        return None
    from deliberation.models import ForumTopicPage
    from consultations.models import ConsultationPage

    model = ForumTopicPage if match["prefix"] == "f" else ConsultationPage
    page = (
        model.objects.live()
        .filter(translation_key=uuid.UUID(match["hex"]))
        .order_by("pk")
        .first()
    )
    if page is None:
        return None
    try:
        return thread_for_page(page=page, section_id=match["section"] or "")
    except Invalid:
        return None
