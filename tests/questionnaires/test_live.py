"""The results socket: editors are told when a response is sent (not a draft), nobody else may
watch."""

from contextlib import asynccontextmanager

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from config.asgi import application
from questionnaires.results_views import results_socket
from questionnaires.services import response_save
from tests.deliberation.sockets import HOST, ORIGIN, Socket, login_cookie

pytestmark = pytest.mark.django_db(transaction=True)

RAW = {
    "q-age": "34",
    "q-mode": "q-mode-1",
    "q-why": "أرخص",
    "q-needs": ["q-needs-1"],
    "q-trust": "4",
    "q-rank": ["q-rank-2", "q-rank-1", "q-rank-3"],
    "q-ideas": "",
}


@asynccontextmanager
async def socket(path: str, *, user=None, lang="ar"):
    headers = [HOST, ORIGIN]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(login_cookie)(user)))
    communicator = WebsocketCommunicator(application, f"{path}?lang={lang}", headers=headers)
    try:
        connected, _ = await communicator.connect()
        assert connected
        yield Socket(communicator)
    finally:
        await communicator.disconnect()


def make_editor(site, user_factory):
    """An editor of the institution: its page permission, without ``setup_institutions`` (it
    needs Wagtail's root collection, which the flush between transactional tests removes)."""
    group = Group.objects.create(name="Editors: results-live")
    GroupPagePermission.objects.create(
        group=group, page=site["institution"]["ar"], permission_type="change"
    )
    user = user_factory(is_staff=True, email="editor@el-kef.tn")
    user.groups.add(group)
    return user


async def test_editor_is_told_when_a_response_is_sent(site, questionnaire, user_factory, citizen):
    editor = await database_sync_to_async(make_editor)(site, user_factory)
    async with socket(results_socket(questionnaire), user=editor) as page:
        assert (await page.frame())["type"] == "results.hello"
        await database_sync_to_async(response_save)(
            page=questionnaire, user=citizen, raw=dict(RAW, **{"q-ideas": ""}), draft=True
        )
        await database_sync_to_async(response_save)(page=questionnaire, user=citizen, raw=RAW)
        frame = await page.frame()
        assert frame["type"] == "results.changed"
        assert frame["responses"] == 1  # the draft before it sent nothing
        # Never an answer: only the questionnaire's key (a UUID, which may hold "34"), the count
        # and the announcement.
        assert set(frame) == {"type", "questionnaire", "responses", "label"}
        told = str({name: value for name, value in frame.items() if name != "questionnaire"})
        assert "34" not in told and "أرخص" not in told


async def test_citizens_and_visitors_cannot_watch(site, questionnaire, citizen):
    for user in (None, citizen):
        async with socket(results_socket(questionnaire), user=user) as page:
            frame = await page.frame()
            assert frame["type"] == "error" and frame["code"] == "not_found"
            assert await page.closed_with() == 4404
