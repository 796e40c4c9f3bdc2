"""Results, live: the results page is told when a questionnaire's counts change.

Built like citizen requests' live pages (citizen_requests/realtime.py, docs/realtime.md): the
socket is a ``LiveConsumer`` that joins one group through its process's ``Hub``; a change is
one ``notice_send`` once committed, carrying no answer and no person, only the questionnaire
and its number of responses. The page then re-reads its results region over HTTP with the
reader's rights (static/js/live_region.js).

``/ws/questionnaires/<translation key>/results/``: whoever may see the results
(``questionnaires.watch_results``: the institution's editors). Anyone else is refused with 4404, as for an unknown questionnaire.
"""

import json
import uuid

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from deliberation.realtime.events import notice_send
from deliberation.realtime.groups import PREFIX
from deliberation.realtime.hub import Hub
from deliberation.realtime.sockets import NOT_FOUND, LiveConsumer
from questionnaires.models import QuestionnairePage, Response


def results_group(questionnaire_key) -> str:
    return f"{PREFIX}.questionnaire.{uuid.UUID(str(questionnaire_key)).hex}"


def results_change_publish(*, questionnaire_key) -> None:
    """Tell the results pages of the questionnaire (every translation) that counts changed."""
    responses = Response.objects.filter(questionnaire_key=questionnaire_key, is_draft=False).count()
    frames = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            frames[language] = json.dumps(
                {
                    "type": "results.changed",
                    "questionnaire": str(questionnaire_key),
                    "responses": responses,
                    "label": _("The results were updated."),
                },
                ensure_ascii=False,
            )
    notice_send(group=results_group(questionnaire_key), frames=frames)


def results_watch_allowed(user, key: str) -> bool:
    try:
        key = uuid.UUID(key)
    except ValueError:
        return False
    page = QuestionnairePage.objects.filter(translation_key=key).first()
    return page is not None and user.has_perm("questionnaires.watch_results", page)


class ResultsConsumer(LiveConsumer):
    """``/ws/questionnaires/<key>/results/``: a questionnaire's results page."""

    client_types = {"ping": "ping"}

    async def connect(self):
        self.groups_joined: list[str] = []
        await self.accept()
        key = self.scope["url_route"]["kwargs"]["key"]
        allowed = await database_sync_to_async(results_watch_allowed)(self.user, key)
        if not allowed:
            return await self.refuse(
                "not_found", NOT_FOUND,
                self.translated(lambda: _("These results do not exist or are not public.")),
            )
        group = results_group(key)
        await Hub.current().join(group, self)
        self.groups_joined.append(group)
        await self.send_frame({"type": "results.hello", "questionnaire": key})

    async def leave_hub(self) -> None:
        groups, self.groups_joined = getattr(self, "groups_joined", []), []
        hub = Hub.current()
        for group in groups:
            await hub.leave(group, self)
