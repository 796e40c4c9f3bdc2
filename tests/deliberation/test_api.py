import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import DraftVersion
from deliberation.models import Contribution, Status, WatchedWord, WatchedWordAction
from deliberation.services import contribution_moderate, thread_for_page, thread_lock

pytestmark = pytest.mark.django_db


def url(thread) -> str:
    return f"/api/threads/{thread.key}/contributions/"


def send(client, thread, body="Un avis argumenté.", *, key=None, parent_id=None, **extra):
    payload = {"body": body, "idempotency_key": str(key or uuid.uuid4())}
    if parent_id is not None:
        payload["parent_id"] = parent_id
    return client.post(url(thread), payload, content_type="application/json", **extra)


@pytest.fixture
def moderator(site, moderator_of):
    return moderator_of(site["institution"]["fr"])


# --- Reading ---------------------------------------------------------------------------------


def test_thread_is_nested_in_reading_order(client, thread, trusted_citizen, user_factory, post):
    other = user_factory(display_name="Karim", email="karim.secret@example.tn")
    first = post(trusted_citizen, thread, "Premier avis <script>alert(1)</script>")
    second = post(other, thread, "Deuxième avis")
    reply = post(other, thread, "Je réponds", parent=first)
    deeper = post(trusted_citizen, thread, "Et moi à toi", parent=reply)
    later_reply = post(other, thread, "Une autre réponse", parent=first)

    response = client.get(url(thread))

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert data["thread"] == {
        "key": thread.key, "kind": "consultation", "locked": False, "section_anchor": None,
    }
    assert [item["id"] for item in data["items"]] == [first.pk, second.pk]
    top = data["items"][0]
    assert [r["id"] for r in top["replies"]] == [reply.pk, later_reply.pk]
    assert [r["id"] for r in top["replies"][0]["replies"]] == [deeper.pk]
    assert top["replies"][0]["replies"][0]["depth"] == 3
    assert top["replies"][0]["parent_id"] == first.pk
    assert top["author"] == "Amira"
    assert top["status"] == "published"
    assert "&lt;script&gt;" in top["body_html"] and "<script>" not in top["body_html"]
    assert top["edited"] is False
    assert top["reactions"] == {"agree": 0, "disagree": 0}
    assert top["pinned"] is False and top["official"] is False
    assert top["draft_version"] == 1
    assert data["items"][1]["author"] == "Karim"
    assert "karim.secret" not in response.content.decode()


def test_section_thread_items_carry_the_section_anchor(
    client, make_consultation, trusted_citizen, post
):
    page = make_consultation()
    section = page.sections[1]
    thread = thread_for_page(page=page, section_id=section.id)
    post(trusted_citizen, thread, "Sur la section")

    data = client.get(url(thread)).json()

    assert data["thread"]["kind"] == "section"
    assert data["items"][0]["section_anchor"] == f"section-{section.id}"


def test_reactions_pins_and_official_marks_are_shown(
    client, thread, trusted_citizen, user_factory, post, moderator
):
    from deliberation.services import contribution_react

    contribution = post(trusted_citizen, thread, "À épingler")
    for kind in ("agree", "agree", "disagree"):
        contribution_react(user=user_factory(), contribution=contribution, kind=kind)
    contribution_moderate(moderator=moderator, contribution=contribution, action="pin")
    answer = post(moderator, thread, "Réponse officielle", parent=contribution)
    contribution_moderate(moderator=moderator, contribution=answer, action="mark_official")

    item = client.get(url(thread)).json()["items"][0]

    assert item["reactions"] == {"agree": 2, "disagree": 1}
    assert item["pinned"] is True
    assert item["replies"][0]["official"] is True


def test_pinned_conversations_come_first_as_on_the_page(client, thread, trusted_citizen, post, moderator):
    first = post(trusted_citizen, thread, "Premier")
    later = post(trusted_citizen, thread, "Plus tard")
    contribution_moderate(moderator=moderator, contribution=later, action="pin")

    items = client.get(url(thread)).json()["items"]

    assert [item["id"] for item in items] == [later.pk, first.pk]
    html = client.get(thread.page.url).content.decode()
    assert html.index("Plus tard") < html.index("Premier")


def test_pages_of_top_level_contributions(client, thread, trusted_citizen, post, settings):
    settings.DELIBERATION_API_PAGE_SIZE = 2
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["100/minute"]
    roots = [post(trusted_citizen, thread, f"Avis {n}") for n in range(5)]
    post(trusted_citizen, thread, "Réponse", parent=roots[2])

    first = client.get(url(thread)).json()
    second = client.get(first["next"]).json()
    last = client.get(url(thread) + "?page=3").json()

    assert (first["count"], first["page"], first["pages"]) == (5, 1, 3)
    assert [i["id"] for i in first["items"]] == [roots[0].pk, roots[1].pk]
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{url(thread)}?page=2"
    assert [i["id"] for i in second["items"]] == [roots[2].pk, roots[3].pk]
    assert len(second["items"][0]["replies"]) == 1
    assert second["previous"].endswith("?page=1")
    assert [i["id"] for i in last["items"]] == [roots[4].pk]
    assert last["next"] is None
    assert client.get(url(thread) + "?page=4").status_code == 404
    assert client.get(url(thread) + "?page=0").status_code == 422


def test_hidden_contribution_is_a_placeholder_only_above_published_replies(
    client, thread, trusted_citizen, user_factory, post, moderator
):
    answered = post(trusted_citizen, thread, "Texte insultant")
    sami = user_factory(display_name="Sami")
    reply = post(sami, thread, "Réponse restée en ligne", parent=answered)
    lonely = post(trusted_citizen, thread, "Autre texte retiré")
    for contribution in (answered, lonely):
        contribution_moderate(
            moderator=moderator, contribution=contribution, action="hide", reason="abuse"
        )

    response = client.get(url(thread), HTTP_ACCEPT_LANGUAGE="en")

    data = response.json()
    assert data["count"] == 1
    [placeholder] = data["items"]
    assert placeholder["id"] == answered.pk
    assert placeholder["status"] == "hidden"
    assert placeholder["reason"] == "abuse"
    assert placeholder["reason_label"] == "Insults, threats or hate"
    assert placeholder["author"] is None and placeholder["body_html"] is None
    assert [r["id"] for r in placeholder["replies"]] == [reply.pk]
    assert "Texte insultant" not in response.content.decode()
    assert "Amira" not in response.content.decode()


def test_pending_and_rejected_contributions_never_appear(
    client, thread, trusted_citizen, user_factory, post, moderator, settings
):
    shown = post(trusted_citizen, thread, "Publié")
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 2
    newcomer = user_factory(display_name="Nouveau")
    waiting = post(newcomer, thread, "En attente")
    refused = post(newcomer, thread, "Refusé")
    contribution_moderate(moderator=moderator, contribution=refused, action="reject", reason="spam")
    assert waiting.status == Status.PENDING

    response = client.get(url(thread))

    assert [i["id"] for i in response.json()["items"]] == [shown.pk]
    assert response.json()["count"] == 1
    assert "Nouveau" not in response.content.decode()


def test_unknown_or_unpublished_thread_is_a_json_404(
    client, make_consultation, trusted_citizen, post
):
    page = make_consultation()
    thread = thread_for_page(page=page)
    post(trusted_citizen, thread)

    unknown = client.get("/api/threads/c-doesnotexist/contributions/", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 404
    assert unknown.json() == {
        "code": "not_found",
        "message": "This discussion does not exist or is not published.",
    }
    page.unpublish()
    assert client.get(url(thread)).status_code == 404
    client.force_login(trusted_citizen)
    assert send(client, thread).status_code == 404
    assert Contribution.objects.count() == 1


def test_the_key_a_page_advertises_works_before_anyone_has_posted(
    client, make_consultation, trusted_citizen
):
    page = make_consultation()
    key = client.get(page.url).content.decode().split('data-thread-key="')[1].split('"')[0]
    assert client.get(f"/api/threads/{key}/contributions/").json()["count"] == 0
    client.force_login(trusted_citizen)
    response = client.post(
        f"/api/threads/{key}/contributions/",
        {"body": "Premier avis", "idempotency_key": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Contribution.objects.get().thread.key == key
    section_key = f"s-{page.translation_key.hex}-not-a-section"
    assert client.get(f"/api/threads/{section_key}/contributions/").status_code == 404


# --- Posting ---------------------------------------------------------------------------------


def test_post_creates_once_and_replays_the_same_key(client, thread, trusted_citizen):
    client.force_login(trusted_citizen)
    key = uuid.uuid4()

    created = send(client, thread, "Mon avis", key=key)
    replayed = send(client, thread, "Mon avis", key=key)

    assert created.status_code == 201
    assert replayed.status_code == 200
    assert created.json() == replayed.json()
    body = created.json()
    assert body["status"] == "published"
    assert body["author"] == "Amira"
    assert body["body_html"] == "<p>Mon avis</p>"
    assert body["parent_id"] is None and body["replies"] == []
    assert Contribution.objects.filter(thread=thread).count() == 1
    assert [i["id"] for i in client.get(url(thread)).json()["items"]] == [body["id"]]


def test_post_reports_a_contribution_awaiting_moderation_as_pending(client, thread, citizen):
    client.force_login(citizen)  # a new account: its first contributions wait for a moderator

    response = send(client, thread, "Mon premier avis")

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert client.get(url(thread)).json()["items"] == []


def test_post_a_reply_in_the_request_language_and_from_the_client_address(
    client, thread, trusted_citizen, user_factory, post, settings
):
    settings.DELIBERATION_POST_RATE_PER_IP = ["1/minute"]
    parent = post(user_factory(), thread, "Question")
    client.force_login(trusted_citizen)

    response = send(
        client, thread, "Answer", parent_id=parent.pk,
        HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 201
    assert response.json()["parent_id"] == parent.pk
    assert response.json()["depth"] == 2
    assert Contribution.objects.get(pk=response.json()["id"]).language == "en"
    # The per-address limit counts that address, not others.
    other = Client()
    other.force_login(user_factory())
    assert send(other, thread, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert send(other, thread, REMOTE_ADDR="198.51.100.2").status_code == 201


def test_reply_to_an_unknown_parent_is_refused(
    client, thread, trusted_citizen, make_consultation, post
):
    elsewhere = post(trusted_citizen, thread_for_page(page=make_consultation()), "Ailleurs")
    client.force_login(trusted_citizen)

    for parent_id in (987654, elsewhere.pk):
        response = send(client, thread, parent_id=parent_id, HTTP_ACCEPT_LANGUAGE="en")
        # Documented as 404: a schema-valid id that names nothing here (OpenAPI contract).
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert "does not exist" in response.json()["message"]
    assert not Contribution.objects.filter(thread=thread).exists()


@pytest.mark.parametrize(
    "body, code, message",
    [
        ("   \n ", "invalid", "Write something before sending."),
        ("x" * 5001, "invalid", "at most 5000 characters"),
        ("Quelle arnaque ce projet", "blocked", "arnaque"),
    ],
)
def test_post_refuses_empty_oversized_or_blocked_text(
    client, thread, trusted_citizen, body, code, message
):
    WatchedWord.objects.create(phrase="arnaque", action=WatchedWordAction.BLOCK)
    client.force_login(trusted_citizen)

    response = send(client, thread, body, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert message in response.json()["message"]
    assert not Contribution.objects.exists()


def test_post_to_a_closed_consultation_is_forbidden(client, make_consultation, trusted_citizen):
    thread = thread_for_page(page=make_consultation(opens_in=-10, closes_in=-1))
    client.force_login(trusted_citizen)

    response = send(client, thread, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "This discussion is not open for contributions.",
    }
    assert not Contribution.objects.exists()


def test_post_to_a_locked_thread_is_forbidden(client, thread, trusted_citizen, moderator):
    thread_lock(moderator=moderator, thread=thread, locked=True)
    client.force_login(trusted_citizen)

    response = send(client, thread, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "locked" in response.json()["message"]
    assert client.get(url(thread)).json()["thread"]["locked"] is True
    assert not Contribution.objects.exists()


def test_posting_too_fast_is_a_429_with_retry_after(client, thread, trusted_citizen, settings):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["1/minute"]
    client.force_login(trusted_citizen)

    assert send(client, thread).status_code == 201
    response = send(client, thread, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert "too fast" in response.json()["message"]
    assert 1 <= int(response["Retry-After"]) <= 61
    assert Contribution.objects.count() == 1


def test_a_lone_surrogate_in_the_body_is_a_400_not_a_500(client, thread, trusted_citizen):
    client.force_login(trusted_citizen)
    response = send(client, thread, "\ud800 x", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "invalid character" in response.json()["message"]
    assert not Contribution.objects.exists()


def test_anonymous_post_is_a_401(client, thread):
    response = send(client, thread)

    assert response.status_code == 401
    assert not Contribution.objects.exists()


def test_post_needs_the_csrf_token(thread, trusted_citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trusted_citizen)

    refused = send(client, thread)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    accepted = send(client, thread, HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert Contribution.objects.count() == 1


def test_post_without_an_idempotency_key_is_rejected(client, thread, trusted_citizen):
    client.force_login(trusted_citizen)

    response = client.post(url(thread), {"body": "Sans clé"}, content_type="application/json")

    assert response.status_code == 422
    assert not Contribution.objects.exists()


# --- OpenAPI and query counts ----------------------------------------------------------------


def test_openapi_documents_the_thread_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    operations = schema["paths"]["/api/threads/{thread_key}/contributions/"]

    assert operations["get"]["summary"] and operations["post"]["summary"]
    assert operations["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ThreadPageOut"
    }
    assert {"200", "201", "400", "401", "403", "404", "429"} <= set(operations["post"]["responses"])
    assert operations["post"]["security"] == [{"SessionAuth": []}]
    contribution = schema["components"]["schemas"]["ContributionOut"]
    assert {"id", "parent_id", "author", "body_html", "reactions", "replies", "status"} <= set(
        contribution["properties"]
    )
    assert "idempotency_key" in schema["components"]["schemas"]["ContributionIn"]["required"]


def _fill(thread, authors, total: int, hidden_every: int = 7) -> None:
    """``total`` contributions in conversations of five (a root, two replies, two deeper),
    written straight to the table with the paths the service would give them."""
    number = 0
    version = DraftVersion.objects.get(consultation_id=thread.page_id, number=1)

    def row(parent, author, n):
        nonlocal number
        number += 1
        return Contribution(
            thread=thread,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            path=(parent.path if parent else "") + f"{number:08d}",
            depth=parent.depth + 1 if parent else 1,
            author=author,
            body=f"Avis {n}",
            body_html=f"<p>Avis {n}</p>",
            status=Status.HIDDEN if n % hidden_every == 0 else Status.PUBLISHED,
            reason="spam" if n % hidden_every == 0 else "",
            idempotency_key=uuid.uuid4(),
            draft_version=version,
        )

    conversations = total // 5
    roots = Contribution.objects.bulk_create(
        [row(None, authors[i % len(authors)], i * 5) for i in range(conversations)]
    )
    replies = Contribution.objects.bulk_create(
        [
            row(root, authors[(i + 1) % len(authors)], i * 5 + k)
            for i, root in enumerate(roots)
            for k in (1, 2)
        ]
    )
    Contribution.objects.bulk_create(
        [
            row(reply, authors[i % len(authors)], i * 5 + 3 + i % 2)
            for i, reply in enumerate(replies)
        ]
    )
    thread.last_number = number
    thread.save(update_fields=["last_number"])


def test_reading_costs_the_same_queries_for_10_and_500_contributions(
    client, make_consultation, user_factory
):
    authors = [user_factory() for _ in range(5)]
    small = thread_for_page(page=make_consultation())
    large = thread_for_page(page=make_consultation())
    _fill(small, authors, 10)
    _fill(large, authors, 500)
    assert Contribution.objects.filter(thread=large).count() == 500

    counts = {}
    for thread in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(thread))
        assert response.status_code == 200
        counts[thread.pk] = len(queries)

    assert counts[small.pk] == counts[large.pk] <= 6
    data = response.json()
    assert data["pages"] == 5
    assert len(data["items"]) == 20
    assert all(len(item["replies"]) >= 1 for item in data["items"])
    assert {item["draft_version"] for item in data["items"] if item["status"] == "published"} == {1}
