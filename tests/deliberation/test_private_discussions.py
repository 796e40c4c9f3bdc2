"""A discussion behind a Wagtail view restriction (a shared password, groups, signed-in readers
only) or on a draft page stays private through every way in: its pages, the reply, report
and edit forms, reacting and contributing, the JSON API, the socket, the open data exports,
search (page, API, feed) and the e-mails. An outsider gets a refusal that names nothing (404,
or Wagtail's own log-in or password page), and nothing they send is stored; who may read the
page still can (docs/architecture.md, "Who may read a page")."""

import json
import uuid
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser, Group
from django.core import mail
from django.test import Client, RequestFactory
from wagtail.models import Page, PageViewRestriction

from deliberation.models import Contribution, Flag, Reaction, Status
from deliberation.services import contribution_post, thread_for_page
from tests.deliberation.sockets import watching

TITLE = "Barrage de Mellègue confidentiel"
SECTION = "Ouvrages hydrauliques"
OWN = "Mon avis ancien sur les vannes"
SECRET = "Le devis secret dépasse douze millions"
REPLY = "Réponse interne sur les turbines"
SECRETS = (TITLE, SECTION, OWN, SECRET, REPLY)
KINDS = ["password", "groups", "login", "draft"]
ALLOWING = ["groups", "login"]  # nobody reads a draft or a password page outside Wagtail's


def _post(author, thread, body, **kwargs):
    return contribution_post(
        author=author, thread=thread, body=body, idempotency_key=uuid.uuid4(), language="fr",
        **kwargs,
    ).contribution


@pytest.fixture(params=KINDS)
def private(request, make_consultation, user_factory, settings):
    """A consultation whose discussion was public, then ``restrict()``-ed one of four ways.

    ``former`` wrote ``own`` while it was public; ``insider`` (in the group allowed in)
    wrote ``secret`` and replied to ``own`` with ``reply``. ``outsider`` is who must be
    refused (``former``; anonymous for a log-in restriction), ``allowed`` who still reads
    (``insider`` for groups and log-in; nobody behind a password or on a draft)."""
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    kind = request.param
    page = make_consultation(title=TITLE, sections=((SECTION, "Le texte du barrage."),))
    thread = thread_for_page(page=page)
    members = Group.objects.create(name="Conseil municipal")
    insider = user_factory(display_name="Insider", preferred_language="fr")
    insider.groups.add(members)
    former = user_factory(display_name="Former", preferred_language="fr")
    own = _post(former, thread, OWN)
    secret = _post(insider, thread, SECRET)
    reply = _post(insider, thread, REPLY, parent_id=own.pk)

    def restrict(*, quietly: bool = False, on=None):
        """Apply the restriction (to the consultation, or to the page ``on``, one below it);
        ``quietly``: without the signals that tell open sockets."""
        if kind == "draft":
            draft = on or page
            if quietly:
                Page.objects.filter(pk=draft.pk).update(live=False)
            else:
                draft.unpublish()
            return
        target = on or (page.get_parent() if kind == "groups" else page)  # an ancestor's counts too
        restriction = PageViewRestriction(
            page=target, restriction_type=kind, password="sésame" if kind == "password" else ""
        )
        if quietly:
            [restriction] = PageViewRestriction.objects.bulk_create([restriction])
            if kind == "groups":
                PageViewRestriction.groups.through.objects.bulk_create(
                    [PageViewRestriction.groups.through(pageviewrestriction=restriction, group=members)]
                )
            return
        restriction.save()
        if kind == "groups":
            restriction.groups.add(members)

    return SimpleNamespace(
        kind=kind,
        page=page,
        thread=thread,
        insider=insider,
        former=former,
        own=own,
        secret=secret,
        reply=reply,
        restrict=restrict,
        outsider=None if kind == "login" else former,
        allowed=insider if kind in ("groups", "login") else None,
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def assert_refused(response, *, signed_in: bool):
    """A refusal naming nothing: 404 for a signed-in outsider, the log-in page otherwise."""
    if signed_in:
        assert response.status_code == 404
    else:
        assert response.status_code == 302 and "login" in response["Location"]
    text = body_of(response)
    for secret in SECRETS:
        assert secret not in text


def stored() -> tuple:
    """Everything an outsider could have added."""
    return (
        Contribution.objects.count(),
        Reaction.objects.count(),
        Flag.objects.count(),
        tuple(Contribution.objects.order_by("pk").values_list("body", flat=True)),
    )


# --- Pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pages_show_an_outsider_nothing(private):
    private.restrict()
    client = client_for(private.outsider)
    page = private.page
    section_id = page.sections[0].id
    for address in (page.url, page.url + page.reverse_subpage("section", args=[section_id])):
        response = client.get(address)
        # Wagtail's own refusals: its password form, its log-in page, or 404 for a draft.
        expected = {"password": 200, "groups": 302, "login": 302, "draft": 404}[private.kind]
        assert response.status_code == expected
        text = body_of(response)
        for secret in (SECTION, OWN, SECRET, REPLY):
            assert secret not in text
    permalink = client.get(f"/fr/deliberation/contributions/{private.secret.pk}/")
    assert_refused(permalink, signed_in=True)  # not behind log-in: 404 for anyone refused


@pytest.mark.django_db
@pytest.mark.parametrize("private", ALLOWING, indirect=True)
def test_the_pages_show_who_may_read_the_discussion(private):
    private.restrict()
    response = client_for(private.allowed).get(private.page.url)
    assert response.status_code == 200
    assert SECRET in body_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize("private", ["password"], indirect=True)
def test_behind_its_password_the_page_shows_the_discussion_read_only(private):
    from django.urls import reverse

    private.restrict()
    client = client_for(private.former)
    restriction = PageViewRestriction.objects.get()
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, private.page.pk]),
        {"password": "sésame", "return_url": private.page.url},
    )
    response = client.get(private.page.url)
    text = body_of(response)
    assert response.status_code == 200 and SECRET in text  # Wagtail let them in
    assert 'name="body"' not in text  # but no form to post
    before = stored()
    response = client.post(
        f"/fr/deliberation/threads/{private.thread.key}/contribute/",
        {"body": "Intrusion", "idempotency_key": str(uuid.uuid4())},
    )
    assert_refused(response, signed_in=True)
    assert stored() == before


# --- The forms -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reply_report_and_edit_forms_show_an_outsider_nothing(private):
    private.restrict()
    client = client_for(private.outsider)
    for address in (
        f"/fr/deliberation/contributions/{private.secret.pk}/reply/",
        f"/fr/deliberation/contributions/{private.secret.pk}/flag/",
        f"/fr/deliberation/contributions/{private.own.pk}/edit/",  # the outsider's own words
    ):
        assert_refused(client.get(address), signed_in=private.outsider is not None)


@pytest.mark.django_db
def test_an_outsider_can_neither_post_reply_react_report_nor_edit(private):
    private.restrict()
    client = client_for(private.outsider)
    before = stored()
    signed_in = private.outsider is not None
    base = "/fr/deliberation"
    attempts = [
        (f"{base}/threads/{private.thread.key}/contribute/",
         {"body": "Intrusion", "idempotency_key": str(uuid.uuid4())}),
        (f"{base}/threads/{private.thread.key}/contribute/",
         {"body": "Intrusion", "parent": private.secret.pk, "idempotency_key": str(uuid.uuid4())}),
        (f"{base}/contributions/{private.secret.pk}/react/", {"kind": "agree"}),
        (f"{base}/contributions/{private.secret.pk}/flag/", {"reason": "spam", "note": ""}),
        (f"{base}/contributions/{private.own.pk}/edit/", {"body": "Intrusion"}),
    ]
    for address, data in attempts:
        assert_refused(client.post(address, data), signed_in=signed_in)
    assert stored() == before


@pytest.mark.django_db
@pytest.mark.parametrize("private", ALLOWING, indirect=True)
def test_who_may_read_still_takes_part(private):
    private.restrict()
    client = client_for(private.allowed)
    base = "/fr/deliberation"
    reply_form = client.get(f"{base}/contributions/{private.own.pk}/reply/")
    assert reply_form.status_code == 200 and OWN in body_of(reply_form)
    assert client.get(f"{base}/contributions/{private.own.pk}/flag/").status_code == 200
    response = client.post(
        f"{base}/threads/{private.thread.key}/contribute/",
        {"body": "Toujours parmi nous", "idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert Contribution.objects.filter(body="Toujours parmi nous", status=Status.PUBLISHED).exists()
    client.post(f"{base}/contributions/{private.own.pk}/react/", {"kind": "agree"})
    assert Reaction.objects.filter(user=private.allowed, contribution=private.own).exists()


# --- The JSON API --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_neither_reads_nor_writes_for_an_outsider(private):
    private.restrict()
    client = client_for(private.outsider)
    address = f"/api/threads/{private.thread.key}/contributions/"
    response = client.get(address)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    for secret in SECRETS:
        assert secret not in body_of(response)
    before = stored()
    response = client.post(
        address,
        {"body": "Intrusion", "parent_id": private.secret.pk, "idempotency_key": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert response.status_code == (404 if private.outsider else 401)
    assert stored() == before
    if private.allowed is not None:
        allowed = client_for(private.allowed)
        assert SECRET in body_of(allowed.get(address))
        response = allowed.post(
            address, {"body": "Par l'API", "idempotency_key": str(uuid.uuid4())},
            content_type="application/json",
        )
        assert response.status_code == 201


# --- The socket ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_the_socket_neither_follows_nor_posts_for_an_outsider(private):

    await database_sync_to_async(private.restrict)()
    async with watching(private.thread.key, user=private.outsider, hello=False) as socket:
        error = await socket.frame_of("error")
        assert error["code"] == ("login_required" if private.kind == "login" else "forbidden")
        assert await socket.closed_with() == (4401 if private.kind == "login" else 4403)
    if private.allowed is not None:
        async with watching(private.thread.key, user=private.allowed) as socket:
            assert socket.hello["type"] == "thread.hello"


@pytest.mark.django_db(transaction=True)
async def test_a_socket_opened_before_the_page_became_private_cannot_post(private):
    """Made private without the signals that close open sockets: each frame is checked."""

    outsider = private.former  # signed in: an anonymous socket cannot post anyway
    before = await database_sync_to_async(stored)()
    async with watching(private.thread.key, user=outsider) as socket:
        await database_sync_to_async(private.restrict)(quietly=True)
        if private.kind == "login":
            return  # a signed-in socket may read a log-in page: nothing to refuse
        await socket.send({
            "type": "contribution.post", "request_id": "p", "body": "Intrusion",
            "parent": private.secret.pk, "idempotency_key": str(uuid.uuid4()),
        })
        assert (await socket.frame_of("error"))["request_id"] == "p"
        await socket.send({"type": "contribution.react", "request_id": "r",
                           "id": private.secret.pk, "kind": "agree"})
        assert (await socket.frame_of("error"))["request_id"] == "r"
        await socket.send({"type": "contribution.flag", "request_id": "f",
                           "id": private.secret.pk, "reason": "spam"})
        assert (await socket.frame_of("error"))["request_id"] == "f"
    assert await database_sync_to_async(stored)() == before


# --- Open data -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_exports_show_an_outsider_nothing(private):
    from django.http import Http404

    from consultations.exports import open_data, open_data_url

    private.restrict()
    client = client_for(private.outsider)
    for dataset in ("contributions", "moderation"):
        for fmt in ("csv", "json"):
            response = client.get(open_data_url(private.page, dataset, fmt))
            assert response.status_code in (200, 302, 404)
            assert response.status_code != 200 or private.kind == "password"  # Wagtail's form
            text = body_of(response)
            for secret in (OWN, SECRET, REPLY):
                assert secret not in text
    # Past Wagtail's own check (a browser that gave the password on the page, say): the
    # export itself refuses.
    request = RequestFactory().get("/")
    request.user = private.outsider or AnonymousUser()
    request.session = client.session
    for restriction in PageViewRestriction.objects.all():
        restriction.mark_as_passed(request)
    for fmt in ("csv", "json"):
        with pytest.raises(Http404):
            open_data(request, private.page, "contributions", fmt)
    if private.allowed is not None:
        response = client_for(private.allowed).get(open_data_url(private.page, "contributions", "csv"))
        assert response.status_code == 200 and SECRET in body_of(response)
        assert "private" in response["Cache-Control"]


# --- Search --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_nothing_of_it(private):
    from search.services import search_index_rebuild

    search_index_rebuild()
    assert "Mellègue" in body_of(Client().get("/fr/search/", {"q": "Mellègue"}))  # public: found
    private.restrict()
    search_index_rebuild()
    client = client_for(private.outsider)
    for query in ("Mellègue", "devis", "turbines", "vannes"):
        for response in (
            client.get("/fr/search/", {"q": query}),
            client.get("/fr/search/feed/", {"q": query}),
            client.get("/api/search/", {"q": query}),
        ):
            assert response.status_code == 200
            text = body_of(response)
            for secret in SECRETS:
                assert secret not in text


# --- E-mails -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nobody_is_emailed_words_of_a_discussion_they_may_not_read(private, settings):
    from consultations.notifications import closing_soon_send
    from consultations.services import consultation_follow
    from deliberation.notifications import moderation_decided, reply_published

    settings.CONSULTATIONS_CLOSING_REMINDER_DAYS = 30
    consultation_follow(user=private.former, consultation=private.page)
    private.restrict()
    mail.outbox.clear()
    reply_published(private.reply.pk)  # insider's reply to former's contribution
    Contribution.objects.filter(pk=private.own.pk).update(status=Status.HIDDEN, reason="spam")
    moderation_decided(private.own.pk, "hide")
    closing_soon_send()
    sent = [message.body + message.subject for message in mail.outbox]
    if private.kind == "login":  # the former contributor has an account: they may read it
        assert len(sent) == 3 and REPLY in sent[0]
    else:
        assert sent == []


DECISION = "Arrêté confidentiel sur les vannes"


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["consultation", "outcome", "decision"])
def test_nobody_is_emailed_an_outcome_or_decision_they_may_not_read(
    private, make_outcome, make_decision, where
):
    """Publishing the outcome and a decision's new status e-mail only who may read that page
    (``consultations.outcomes.notifications``), whether the consultation, the outcome or the decision
    itself is restricted; who may still read it is still e-mailed."""
    from consultations.outcomes.notifications import decision_status_send, outcome_published_send
    from consultations.services import consultation_follow

    consultation_follow(user=private.former, consultation=private.page)
    outcome = make_outcome(private.page, title="Ce que nous avons entendu en secret")
    decision = make_decision(outcome, title=DECISION, contributions=[private.own, private.secret])
    restricted = {"consultation": None, "outcome": outcome, "decision": decision}[where]
    private.restrict(on=restricted)
    mail.outbox.clear()
    outcome_published_send(outcome.pk)
    decision_status_send(decision.pk, "adopted")

    everyone = {private.former.email, private.insider.email}
    readers = {"login": everyone, "groups": {private.insider.email}}.get(private.kind, set())
    outcome_readers = everyone if where == "decision" else readers
    for message in mail.outbox:
        [to] = message.to
        text = message.subject + message.body
        hidden = () if to in readers else (DECISION, decision.slug)
        if to not in outcome_readers:
            hidden += (TITLE, outcome.slug)
        assert not [word for word in hidden if word in text], (to, text)
    # Who may read the outcome (and the decision under it) is still told of each.
    assert {m.to[0] for m in mail.outbox if TITLE in m.subject} == outcome_readers
    assert {m.to[0] for m in mail.outbox if DECISION in m.subject} == readers
