"""Requests, live: the request page and the staff queue are told when a request changes.

Built on deliberation's realtime layer (docs/realtime.md): the sockets are ``LiveConsumer``s
(language, limits, close codes) that join groups through their process's ``Hub``, and a change
is one ``notice_send`` per group once committed. A notice carries no personal data, only the
request's number and stage: the page then re-reads what changed over HTTP, with the rights of
the person reading (an officer's queue, a citizen's own request).

- ``/ws/requests/<number>/``: the request's author, a session that unlocked it with its code,
  or staff of its current institution. Anyone else is refused with 4404, as for an unknown
  number; staff lose the socket when the request leaves their institution (a redirect).
- ``/ws/requests/queue/``: staff, joined to the groups of the desks they handle (never another
  institution's).
"""

import json

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from citizen_requests.models import CitizenRequest
from citizen_requests.rules import staff_desks, staff_role
from citizen_requests.selectors import citizen_access, request_by_number
from citizen_requests.stages import Stage
from deliberation.realtime.events import notice_send
from deliberation.realtime.groups import PREFIX
from deliberation.realtime.hub import Hub
from deliberation.realtime.sockets import FORBIDDEN, LOGIN_REQUIRED, NOT_FOUND, LiveConsumer


def request_group(request_id: int) -> str:
    return f"{PREFIX}.request.{request_id}"


def desk_group(desk_id: int) -> str:
    return f"{PREFIX}.requests.desk.{desk_id}"


def _frames(request: CitizenRequest, *, desk_ids: list[int]) -> dict[str, str]:
    frames = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            frames[language] = json.dumps(
                {
                    "type": "request.changed",
                    "number": request.tracking_number,
                    "stage": request.stage,
                    "stage_label": str(Stage(request.stage).label),
                    "desks": desk_ids,
                },
                ensure_ascii=False,
            )
    return frames


def request_change_publish(*, request: CitizenRequest, from_desk_id: int | None = None) -> None:
    """Tell the request's page and its desks' queues (the one it left too, after a redirect)."""
    desk_ids = [request.desk_id] + ([from_desk_id] if from_desk_id and from_desk_id != request.desk_id else [])
    frames = _frames(request, desk_ids=desk_ids)
    notice_send(group=request_group(request.pk), frames=frames)
    for desk_id in desk_ids:
        notice_send(group=desk_group(desk_id), frames=frames)


def request_watch_refusal(user, session, number: str) -> tuple[int | None, bool]:
    """(the request's id, whether the watcher is staff) if they may watch it; (None, False)."""
    request = request_by_number(number)
    if request is None:
        return None, False
    if citizen_access(user, session if session is not None else {}, request):
        return request.pk, False
    if staff_role(user, request.desk) is not None:
        return request.pk, True
    return None, False


def _still_staff(user, request_id: int) -> bool:
    request = CitizenRequest.objects.select_related("desk__institution").filter(pk=request_id).first()
    return request is not None and staff_role(user, request.desk) is not None


class RequestConsumer(LiveConsumer):
    """``/ws/requests/<number>/``: one request's page, told when it changes."""

    client_types = {"ping": "ping"}

    async def connect(self):
        self.groups_joined: list[str] = []
        await self.accept()
        number = self.scope["url_route"]["kwargs"]["number"]
        request_id, self.staff = await database_sync_to_async(request_watch_refusal)(
            self.user, self.scope.get("session"), number
        )
        if request_id is None:
            return await self.refuse(
                "not_found", NOT_FOUND,
                self.translated(lambda: _("No request matches this tracking number and secret code.")),
            )
        self.request_id = request_id
        group = request_group(request_id)
        await Hub.current().join(group, self)
        self.groups_joined.append(group)
        await self.send_frame({"type": "request.hello", "number": number})

    async def hub_frames(self, kind: str, texts: dict[str, str]) -> None:
        if self.staff and not await database_sync_to_async(_still_staff)(self.user, self.request_id):
            return await self.refuse(
                "forbidden", FORBIDDEN,
                self.translated(lambda: _("This request is no longer one of your institution's.")),
            )
        await super().hub_frames(kind, texts)

    async def leave_hub(self) -> None:
        groups, self.groups_joined = getattr(self, "groups_joined", []), []
        hub = Hub.current()
        for group in groups:
            await hub.leave(group, self)


class RequestQueueConsumer(RequestConsumer):
    """``/ws/requests/queue/``: the staff queue, told when a request of one of their desks
    arrives or changes."""

    async def connect(self):
        self.groups_joined = []
        self.staff = False
        await self.accept()
        if not self.signed_in:
            return await self.refuse(
                "login_required", LOGIN_REQUIRED, self.translated(lambda: _("Log in to take part."))
            )
        desks = await database_sync_to_async(staff_desks)(self.user)
        if not desks:
            return await self.refuse(
                "forbidden", FORBIDDEN, self.translated(lambda: _("You handle no institution's requests."))
            )
        hub = Hub.current()
        for desk in desks:
            group = desk_group(desk.pk)
            await hub.join(group, self)
            self.groups_joined.append(group)
        await self.send_frame({"type": "queue.hello", "desks": [desk.pk for desk in desks]})
