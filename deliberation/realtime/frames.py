"""The one serializer of live frames (CONVENTIONS.md §10): thread events and moderation notices
as the JSON text each kind of reader receives.

A thread's readers differ by language and by being signed in or not, so each event is
rendered once per *variant* (``"ar:anon"``, ``"fr:member"``…) and every socket of that variant
gets the same pre-serialised text. Fragments come from the contribution's current state
through ``deliberation.rendering`` (the code that renders the page), so what a live reader sees
is what a reader who reloads sees, badges of the outcomes and decisions citing it included.
Frames that read the same in every variant use ``"*"``.
"""

import datetime
import json
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deliberation import conf
from deliberation.models import Contribution, Status, Thread, ThreadEvent
from deliberation.phases import Action
from deliberation.rendering import moment_text, render_contributions
from deliberation.selectors import ThreadItem

AUDIENCES = ("anon", "member")
EVERYONE = "*"

# Event types whose frame carries the contribution as HTML.
WITH_HTML = {
    "contribution.published",
    "contribution.edited",
    "contribution.hidden",
    "contribution.restored",
    "contribution.pinned",
    "contribution.official",
}
PUBLIC = (Status.PUBLISHED, Status.HIDDEN)


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def variant(language: str, signed_in: bool) -> str:
    return f"{language}:{AUDIENCES[signed_in]}"


def all_variants() -> list[str]:
    return [variant(language, signed_in) for language in languages() for signed_in in (False, True)]


def dumps(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class _Reader:
    """Who a fragment is rendered for: nobody in particular, signed in or not."""

    pk = None

    def __init__(self, signed_in: bool):
        self.is_authenticated = signed_in


def _items(contribution_ids: Iterable[int]) -> dict[int, ThreadItem]:
    rows = Contribution.objects.filter(pk__in=set(contribution_ids)).values_list(
        *ThreadItem.QUERY_FIELDS
    )
    return {row[0]: ThreadItem(*row) for row in rows}


def _citations(thread: Thread, items: dict[int, ThreadItem], language: str) -> dict:
    """{contribution id: [Citation]} for the published ``items``, read in ``language``: one
    call whatever their number; none before the outcome or when nothing is published."""
    published = [pk for pk, item in items.items() if item.status == Status.PUBLISHED]
    if not published:
        return {}
    return thread.target.contribution_citations(
        thread=thread, contribution_ids=published, language=language
    )


def thread_open(thread: Thread) -> tuple[bool, bool]:
    """(contributions accepted, reactions accepted) for anyone allowed to take part."""
    target = thread.target
    actions = target.actions if target.live else frozenset()
    return (Action.COMMENT in actions and not thread.locked, Action.REACT in actions)


def phase_message(thread: Thread) -> str:
    target = thread.target
    if not target.live:
        return _("This discussion is not published.")
    if Action.COMMENT not in target.actions:
        return _("This discussion is not open for contributions.")
    if thread.locked:
        return _("A moderator has locked this thread: no new contributions.")
    return _("This discussion is open for contributions.")


def next_phase_change(thread: Thread, now: datetime.datetime | None = None):
    """When the thread's page next changes phase by itself (a date passes), or None."""
    now = now or timezone.now()
    target = thread.target
    moments = [getattr(target, name, None) for name in ("opens_at", "closes_at")]
    upcoming = [moment for moment in moments if moment is not None and moment > now]
    return min(upcoming) if upcoming else None


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def event_token(pk: int | None, created_at: datetime.datetime | None) -> str | None:
    """What tells one stored event from another that took the same ``seq`` later: after a
    database restore, a thread's numbers are handed out again to other events (and the row ids
    too, the sequences being restored with the data), but never at the same instant. The hub
    compares these to notice that a thread's history changed under its sockets."""
    if pk is None or created_at is None:
        return None
    microseconds = (created_at - _EPOCH) // datetime.timedelta(microseconds=1)
    return f"{pk}@{microseconds}"


def _contribution_fields(event: ThreadEvent, item: ThreadItem | None) -> dict:
    fields = {"id": event.contribution_id}
    if event.type == "contribution.published" and item is not None:
        fields.update(parent=item.parent_id, path=item.path)
    if event.type == "contribution.hidden":
        fields.update(reason=event.data.get("reason", ""))
    if event.type == "contribution.pinned":
        fields.update(pinned=bool(event.data.get("pinned")))
    if event.type == "contribution.official":
        fields.update(official=bool(event.data.get("official")))
    if event.type == "contribution.reactions":
        fields.update(agree=event.data.get("agree", 0), disagree=event.data.get("disagree", 0))
    return fields


def thread_event_frames(
    thread: Thread, events: list[ThreadEvent], variants: Iterable[str] | None = None
) -> list[dict[str, str]]:
    """For each event, its frame text per variant (``"*"`` when all variants read the same).

    One query for the contributions the events are about, whatever their number, and one
    read of where outcomes and decisions cite the published ones (again in each language only
    when something is cited, for the citing pages' translations). An event about a
    contribution that is no longer public (sent back to moderation since) goes out as
    ``contribution.withdrawn``, never with its text.
    """
    variants = list(variants or all_variants())
    items = _items(e.contribution_id for e in events if e.type in WITH_HTML and e.contribution_id)
    shared = {
        "items": items,
        "time_zone": thread.institution.time_zone,
        "max_depth": conf.get("DELIBERATION_MAX_DEPTH"),
        "can_post": thread_open(thread)[0],
        "bases": {},  # the forms' addresses carry the language prefix: one per language
        "citations": {},  # where outcomes and decisions cite the items: once per language
    }

    out: list[dict[str, str]] = []
    for event in events:
        frame = {
            "type": event.type,
            "seq": event.seq,
            "thread": thread.key,
            "event": event_token(event.pk, event.created_at),
        }
        item = items.get(event.contribution_id)
        if event.type in WITH_HTML and (item is None or item.status not in PUBLIC):
            frame["type"] = "contribution.withdrawn"
            frame["id"] = event.contribution_id
            out.append({EVERYONE: dumps(frame)})
            continue
        if event.contribution_id:
            frame.update(_contribution_fields(event, item))
        if event.type not in WITH_HTML and event.type not in ("thread.locked", "thread.phase"):
            out.append({EVERYONE: dumps(frame)})
            continue
        texts = {}
        for name in variants:
            language, audience = name.split(":")
            signed_in = audience == AUDIENCES[1]
            with translation.override(language):
                localized = dict(frame)
                if item is not None:
                    localized["html"] = _item_html(
                        item, thread, language=language, signed_in=signed_in, shared=shared
                    )
                    if event.type == "contribution.hidden":
                        localized["reason_label"] = item.get_reason_display()
                elif event.type == "thread.locked":
                    localized["locked"] = bool(event.data.get("locked"))
                    localized["message"] = (
                        _("A moderator has locked this thread: no new contributions.")
                        if localized["locked"]
                        else _("A moderator has unlocked this thread: contributions are welcome again.")
                    )
                elif event.type == "thread.phase":
                    localized.update(phase_frame_fields(thread))
                texts[name] = dumps(localized)
        out.append(texts)
    return out


def _item_html(item: ThreadItem, thread: Thread, *, language: str, signed_in: bool, shared) -> str:
    """The contribution's ``<li>`` as a reader in ``language`` who is (or not) signed in sees
    it from a frame: no control of their own yet (the live client adds them)."""
    citations = shared["citations"]
    item.when = moment_text(item.created_at, shared["time_zone"], language)
    item.view_depth, item.opens_replies, item.closes = 1, False, ()
    item.mine = item.editable = item.flagged_by_me = False
    item.my_reaction = None
    item.can_reply = item.status == Status.PUBLISHED and item.depth < shared["max_depth"]
    if language not in shared["bases"]:
        shared["bases"][language] = reverse(
            "deliberation:contribution", args=[0]
        ).removesuffix("0/")
    if language not in citations:
        # Cited in one language is cited in all (only the citing page's
        # translation differs): nothing cited in the first, nothing to read.
        nothing = any(not found for found in citations.values())
        citations[language] = {} if nothing else _citations(thread, shared["items"], language)
    item.citations = citations[language].get(item.pk, ())
    return str(
        render_contributions(
            [item],
            viewer=_Reader(signed_in),
            moderator=False,
            csrf_token="",
            base=shared["bases"][language],
            can_post=shared["can_post"] and signed_in,
        )
    )


def phase_frame_fields(thread: Thread) -> dict:
    """What a ``thread.phase`` frame says, in the active language."""
    open_, reactions = thread_open(thread)
    return {
        "phase": str(thread.target.phase) if thread.target.live else "unpublished",
        "open": open_,
        "reactions": reactions,
        "message": phase_message(thread),
    }


def phase_frames(thread: Thread) -> dict[str, str]:
    """An unsequenced ``thread.phase`` frame per language (a date passed)."""
    texts = {}
    for language in languages():
        with translation.override(language):
            text = dumps({"type": "thread.phase", "thread": thread.key, **phase_frame_fields(thread)})
        for signed_in in (False, True):
            texts[variant(language, signed_in)] = text
    return texts


def localized_frames(build) -> dict[str, str]:
    """``build()`` called in each language: {"ar": text, …} (moderation and account frames)."""
    texts = {}
    for language in languages():
        with translation.override(language):
            texts[language] = dumps(build())
    return texts
