"""Threads: made on first use, one per consultation, draft section or forum topic, and kept
when a page they belong to is deleted."""

import re
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.models import InstitutionPage
from deliberation.models import DiscussionPage, ModerationAction, Thread, ThreadKind
from deliberation.services.errors import Invalid


def thread_key_for(*, translation_key: uuid.UUID, kind: str, section_id: str = "") -> str:
    """ASCII, at most 100 characters (it names a channel-layer group in the real-time issue)."""
    prefix = {
        ThreadKind.CONSULTATION: "c",
        ThreadKind.SECTION: "s",
        ThreadKind.FORUM: "f",
        ThreadKind.IDEA: "i",
    }[kind]
    key = f"{prefix}-{translation_key.hex}"
    return f"{key}-{section_id}" if section_id else key


def thread_for_page(*, page, section_id: str = "") -> Thread:
    """The thread of a discussion page (whole, or one of its sections), made on first use.

    Translations of a page share one thread. Raises Invalid for a section the draft lacks.
    """
    page = page.specific
    sections = page.discussion_sections()
    if sections is None:
        section_id = ""
    if section_id:
        if section_id not in sections:
            raise Invalid(_("This section does not exist in the draft."), field="section")
        kind = ThreadKind.SECTION
    else:
        kind = page.thread_kind
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


def thread_for_idea(*, page, institution, idea_key: str) -> Thread:
    """A new thread for one citizen's idea (citizen_ideas): keyed on ``page``'s translation key
    (the consultation or forum topic the idea answers, else its institution), whose phase and
    participation rule govern it, and ``idea-<idea_key>`` as its section. Made inside the
    caller's transaction."""
    section_id = f"idea-{idea_key}"
    return Thread.objects.create(
        key=thread_key_for(
            translation_key=page.translation_key, kind=ThreadKind.IDEA, section_id=section_id
        ),
        kind=ThreadKind.IDEA,
        translation_key=page.translation_key,
        section_id=section_id,
        page=page,
        institution=institution,
    )


THREAD_KEY = re.compile(r"^(?P<prefix>[csf])-(?P<hex>[0-9a-f]{32})(?:-(?P<section>[0-9A-Za-z-]{1,64}))?$")


def thread_for_key(*, key: str) -> Thread | None:
    """The thread a key names, made on first use when the key names a live page (and, for a
    section thread, one of its draft's sections). None when it names nothing."""
    existing = Thread.objects.select_related("page").filter(key=key).first()
    if existing is not None:
        return existing
    match = THREAD_KEY.match(key or "")
    if match is None or (match["prefix"] == "s") != bool(match["section"]):
        return None
    page = (
        Page.objects.live()
        .filter(translation_key=uuid.UUID(match["hex"]))
        .order_by("pk")
        .first()
    )
    page = page and page.specific
    if not isinstance(page, DiscussionPage):
        return None
    # A section key names one of the page's parts, whatever the page's own kind
    # (thread_for_page checks the part exists); a page key, the page's own thread.
    kind = ThreadKind.FORUM if match["prefix"] == "f" else ThreadKind.CONSULTATION
    if not match["section"] and page.thread_kind != kind:
        return None
    try:
        return thread_for_page(page=page, section_id=match["section"] or "")
    except Invalid:
        return None


def threads_rehome_for_page_deletion(*, page, dry_run: bool = False) -> list[Thread]:
    """Before ``page`` and its descendants are deleted: keep every discussion attached to them.

    Each thread whose page (or institution) is in that subtree moves to a live translation of
    its page outside it, and to that translation's institution. Returns the threads that have
    no such translation and hold contributions or moderation log entries (each annotated with
    ``contribution_count``): then the page must not be deleted, and nothing is changed.
    Threads with nowhere to go and nothing in them (opened, never written in) are deleted.
    ``dry_run``: change nothing, only return what would refuse the deletion.
    """
    subtree = page.path
    threads = list(
        Thread.objects.filter(
            Q(page__path__startswith=subtree) | Q(institution__path__startswith=subtree)
        )
        .select_related("page")
        .annotate(
            contribution_count=Count("contributions", distinct=True),
            logged=Exists(ModerationAction.objects.filter(thread=OuterRef("pk"))),
        )
        .order_by("pk")
    )
    if not threads:
        return []
    survivors: dict = {}
    for candidate in (
        Page.objects.filter(translation_key__in={t.translation_key for t in threads}, live=True)
        .exclude(path__startswith=subtree)
        .order_by("pk")
    ):
        survivors.setdefault(candidate.translation_key, []).append(candidate)

    moves, empty, stranded = [], [], []
    for thread in threads:
        candidates = survivors.get(thread.translation_key, [])
        if not thread.page.path.startswith(subtree):
            # Only its institution goes (the page was moved out of it): keep the page.
            candidates = [thread.page, *candidates]
        home = None
        for candidate in candidates:
            parent = candidate.get_parent().specific
            if isinstance(parent, InstitutionPage):
                home = (candidate, parent)
                break
        if home is not None:
            moves.append((thread, *home))
        elif thread.contribution_count or thread.logged:
            stranded.append(thread)
        else:
            empty.append(thread.pk)
    if stranded or dry_run:
        return stranded
    with transaction.atomic():
        for thread, new_page, institution in moves:
            thread.page, thread.institution = new_page, institution
            thread.__dict__.pop("target", None)
            thread.save(update_fields=["page", "institution"])
        Thread.objects.filter(pk__in=empty).delete()
    return []
