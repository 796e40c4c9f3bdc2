"""Idea lists, live: an institution's and its consultations' lists of ideas show each public
idea's supports, replies and status as they change (docs/realtime.md, *Idea lists socket*).

Built like the results and request sockets (questionnaires/live.py, citizen_requests/realtime.py):
the socket is a ``LiveConsumer`` that joins one group per institution through its process's
``Hub``; a change is one ``notice_send`` once committed. A consultation's list is a subset of
its institution's, so the same group serves it.

Only public ideas (``Idea.objects.public()``: text published, sent to a page anyone may read)
are ever told: an idea held for moderation, hidden, or within a restricted consultation sends
nothing, whoever listens. The frame carries the idea's number, counts and status, with the
labels as the list renders them, in each language (Arabic has six plural forms: the browser
cannot make them).

``/ws/ideas/institutions/<institution translation key hex>/``: anyone, for a live institution
anyone may read (``citizen_ideas.watch_ideas``); else ``not_found``, 4404.
"""

import json
import uuid
from typing import ClassVar

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citizen_ideas.models import IdeaStatus
from citizen_ideas.selectors import institution_by_key, public_idea_counts, reply_count
from deliberation.realtime.events import notice_send
from deliberation.realtime.groups import PREFIX
from deliberation.realtime.hub import Hub
from deliberation.realtime.sockets import NOT_FOUND, LiveConsumer

# Thread events that change how many replies an idea's thread shows.
REPLY_EVENTS = frozenset(
    {"contribution.published", "contribution.hidden", "contribution.restored", "contribution.withdrawn"}
)


def ideas_group(institution_key) -> str:
    return f"{PREFIX}.ideas.{uuid.UUID(str(institution_key)).hex}"


def ideas_socket(institution) -> str:
    """The path of the socket of ``institution``'s idea lists (any of its translations)."""
    return f"/ws/ideas/institutions/{uuid.UUID(str(institution.translation_key)).hex}/"


def supports_label(count: int) -> str:
    """“3 supports”, as the list writes it (same message, same digits)."""
    return ngettext("%(counter)s support", "%(counter)s supports", count) % {
        "counter": formats.localize(count)
    }


def replies_label(count: int) -> str:
    return ngettext("%(counter)s reply", "%(counter)s replies", count) % {
        "counter": formats.localize(count)
    }


def _frames(idea) -> dict[str, str]:
    replies = reply_count(idea)
    frames = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            frames[language] = json.dumps(
                {
                    "type": "ideas.counts",
                    "idea": idea.pk,
                    "supports": idea.support_count,
                    "supports_label": supports_label(idea.support_count),
                    "replies": replies,
                    "replies_label": replies_label(replies),
                    "status": idea.status,
                    "status_label": str(IdeaStatus(idea.status).label),
                },
                ensure_ascii=False,
            )
    return frames


def idea_counts_publish(*, idea_id: int | None = None, thread_id: int | None = None) -> None:
    """Tell the lists of the idea's institution its counts and status now, if it is public
    (by its id, or by its thread's: a reply). Call it once committed."""
    idea = public_idea_counts(idea_id=idea_id, thread_id=thread_id)
    if idea is not None:
        notice_send(group=ideas_group(idea.institution.translation_key), frames=_frames(idea))


def idea_counts_publish_on_commit(*, idea_id: int | None = None, thread_id: int | None = None) -> None:
    """``idea_counts_publish`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(
        lambda: idea_counts_publish(idea_id=idea_id, thread_id=thread_id), robust=True
    )


def ideas_watch_allowed(user, key: str) -> bool:
    try:
        key = uuid.UUID(key)
    except ValueError:
        return False
    institution = institution_by_key(key)
    return institution is not None and user.has_perm("citizen_ideas.watch_ideas", institution)


class IdeaListConsumer(LiveConsumer):
    """``/ws/ideas/institutions/<key>/``: an institution's (or one of its consultations')
    list of ideas."""

    client_types: ClassVar[dict[str, str]] = {"ping": "ping"}

    async def connect(self):
        self.groups_joined: list[str] = []
        await self.accept()
        key = self.scope["url_route"]["kwargs"]["key"]
        allowed = await database_sync_to_async(ideas_watch_allowed)(self.user, key)
        if not allowed:
            return await self.refuse(
                "not_found", NOT_FOUND,
                self.translated(lambda: _("This institution does not exist or is not public.")),
            )
        group = ideas_group(key)
        await Hub.current().join(group, self)
        self.groups_joined.append(group)
        await self.send_frame({"type": "ideas.hello", "institution": uuid.UUID(key).hex})

    async def leave_hub(self) -> None:
        groups, self.groups_joined = getattr(self, "groups_joined", []), []
        hub = Hub.current()
        for group in groups:
            await hub.leave(group, self)
