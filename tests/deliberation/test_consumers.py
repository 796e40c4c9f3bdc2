"""The websockets through the real ASGI application: origin check, session auth, the thread
socket's events, order, resume and refusals, posting over the socket, and the moderation
socket (docs/realtime.md)."""

import asyncio
import uuid
from contextlib import asynccontextmanager

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

from tests.deliberation.sockets import HOST, ORIGIN, Socket, login_cookie, watching


async def connect(origin: bytes | None):
    headers = [HOST]
    if origin is not None:
        headers.append((b"origin", origin))
    communicator = WebsocketCommunicator(application, "/ws/health/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_health_socket_accepts_an_allowed_origin_and_answers_ping():
    communicator, connected = await connect(b"http://127.0.0.1:8000")
    try:
        assert connected
        hello = await communicator.receive_json_from()
        assert hello["type"] == "health.ok"
        assert hello["authenticated"] is False
        await communicator.send_json_to({"type": "ping"})
        assert (await communicator.receive_json_from())["type"] == "pong"
        await communicator.send_to(text_data="not json")
        error = await communicator.receive_json_from()
        assert error == {"type": "error", "code": "unknown_frame"}
    finally:
        await communicator.disconnect()


@pytest.mark.parametrize("origin", [b"http://evil.example", b"https://127.0.0.1.evil.example", None])
async def test_health_socket_refuses_other_origins(origin):
    communicator, connected = await connect(origin)
    try:
        assert not connected
    finally:
        await communicator.disconnect()


async def test_health_socket_knows_the_logged_in_user(citizen):
    cookie = await database_sync_to_async(login_cookie)(citizen)
    communicator = WebsocketCommunicator(
        application,
        "/ws/health/",
        headers=[(b"host", b"127.0.0.1"), ORIGIN, (b"cookie", cookie)],
    )
    try:
        connected, _ = await communicator.connect()
        assert connected
        assert (await communicator.receive_json_from())["authenticated"] is True
    finally:
        await communicator.disconnect()


def _post(author, thread, body="Un avis.", **kwargs):
    from deliberation.services import contribution_post

    kwargs.setdefault("idempotency_key", uuid.uuid4())
    kwargs.setdefault("language", "fr")
    return contribution_post(author=author, thread=thread, body=body, **kwargs).contribution


post = database_sync_to_async(_post)


@database_sync_to_async
def moderate(moderator, contribution, action, **kwargs):
    from deliberation.services import contribution_moderate

    return contribution_moderate(moderator=moderator, contribution=contribution, action=action, **kwargs)


@database_sync_to_async
def contribution_count() -> int:
    from deliberation.models import Contribution

    return Contribution.objects.count()


@pytest.fixture
def open_thread(thread, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return thread


# --- Thread socket: events ------------------------------------------------------------------


async def test_a_published_contribution_reaches_every_watcher_in_its_language(
    open_thread, citizen, user_factory
):
    reader = await database_sync_to_async(user_factory)()
    async with watching(open_thread.key, lang="ar") as arabic, watching(
        open_thread.key, lang="fr", user=reader
    ) as french:
        assert arabic.hello["seq"] == 0 and arabic.hello["open"] is True
        contribution = await post(citizen, open_thread, "<script>alert(1)</script> Mon avis")
        received = {}
        for name, socket in (("ar", arabic), ("fr", french)):
            [event] = await socket.events(1)
            assert event["type"] == "contribution.published"
            assert event["seq"] == 1 and event["id"] == contribution.pk and event["parent"] is None
            assert f'id="contribution-{contribution.pk}"' in event["html"]
            assert "&lt;script&gt;" in event["html"] and "<script>" not in event["html"]
            received[name] = event["html"]
        # Each in the reader's language; signed-in readers get the reaction buttons (with an
        # empty CSRF field the client fills), anonymous readers the counts only.
        assert "أوافق" in received["ar"] and '<p class="reactions">' in received["ar"]
        assert "D’accord" in received["fr"] and 'class="reactions"' in received["fr"]
        assert '<form method="post"' in received["fr"] and '<form' not in received["ar"]


async def test_each_event_type_reaches_the_thread(open_thread, citizen, user_factory, admin_user):
    from deliberation.services import contribution_edit, contribution_react, thread_lock

    reader = await database_sync_to_async(user_factory)()
    async with watching(open_thread.key, lang="en", user=reader) as socket:
        contribution = await post(citizen, open_thread, "First text")
        [published] = await socket.events(1)
        assert "First text" in published["html"]

        await database_sync_to_async(contribution_edit)(
            contribution=contribution, editor=citizen, body="Corrected text"
        )
        [edited] = await socket.events(1)
        assert edited["type"] == "contribution.edited" and "Corrected text" in edited["html"]

        await database_sync_to_async(contribution_react)(user=reader, contribution=contribution, kind="agree")
        [reactions] = await socket.events(1)
        assert (reactions["type"], reactions["agree"], reactions["disagree"]) == (
            "contribution.reactions", 1, 0,
        )

        await moderate(admin_user, contribution, "pin")
        [pinned] = await socket.events(1)
        assert pinned["type"] == "contribution.pinned" and pinned["pinned"] is True
        assert "Pinned" in pinned["html"]

        await moderate(admin_user, contribution, "mark_official")
        [official] = await socket.events(1)
        assert official["type"] == "contribution.official" and official["official"] is True

        await moderate(admin_user, contribution, "hide", reason="abuse")
        [hidden] = await socket.events(1)
        assert hidden["type"] == "contribution.hidden" and hidden["reason"] == "abuse"
        assert "Removed by moderation" in hidden["html"] and "Corrected text" not in hidden["html"]
        assert hidden["reason_label"] == "Insults, threats or hate"

        await moderate(admin_user, contribution, "restore")
        [restored] = await socket.events(1)
        assert restored["type"] == "contribution.restored" and "Corrected text" in restored["html"]

        await database_sync_to_async(thread_lock)(moderator=admin_user, thread=open_thread, locked=True)
        [locked] = await socket.events(1)
        assert locked["type"] == "thread.locked" and locked["locked"] is True
        assert "locked" in locked["message"]

        seqs = [e["seq"] for e in (published, edited, reactions, pinned, official, hidden, restored, locked)]
        assert seqs == list(range(1, 9))


async def test_approval_publishes_live_and_pending_items_stay_off_the_thread(
    make_consultation, citizen, admin_user
):
    from deliberation.services import thread_for_page

    page = await database_sync_to_async(make_consultation)(moderation_mode="pre")
    thread = await database_sync_to_async(thread_for_page)(page=page)
    async with watching(thread.key) as socket:
        contribution = await post(citizen, thread, "En attente")
        await socket.nothing_more()
        await moderate(admin_user, contribution, "approve")
        [event] = await socket.events(1)
        assert event["type"] == "contribution.published" and "En attente" in event["html"]


async def test_an_edit_after_approval_in_a_premoderated_thread_withdraws_it(
    make_consultation, citizen, admin_user
):
    from deliberation.services import contribution_edit, thread_for_page

    page = await database_sync_to_async(make_consultation)(moderation_mode="pre")
    thread = await database_sync_to_async(thread_for_page)(page=page)
    contribution = await post(citizen, thread, "Texte approuvé")
    await moderate(admin_user, contribution, "approve")
    async with watching(thread.key, since=0) as socket:
        [published] = await socket.events(1)
        assert published["type"] == "contribution.published"
        await database_sync_to_async(contribution_edit)(
            contribution=contribution, editor=citizen, body="Tout autre chose"
        )
        [withdrawn] = await socket.events(1)
        assert withdrawn.pop("event")  # every sequenced frame names its event (docs/realtime.md)
        assert withdrawn == {
            "type": "contribution.withdrawn", "seq": 2, "thread": thread.key, "id": contribution.pk
        }


async def test_a_replayed_event_never_shows_text_hidden_since(open_thread, citizen, admin_user):
    contribution = await post(citizen, open_thread, "Numéro 0612345678")
    await moderate(admin_user, contribution, "hide", reason="personal_data")
    async with watching(open_thread.key, since=0) as socket:
        published, hidden = await socket.events(2)
        assert published["type"] == "contribution.published"
        for event in (published, hidden):
            assert "0612345678" not in event["html"]
            assert "Retirée par la modération\xa0: Données personnelles" in event["html"]


async def test_an_editor_changing_the_dates_closes_the_form_live(open_thread):
    from django.utils import timezone

    async with watching(open_thread.key) as socket:

        def close_now():
            page = open_thread.page.specific
            page.closes_at = timezone.now() - timezone.timedelta(minutes=1)
            page.save_revision().publish()

        await database_sync_to_async(close_now)()
        [phase] = await socket.events(1)
        assert phase["type"] == "thread.phase"
        assert (phase["phase"], phase["open"]) == ("closed", False)
        assert phase["message"] == "Cette discussion n’est pas ouverte aux contributions."


async def test_the_phase_changes_live_when_the_closing_time_passes(make_consultation, settings):
    import datetime

    from django.utils import timezone

    from deliberation.services import thread_for_page

    page = await database_sync_to_async(make_consultation)()

    def close_in_a_second():
        # Straight to the database: no editor publishes anything, only time passes.
        type(page).objects.filter(pk=page.pk).update(
            closes_at=timezone.now() + datetime.timedelta(seconds=1)
        )
        return thread_for_page(page=type(page).objects.get(pk=page.pk))

    thread = await database_sync_to_async(close_in_a_second)()
    async with watching(thread.key, lang="en") as socket:
        assert socket.hello["open"] is True
        phase = await socket.frame_of("thread.phase", timeout=5)
        assert "seq" not in phase
        assert (phase["phase"], phase["open"]) == ("closed", False)
        assert phase["message"] == "This discussion is not open for contributions."


async def test_watchers_are_counted(open_thread):
    async with watching(open_thread.key) as first:
        async with watching(open_thread.key) as second:
            assert second.hello["watchers"] == 2
            assert (await first.frame_of("thread.watchers"))["count"] == 2
        assert (await first.frame_of("thread.watchers"))["count"] == 1


# --- Order, resume, gaps ----------------------------------------------------------------------


async def test_concurrent_posts_arrive_in_sequence_order(open_thread, user_factory):
    authors = await database_sync_to_async(lambda: [user_factory() for _ in range(6)])()
    async with watching(open_thread.key) as socket:
        await asyncio.gather(*(post(author, open_thread, f"Avis {i}") for i, author in enumerate(authors)))
        events = await socket.events(6)
        assert [e["seq"] for e in events] == [1, 2, 3, 4, 5, 6]
        assert len({e["id"] for e in events}) == 6
        await socket.nothing_more()


async def test_a_client_resumes_after_a_disconnect_with_what_it_missed(open_thread, citizen):
    async with watching(open_thread.key) as socket:
        first = await post(citizen, open_thread, "Avant")
        [event] = await socket.events(1)
        last_seq = event["seq"]
    missed = [await post(citizen, open_thread, f"Pendant {i}") for i in range(3)]
    async with watching(open_thread.key, since=last_seq) as socket:
        assert socket.hello["seq"] == 4 and socket.hello["since"] == 1
        replayed = await socket.events(3)
        assert [e["id"] for e in replayed] == [c.pk for c in missed]
        assert [e["seq"] for e in replayed] == [2, 3, 4]
        live = await post(citizen, open_thread, "Après")
        [event] = await socket.events(1)
        assert (event["seq"], event["id"]) == (5, live.pk)
        await socket.nothing_more()
    assert first.pk not in [e["id"] for e in replayed]


async def test_a_client_that_saw_a_gap_gets_a_replay(open_thread, citizen):
    async with watching(open_thread.key, since=0) as socket:
        posted = [await post(citizen, open_thread, f"Avis {i}") for i in range(3)]
        await socket.events(3)
        await socket.send({"type": "replay", "since": 1})
        replayed = await socket.events(2)
        assert [e["seq"] for e in replayed] == [2, 3]
        assert [e["id"] for e in replayed] == [c.pk for c in posted[1:]]


async def test_the_server_fills_a_gap_left_by_a_lost_layer_message(open_thread, citizen):
    """A layer message lost (Redis restart, full channel): the next event reveals the gap and
    the socket gets the missing one from the database first."""
    from deliberation.realtime import events as realtime_events

    async with watching(open_thread.key) as socket:
        real_publish = realtime_events.thread_event_publish
        realtime_events.thread_event_publish = lambda **kwargs: None
        try:
            lost = await post(citizen, open_thread, "Perdu en route")
        finally:
            realtime_events.thread_event_publish = real_publish
        after = await post(citizen, open_thread, "Suivant")
        first, second = await socket.events(2)
        assert [(first["seq"], first["id"]), (second["seq"], second["id"])] == [
            (1, lost.pk), (2, after.pk)
        ]


async def test_a_client_too_far_behind_is_told_to_reload(open_thread, citizen, settings):
    settings.DELIBERATION_REALTIME_REPLAY_LIMIT = 2
    for i in range(4):
        await post(citizen, open_thread, f"Avis {i}")
    async with watching(open_thread.key, since=1) as socket:
        assert (await socket.frame())["type"] == "thread.reload"
        live = await post(citizen, open_thread, "Nouveau")
        [event] = await socket.events(1)
        assert (event["seq"], event["id"]) == (5, live.pk)


# --- A database restored from an earlier backup ---------------------------------------------------


@database_sync_to_async
def restore_earlier_state(thread, *, keep: list) -> None:
    """What restoring a backup taken after ``keep`` were posted does to the thread: the later
    contributions and their events are gone, and the thread's numbers are back where they were
    (the next events take numbers the readers already have)."""
    from deliberation.models import Contribution, Thread, ThreadEvent

    Contribution.objects.filter(thread=thread).exclude(pk__in=[c.pk for c in keep]).delete()
    last = ThreadEvent.objects.filter(thread=thread).order_by("-seq").values_list("seq", flat=True).first()
    Thread.objects.filter(pk=thread.pk).update(last_seq=last or 0, last_number=len(keep))


async def test_after_a_restore_an_open_socket_is_told_to_reload_when_posts_reuse_its_numbers(
    open_thread, citizen, user_factory
):
    """Issue 14 item 9: a socket at seq 3, a restore whose last_seq is 1, then new posts take
    the numbers 2, 3… again: the socket must not drop them as already seen."""
    others = await database_sync_to_async(lambda: [user_factory() for _ in range(4)])()
    async with watching(open_thread.key) as socket:
        kept = await post(citizen, open_thread, "Avant la sauvegarde")
        await post(citizen, open_thread, "Perdu 1")
        await post(citizen, open_thread, "Perdu 2")
        assert [e["seq"] for e in await socket.events(3)] == [1, 2, 3]
        await restore_earlier_state(open_thread, keep=[kept])
        new = [await post(other, open_thread, f"Après la restauration {i}") for i, other in enumerate(others)]
        reload = await socket.frame_of("thread.reload")
        assert reload["reason"] == "history_changed"
        events = await socket.events(4)
        assert [(e["seq"], e["id"]) for e in events] == [(2 + i, c.pk) for i, c in enumerate(new)]
        await socket.nothing_more()


async def test_after_a_restore_the_resync_tells_a_socket_ahead_of_the_database_to_reload(
    open_thread, citizen
):
    from deliberation.realtime.hub import Hub

    async with watching(open_thread.key) as socket:
        kept = await post(citizen, open_thread, "Avant la sauvegarde")
        await post(citizen, open_thread, "Perdu")
        await socket.events(2)
        await restore_earlier_state(open_thread, keep=[kept])
        await Hub.current().resync()
        assert (await socket.frame_of("thread.reload"))["reason"] == "history_changed"
        new = await post(citizen, open_thread, "Après la restauration")
        [event] = await socket.events(1)
        assert (event["seq"], event["id"]) == (2, new.pk)


async def test_after_a_restore_the_resync_notices_other_events_under_the_same_numbers(
    open_thread, citizen
):
    """The restore, then as many posts as were lost, their layer messages lost too: the
    thread's latest number is the socket's, but not the same event."""
    from deliberation.realtime import events as realtime_events
    from deliberation.realtime.hub import Hub

    async with watching(open_thread.key) as socket:
        kept = await post(citizen, open_thread, "Avant la sauvegarde")
        await post(citizen, open_thread, "Perdu")
        await socket.events(2)
        await restore_earlier_state(open_thread, keep=[kept])
        real_publish = realtime_events.thread_event_publish
        realtime_events.thread_event_publish = lambda **kwargs: None
        try:
            await post(citizen, open_thread, "Après la restauration")
        finally:
            realtime_events.thread_event_publish = real_publish
        await Hub.current().resync()
        assert (await socket.frame_of("thread.reload"))["reason"] == "history_changed"


async def test_a_client_away_during_a_restore_is_told_to_reload_when_it_comes_back(
    open_thread, citizen, user_factory
):
    """Its page shows seq 3, the restored thread stops at 1, and three posts took 2–4 before
    it reconnected with since=3: the event it names is not the database's 3."""
    others = await database_sync_to_async(lambda: [user_factory() for _ in range(3)])()
    async with watching(open_thread.key) as socket:
        kept = await post(citizen, open_thread, "Avant la sauvegarde")
        await post(citizen, open_thread, "Perdu 1")
        await post(citizen, open_thread, "Perdu 2")
        *_, last = await socket.events(3)
    async with watching(open_thread.key, since=3, event=last["event"]) as socket:
        assert socket.hello["seq"] == 3
        await socket.nothing_more()  # the same history: nothing to replay, no reload
    await restore_earlier_state(open_thread, keep=[kept])
    for other in others:
        await post(other, open_thread, "Après la restauration")
    async with watching(open_thread.key, since=3, event=last["event"]) as socket:
        assert socket.hello["seq"] == 4
        assert (await socket.frame())["reason"] == "history_changed"
        new = await post(citizen, open_thread, "Encore")
        [event] = await socket.events(1)
        assert (event["seq"], event["id"]) == (5, new.pk)


# --- Refusals -----------------------------------------------------------------------------------


async def test_an_unknown_thread_is_refused():
    async with watching("c-" + "0" * 32, hello=False) as socket:
        error = await socket.frame()
        assert error["type"] == "error" and error["code"] == "not_found"
        assert await socket.closed_with() == 4404


async def test_an_unpublished_consultations_thread_is_refused(open_thread, citizen):
    await post(citizen, open_thread, "Écrit quand elle était publiée")
    await database_sync_to_async(lambda: open_thread.page.specific.unpublish())()
    async with watching(open_thread.key, hello=False) as socket:
        error = await socket.frame()
        assert error["code"] == "forbidden"
        assert await socket.closed_with() == 4403


async def test_a_draft_consultation_has_no_thread_to_follow(site):
    from consultations.models import ConsultationPage
    from deliberation.services import thread_key_for
    from tests.pages import draft

    def make_draft():
        parent = site["institution"]["fr"]
        page = parent.add_child(
            instance=ConsultationPage(
                title="Brouillon", slug="brouillon", summary="…", live=False, draft=draft(("A", "B")),
                opens_at="2026-01-01T00:00Z", closes_at="2027-01-01T00:00Z",
            )
        )
        return thread_key_for(translation_key=page.translation_key, kind="consultation")

    key = await database_sync_to_async(make_draft)()
    async with watching(key, hello=False) as socket:
        assert (await socket.frame())["code"] == "not_found"
        assert await socket.closed_with() == 4404


async def test_a_page_for_signed_in_readers_refuses_anonymous_sockets(open_thread, citizen):
    from wagtail.models import PageViewRestriction

    await database_sync_to_async(
        lambda: PageViewRestriction.objects.create(
            page=open_thread.page, restriction_type=PageViewRestriction.LOGIN
        )
    )()
    async with watching(open_thread.key, hello=False) as socket:
        assert (await socket.frame())["code"] == "login_required"
        assert await socket.closed_with() == 4401
    async with watching(open_thread.key, user=citizen) as socket:
        assert socket.hello["type"] == "thread.hello"


async def test_another_origin_cannot_open_a_thread_socket(open_thread):
    communicator = WebsocketCommunicator(
        application, f"/ws/threads/{open_thread.key}/", headers=[HOST, (b"origin", b"http://evil.example")]
    )
    try:
        connected, _ = await communicator.connect()
        assert not connected
    finally:
        await communicator.disconnect()


async def test_a_suspended_citizens_sockets_are_told_why_and_closed(open_thread, citizen, admin_user):
    from deliberation.services import user_suspend

    contribution = await post(citizen, open_thread, "Un avis")
    async with watching(open_thread.key, user=citizen, lang="fr") as socket:
        await database_sync_to_async(user_suspend)(
            moderator=admin_user, user=citizen, days=3, reason="abuse", contribution=contribution
        )
        frame = await socket.frame_of("account.suspended")
        assert "suspendu" in frame["message"]
        assert await socket.closed_with() == 4403


# --- Client frames --------------------------------------------------------------------------------


async def test_posting_over_the_socket_goes_through_the_service(open_thread, citizen):
    key = str(uuid.uuid4())
    async with watching(open_thread.key, user=citizen) as socket:
        frame = {"type": "contribution.post", "request_id": "r1", "body": "Par le socket",
                 "parent": None, "idempotency_key": key}
        await socket.send(frame)
        got = await socket.until("ack", "contribution.published")
        ack, event = got["ack"], got["contribution.published"]
        assert ack["request_id"] == "r1" and ack["created"] is True and ack["status"] == "published"
        assert event["id"] == ack["id"]
        # The same idempotency key again: nothing new.
        await socket.send({**frame, "request_id": "r2"})
        again = await socket.frame_of("ack")
        assert (again["id"], again["created"]) == (ack["id"], False)
        await socket.nothing_more()
    assert await contribution_count() == 1


async def test_a_reply_and_a_reaction_over_the_socket(open_thread, citizen, user_factory):
    other = await database_sync_to_async(user_factory)()
    parent = await post(other, open_thread, "Parent")
    async with watching(open_thread.key, user=citizen, since=1) as socket:
        await socket.send({"type": "contribution.post", "request_id": "a", "body": "Réponse",
                           "parent": parent.pk, "idempotency_key": str(uuid.uuid4())})
        got = await socket.until("ack", "contribution.published")
        ack, event = got["ack"], got["contribution.published"]
        assert event["parent"] == parent.pk and event["path"].startswith(parent.path)
        await socket.send({"type": "contribution.react", "request_id": "b", "id": parent.pk, "kind": "agree"})
        got = await socket.until("ack", "contribution.reactions")
        react_ack, reactions = got["ack"], got["contribution.reactions"]
        assert (react_ack["agree"], react_ack["disagree"]) == (1, 0)
        assert reactions["id"] == parent.pk and reactions["agree"] == 1
        assert ack["id"] != parent.pk


async def test_posting_refusals_come_back_translated_and_store_nothing(open_thread, citizen, settings):
    async with watching(open_thread.key, lang="ar") as anonymous:
        await anonymous.send({"type": "contribution.post", "request_id": "x", "body": "Salut",
                              "parent": None, "idempotency_key": str(uuid.uuid4())})
        error = await anonymous.frame_of("error")
        assert error["code"] == "login_required" and error["request_id"] == "x"
    async with watching(open_thread.key, user=citizen, lang="fr") as socket:
        await socket.send({"type": "contribution.post", "request_id": "y", "body": "   ",
                           "parent": None, "idempotency_key": str(uuid.uuid4())})
        error = await socket.frame_of("error")
        assert (error["code"], error["field"]) == ("invalid", "body")
        assert error["message"] == "Écrivez quelque chose avant d’envoyer."
        settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["1/minute"]
        for request_id in ("1", "2"):
            await socket.send({"type": "contribution.post", "request_id": request_id, "body": "Avis",
                               "parent": None, "idempotency_key": str(uuid.uuid4())})
        got = await socket.until("ack", "contribution.published", "error")
        limited = got["error"]
        assert got["ack"]["request_id"] == "1" and limited["request_id"] == "2"
        assert limited["code"] == "rate_limited" and limited["retry_after"] >= 1
    assert await contribution_count() == 1


async def test_a_lone_surrogate_is_a_clean_error_frame_and_the_socket_stays(
    open_thread, citizen, user_factory
):
    other = await database_sync_to_async(user_factory)()
    parent = await post(other, open_thread, "Parent")
    async with watching(open_thread.key, user=citizen, since=1, lang="en") as socket:
        await socket.send({"type": "contribution.post", "request_id": "s", "body": "\ud800 x",
                           "parent": None, "idempotency_key": str(uuid.uuid4())})
        error = await socket.frame_of("error")
        assert (error["code"], error["field"], error["request_id"]) == ("invalid", "body", "s")
        assert "invalid character" in error["message"]
        await socket.send({"type": "contribution.flag", "request_id": "f", "id": parent.pk,
                           "reason": "spam", "note": "\udfff"})
        error = await socket.frame_of("error")
        assert (error["code"], error["field"], error["request_id"]) == ("invalid", "note", "f")
        # Still open and working.
        await socket.send({"type": "contribution.post", "request_id": "ok", "body": "Bien",
                           "parent": None, "idempotency_key": str(uuid.uuid4())})
        got = await socket.until("ack", "contribution.published")
        assert got["ack"]["request_id"] == "ok"
    assert await contribution_count() == 2


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[1, 2]",
        '{"type": "drop.tables"}',
        '{"type": "contribution.post", "body": 12, "idempotency_key": "x"}',
        '{"type": "contribution.post", "body": "Avis", "idempotency_key": "not-a-uuid"}',
        '{"type": "contribution.post", "body": "Avis", "parent": "1", "idempotency_key": "%s"}' % uuid.uuid4(),
        '{"type": "replay", "since": "12"}',
        '{"type": []}',
        "[" * 6000 + "]" * 6000,
    ],
)
async def test_malformed_frames_close_the_socket_and_store_nothing(open_thread, citizen, raw):
    async with watching(open_thread.key, user=citizen) as socket:
        await socket.communicator.send_to(text_data=raw)
        assert (await socket.frame_of("error"))["code"] == "malformed"
        assert await socket.closed_with() == 4400
    assert await contribution_count() == 0


async def test_binary_frames_are_malformed(open_thread):
    async with watching(open_thread.key) as socket:
        await socket.communicator.send_to(bytes_data=b"\x00\x01")
        assert (await socket.frame_of("error"))["code"] == "malformed"
        assert await socket.closed_with() == 4400


async def test_an_oversized_frame_closes_the_socket_and_stores_nothing(open_thread, citizen):
    async with watching(open_thread.key, user=citizen) as socket:
        body = "أ" * 20000
        await socket.send({"type": "contribution.post", "request_id": "big", "body": body,
                           "parent": None, "idempotency_key": str(uuid.uuid4())})
        assert (await socket.frame_of("error"))["code"] == "too_big"
        assert await socket.closed_with() == 4009
    assert await contribution_count() == 0


async def test_a_socket_sending_too_fast_is_closed(open_thread, settings):
    settings.DELIBERATION_REALTIME_RATE = "5/10 seconds"
    async with watching(open_thread.key) as socket:
        for _ in range(6):
            await socket.send({"type": "ping"})
        codes = []
        while True:
            frame = await socket.frame()
            codes.append(frame["type"] if frame["type"] != "error" else frame["code"])
            if frame["type"] == "error":
                break
        assert codes.count("pong") == 5 and codes[-1] == "rate_limited"
        assert await socket.closed_with() == 4429


# --- Moderation socket ----------------------------------------------------------------------------


@asynccontextmanager
async def moderation_socket(user=None, lang="fr"):
    headers = [HOST, ORIGIN]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(login_cookie)(user)))
    communicator = WebsocketCommunicator(application, f"/ws/moderation/?lang={lang}", headers=headers)
    try:
        connected, _ = await communicator.connect()
        assert connected
        yield Socket(communicator)
    finally:
        await communicator.disconnect()


async def test_the_moderation_socket_is_for_moderators(citizen):
    async with moderation_socket() as anonymous:
        assert (await anonymous.frame())["code"] == "login_required"
        assert await anonymous.closed_with() == 4401
    async with moderation_socket(citizen) as socket:
        assert (await socket.frame())["code"] == "forbidden"
        assert await socket.closed_with() == 4403


async def test_moderators_see_pending_items_reports_and_each_others_actions(
    make_consultation, site, citizen, user_factory, moderator_of
):
    from deliberation.services import contribution_flag, thread_for_page

    page = await database_sync_to_async(make_consultation)(moderation_mode="pre")
    thread = await database_sync_to_async(thread_for_page)(page=page)
    first, second = await database_sync_to_async(
        lambda: (moderator_of(site["institution"]["fr"], display_name="Sami"),
                 moderator_of(site["institution"]["fr"], display_name="Leila"))
    )()
    async with moderation_socket(first) as sami, moderation_socket(second, lang="en") as leila:
        assert (await sami.frame())["type"] == "moderation.hello"
        hello = await leila.frame()
        assert (hello["pending"], hello["flagged"]) == (0, 0)

        contribution = await post(citizen, thread, "À modérer")
        pending = await leila.frame()
        assert pending["type"] == "moderation.pending" and pending["id"] == contribution.pk
        assert pending["excerpt"] == "À modérer" and pending["author"] == "Amira"
        assert (await sami.frame())["id"] == contribution.pk

        contribution = await moderate(first, contribution, "approve")
        decided = await leila.frame()
        assert decided["type"] == "moderation.decided" and decided["actor"] == "Sami"
        assert (decided["action"], decided["action_label"]) == ("approve", "Approved")
        await sami.frame()

        reader = await database_sync_to_async(user_factory)()
        await database_sync_to_async(contribution_flag)(user=reader, contribution=contribution, reason="spam")
        flagged = await leila.frame()
        assert (flagged["type"], flagged["open_flags"], flagged["hidden"]) == ("moderation.flagged", 1, False)


async def test_a_moderator_of_another_institution_hears_nothing(make_consultation, citizen, moderator_of):
    from cms.models import InstitutionPage
    from deliberation.services import thread_for_page

    def other_institution_moderator():
        parent = InstitutionPage.objects.first().get_parent()
        other = parent.add_child(
            instance=InstitutionPage(
                title="Autre", slug="autre", kind="municipality", contact_email="autre@example.tn"
            )
        )
        return moderator_of(other)

    moderator = await database_sync_to_async(other_institution_moderator)()
    page = await database_sync_to_async(make_consultation)(moderation_mode="pre")
    thread = await database_sync_to_async(thread_for_page)(page=page)
    async with moderation_socket(moderator) as socket:
        assert (await socket.frame())["type"] == "moderation.hello"
        await post(citizen, thread, "Pas pour vous")
        assert await socket.communicator.receive_nothing(timeout=0.5)


def test_every_frame_type_the_server_sends_is_documented():
    """docs/realtime.md is the contract: each "type" the server code can send is in it."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "realtime.md").read_text()
    sources = "".join(
        (root / path).read_text()
        for path in (
            "deliberation/consumers.py",
            "deliberation/realtime/sockets.py",
            "deliberation/realtime/frames.py",
            "deliberation/realtime/events.py",
            "deliberation/realtime/hub.py",
            "deliberation/realtime/feed.py",
            "deliberation/realtime/cursor.py",
            "deliberation/services/contributions.py",
            "deliberation/services/moderation.py",
        )
    )
    sent = set(re.findall(r'"type": "([a-z]+\.[a-z_.]+|ack|error|pong)"', sources))
    sent |= set(re.findall(r'type="([a-z]+\.[a-z_]+)"', sources))
    sent |= set(re.findall(r'^\s+"(contribution\.[a-z]+|thread\.[a-z]+)",?$', sources, re.M))
    sent = {t for t in sent if not t.startswith("hub.") and not t.startswith("websocket.")}
    assert {"thread.hello", "contribution.published", "moderation.decided", "error"} <= sent
    missing = sorted(t for t in sent if f"`{t}`" not in doc and f'"type": "{t}"' not in doc)
    assert not missing, f"frame types sent but not in docs/realtime.md: {missing}"
    consumers = "".join(
        (root / path).read_text()
        for path in ("deliberation/consumers.py", "deliberation/realtime/sockets.py")
    )
    codes = set(re.findall(r"^(?:[A-Z_]+) = (\d{4})$", consumers, re.M))
    assert {"4009", "4011", "4400", "4403", "4404", "4429"} <= codes
    assert all(f"| {code} |" in doc for code in codes)
    error_codes = set(re.findall(r'refuse\(\s*"([a-z_]+)"', consumers))
    error_codes |= set(re.findall(r'"code": "([a-z_]+)"', consumers))
    error_codes |= {"not_found", "forbidden", "login_required"}  # REFUSAL_CLOSE's keys
    assert {"malformed", "too_big", "server_error", "rate_limited"} <= error_codes
    undocumented = sorted(
        code for code in error_codes if f"`{code}`" not in doc and f'"code": "{code}"' not in doc
    )
    assert not undocumented, f"error codes sent but not in docs/realtime.md: {undocumented}"


# --- Sockets that must not outlive their rights -----------------------------------------------------


async def test_a_failing_handler_closes_the_socket_and_frees_its_place(open_thread, citizen, monkeypatch):
    import deliberation.consumers as consumers

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(consumers, "contribution_post", broken)
    async with watching(open_thread.key, user=citizen) as socket:
        await socket.send({"type": "contribution.post", "request_id": "r", "body": "Avis",
                           "parent": None, "idempotency_key": str(uuid.uuid4())})
        assert (await socket.frame_of("error"))["code"] == "server_error"
        assert await socket.closed_with() == 4011
    async with watching(open_thread.key) as socket:
        assert socket.hello["watchers"] == 1  # the closed socket is not counted


async def test_readers_are_disconnected_when_the_page_becomes_private(open_thread, citizen):
    from wagtail.models import PageViewRestriction

    async with watching(open_thread.key) as anonymous, watching(open_thread.key, user=citizen) as member:
        await database_sync_to_async(
            lambda: PageViewRestriction.objects.create(
                page=open_thread.page, restriction_type=PageViewRestriction.LOGIN
            )
        )()
        [phase] = await anonymous.events(1)  # the change, then the re-check
        assert phase["type"] == "thread.phase"
        assert (await anonymous.frame_of("error", timeout=5))["code"] == "login_required"
        assert await anonymous.closed_with() == 4401
        [phase] = await member.events(1)
        assert phase["type"] == "thread.phase"  # still allowed: told, not closed
        contribution = await post(citizen, open_thread, "Toujours là")
        [event] = await member.events(1)
        assert event["id"] == contribution.pk


async def test_readers_are_disconnected_when_the_page_is_unpublished(open_thread):
    async with watching(open_thread.key) as socket:
        await database_sync_to_async(lambda: open_thread.page.specific.unpublish())()
        [phase] = await socket.events(1)
        assert (phase["type"], phase["open"]) == ("thread.phase", False)
        assert (await socket.frame_of("error", timeout=5))["code"] == "forbidden"
        assert await socket.closed_with() == 4403


async def test_a_logged_out_session_can_no_longer_write(open_thread, citizen):
    from django.contrib.sessions.models import Session

    async with watching(open_thread.key, user=citizen) as socket:
        await database_sync_to_async(lambda: Session.objects.all().delete())()  # logged out
        await socket.send({"type": "contribution.post", "request_id": "r", "body": "Avis",
                           "parent": None, "idempotency_key": str(uuid.uuid4())})
        assert (await socket.frame_of("error"))["code"] == "forbidden"
        assert await socket.closed_with() == 4403
    assert await contribution_count() == 0


async def test_replays_are_limited_per_socket(open_thread, citizen):
    await post(citizen, open_thread, "Un")
    async with watching(open_thread.key) as socket:
        await socket.send({"type": "replay", "since": 0})
        [event] = await socket.events(1)
        assert event["seq"] == 1
        await socket.send({"type": "replay", "since": 0})
        error = await socket.frame_of("error")
        assert error["code"] == "rate_limited" and error["retry_after"] == 2


async def test_fragments_link_to_the_readers_language(open_thread, citizen, user_factory):
    reader = await database_sync_to_async(user_factory)()
    async with watching(open_thread.key, lang="ar", user=reader) as arabic:
        await post(citizen, open_thread, "Un avis")  # posted in French
        [event] = await arabic.events(1)
        assert "/ar/deliberation/contributions/" in event["html"]
        assert "/fr/" not in event["html"]


async def test_a_moderator_whose_rights_were_removed_hears_nothing_more(
    make_consultation, site, citizen, moderator_of, monkeypatch
):
    import deliberation.consumers as consumers
    from deliberation.services import thread_for_page

    # Rights are trusted for MODERATOR_RECHECK seconds between notices: here, not at all.
    monkeypatch.setattr(consumers, "MODERATOR_RECHECK", -1)
    page = await database_sync_to_async(make_consultation)(moderation_mode="pre")
    thread = await database_sync_to_async(thread_for_page)(page=page)
    moderator = await database_sync_to_async(lambda: moderator_of(site["institution"]["fr"]))()
    async with moderation_socket(moderator) as socket:
        assert (await socket.frame())["type"] == "moderation.hello"
        await post(citizen, thread, "Premier")
        assert (await socket.frame())["type"] == "moderation.pending"
        await database_sync_to_async(lambda: moderator.groups.clear())()
        await post(citizen, thread, "Texte non publié")
        frame = await socket.frame()
        assert frame["type"] == "error" and frame["code"] == "forbidden"
        assert "Texte non publié" not in str(frame)
        assert await socket.closed_with() == 4403
