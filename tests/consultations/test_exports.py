"""Open data: a consultation's published contributions and moderation counts, as a journalist
or a researcher downloads them."""

import csv
import datetime
import io
import json
from collections import Counter

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, connections
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from consultations.exports import open_data_links, open_data_url
from consultations.models import ConsultationPage
from deliberation.models import Contribution, Reason, Status
from deliberation.services import contribution_moderate, contribution_react, thread_for_page

pytestmark = pytest.mark.django_db

ARABIC = "الماء حق للجميع، والأولوية لماء الشرب قبل الري.\nسطر ثان: «نعم»."
FORMULA = '=HYPERLINK("http://example.com/x","clic")'


def close(consultation):
    ConsultationPage.objects.filter(translation_key=consultation.translation_key).update(
        closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    return ConsultationPage.objects.get(pk=consultation.pk)


def url(page, dataset, fmt):
    return open_data_url(page, dataset, fmt)


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response_or_content) -> list[dict]:
    content = response_or_content
    if not isinstance(content, bytes):
        content = body_of(response_or_content)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def discussion(make_consultation, user_factory, post, moderator_of, site, make_outcome, make_decision):
    """A closed, pre-moderated consultation: three published contributions (one in Arabic,
    cited by the outcome and by a decision; a reply; one in a section), one hidden, one
    refused, one still pending."""
    consultation = make_consultation(opens_in=-10, closes_in=5, moderation_mode="pre")
    moderator = moderator_of(site["institution"]["fr"])
    whole = thread_for_page(page=consultation)
    section_id = consultation.sections[1].id
    section = thread_for_page(page=consultation, section_id=section_id)
    amira = user_factory(display_name="أميرة ب.")
    youssef = user_factory(display_name="Youssef K.")
    readers = [user_factory(display_name=f"Reader {n}") for n in range(3)]

    def published(contribution):
        return contribution_moderate(moderator=moderator, contribution=contribution, action="approve")

    arabic = published(post(amira, whole, ARABIC, language="ar"))
    reply = published(post(youssef, whole, "D'accord, et le prix ?", parent=arabic))
    formula = published(post(youssef, section, FORMULA))
    hidden = published(post(youssef, whole, "SECRET-HIDDEN texte"))
    contribution_moderate(moderator=moderator, contribution=hidden, action="hide", reason="spam")
    refused = post(youssef, whole, "SECRET-REFUSED texte")
    contribution_moderate(moderator=moderator, contribution=refused, action="reject", reason="abuse")
    pending = post(amira, section, "SECRET-PENDING texte")
    for reader, kind in zip(readers, ["agree", "agree", "disagree"]):
        contribution_react(user=reader, contribution=arabic, kind=kind)
    consultation = close(consultation)
    outcome = make_outcome(
        consultation, responses=[{"theme": "Eau potable", "contributions": [arabic]}]
    )
    decision = make_decision(outcome, contributions=[arabic], title="Arrêté sur l'eau potable")
    return {
        "consultation": consultation,
        "whole": whole,
        "section": section,
        "section_id": section_id,
        "arabic": Contribution.objects.get(pk=arabic.pk),
        "reply": reply,
        "formula": formula,
        "hidden": hidden,
        "refused": refused,
        "pending": pending,
        "outcome": outcome,
        "decision": decision,
    }


def test_csv_lists_the_published_contributions_with_their_fields(client, discussion):
    consultation = discussion["consultation"]
    response = client.get(url(consultation, "contributions", "csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.now().date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{consultation.slug}-contributions-{today}.csv"'
    )
    assert response["Cache-Control"].startswith("public, max-age=")
    content = body_of(response)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8

    rows = csv_rows(content)
    assert list(rows[0]) == [
        "id", "thread", "section", "version", "parent", "display_name", "created", "text",
        "agree", "disagree", "cited_by",
    ]
    by_id = {int(row["id"]): row for row in rows}
    arabic, reply, formula = discussion["arabic"], discussion["reply"], discussion["formula"]
    assert set(by_id) == {arabic.pk, reply.pk, formula.pk}

    row = by_id[arabic.pk]
    assert row["thread"] == discussion["whole"].key
    assert row["section"] == ""
    assert row["version"] == "1"
    assert row["parent"] == ""
    assert row["display_name"] == "أميرة ب."
    assert row["text"] == ARABIC  # Arabic, and its line break, round-trip
    assert row["created"] == arabic.created_at.astimezone(datetime.timezone.utc).isoformat(
        timespec="seconds"
    ).replace("+00:00", "Z")
    assert (row["agree"], row["disagree"]) == ("2", "1")
    cited_by = row["cited_by"].split(" ")
    assert sorted(cited_by) == sorted(
        [
            "http://testserver" + discussion["outcome"].url
            + f"#response-{discussion['outcome'].responses.get().pk}",
            "http://testserver" + discussion["decision"].url,
        ]
    )

    assert by_id[reply.pk]["parent"] == str(arabic.pk)
    assert by_id[reply.pk]["cited_by"] == ""
    assert by_id[formula.pk]["section"] == discussion["section_id"]
    assert by_id[formula.pk]["thread"] == discussion["section"].key
    # A formula a citizen typed stays text in a spreadsheet.
    assert by_id[formula.pk]["text"] == "'" + FORMULA

    for key in ("hidden", "refused", "pending"):
        assert str(discussion[key].pk) not in {row["id"] for row in rows}
    assert b"SECRET" not in content


def test_json_lists_the_published_contributions_with_their_fields(client, discussion):
    consultation = discussion["consultation"]
    response = client.get(url(consultation, "contributions", "json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f"{consultation.slug}-contributions-" in response["Content-Disposition"]
    assert "SECRET" not in response.content.decode()
    data = json.loads(response.content)

    assert data["consultation"]["id"] == consultation.pk
    assert data["consultation"]["title"] == consultation.title
    assert data["consultation"]["url"] == "http://testserver" + consultation.url
    assert data["license"]
    assert datetime.datetime.fromisoformat(data["generated_at"]) <= timezone.now()

    by_id = {item["id"]: item for item in data["contributions"]}
    arabic, reply, formula = discussion["arabic"], discussion["reply"], discussion["formula"]
    assert set(by_id) == {arabic.pk, reply.pk, formula.pk}
    item = by_id[arabic.pk]
    assert item["text"] == ARABIC
    assert item["display_name"] == "أميرة ب."
    assert (item["section"], item["version"], item["parent"]) == ("", 1, None)
    assert (item["agree"], item["disagree"]) == (2, 1)
    assert len(item["cited_by"]) == 2
    assert any("#response-" in link for link in item["cited_by"])
    assert "http://testserver" + discussion["decision"].url in item["cited_by"]
    assert by_id[reply.pk]["parent"] == arabic.pk
    assert by_id[reply.pk]["cited_by"] == []
    assert by_id[formula.pk]["text"] == FORMULA  # JSON keeps every text exactly as written
    # Raw UTF-8, not \u escapes: the file reads as Arabic in any editor.
    assert "أميرة" in response.content.decode()


def test_every_translation_exports_the_same_contributions(client, discussion):
    from cms.services import page_translation_ensure
    from wagtail.models import Locale

    consultation = discussion["consultation"]
    arabic_page = page_translation_ensure(
        page=consultation, locale=Locale.objects.get(language_code="ar"), title="مشروع"
    )
    french = {int(row["id"]) for row in csv_rows(client.get(url(consultation, "contributions", "csv")))}
    rows = csv_rows(client.get(url(arabic_page, "contributions", "csv")))
    assert {int(row["id"]) for row in rows} == french
    assert ARABIC in {row["text"] for row in rows}


def test_moderation_counts_by_reason_without_texts_or_authors(client, discussion, moderator_of, site, post, user_factory):
    consultation = discussion["consultation"]
    # One more hidden, for another reason.
    ConsultationPage.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    moderator = moderator_of(site["institution"]["fr"])
    extra = post(user_factory(display_name="Nadia"), discussion["whole"], "SECRET-EXTRA")
    contribution_moderate(moderator=moderator, contribution=extra, action="approve")
    contribution_moderate(
        moderator=moderator, contribution=extra, action="hide", reason="personal_data"
    )
    close(consultation)

    everything = Contribution.objects.filter(thread__translation_key=consultation.translation_key)
    expected = Counter(everything.values_list("status", "reason"))
    published = everything.filter(status=Status.PUBLISHED).count()
    assert published == 3

    data = json.loads(client.get(url(consultation, "moderation", "json")).content)
    assert data["published"] == published
    labels = dict(Reason.choices)
    for status in ("hidden", "rejected"):
        rows = data[status]
        assert {(row["reason"], row["contributions"]) for row in rows} == {
            (reason, n) for (s, reason), n in expected.items() if s == status
        }
        for row in rows:
            assert row["label"] == str(labels[row["reason"]])
        assert data[f"{status}_total"] == sum(n for (s, _), n in expected.items() if s == status)
    assert data["hidden_total"] == 2 and data["rejected_total"] == 1

    response = client.get(url(consultation, "moderation", "csv"))
    assert response.status_code == 200
    content = body_of(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {(row["status"], row["reason"]): int(row["contributions"]) for row in rows} == {
        ("published", ""): published,
        **{key: n for key, n in expected.items() if key[0] in ("hidden", "rejected")},
    }
    for text in ("SECRET", "Youssef", "Nadia", "أميرة"):
        assert text not in content
        assert text not in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "dataset, fmt",
    [("authors", "csv"), ("contributions", "xml"), ("moderation", "xlsx"), ("Contributions", "CSV")],
)
def test_unknown_dataset_or_format_is_not_found(client, discussion, dataset, fmt):
    consultation = discussion["consultation"]
    address = url(consultation, "contributions", "csv")
    assert client.get(address).status_code == 200
    wrong = address.replace("contributions/csv/", f"{dataset}/{fmt}/")
    assert wrong != address
    assert client.get(wrong).status_code == 404


def test_an_unpublished_consultation_has_no_open_data(client, discussion, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from consultations.exports import open_data

    consultation = discussion["consultation"]
    address = url(consultation, "contributions", "csv")
    consultation.unpublish()
    assert client.get(address).status_code == 404
    assert client.get(url(consultation, "moderation", "json")).status_code == 404
    request = rf.get(address)
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        open_data(request, ConsultationPage.objects.get(pk=consultation.pk), "contributions", "csv")


def test_a_private_consultation_shares_its_data_only_with_who_may_read_it(client, discussion, user_factory):
    consultation = discussion["consultation"]
    PageViewRestriction.objects.create(page=consultation, restriction_type="login")
    address = url(consultation, "contributions", "json")
    response = client.get(address)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(user_factory())
    response = client.get(address)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_open_data_links_point_at_the_four_files(client, discussion):
    links = open_data_links(discussion["consultation"])
    assert len(links) == 4
    assert len({label for label, _ in links}) == 4
    for _, address in links:
        assert client.get(address).status_code == 200


def _queries(client, page, dataset, fmt) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(page, dataset, fmt))
        body_of(response)
    assert response.status_code == 200
    return len(queries)


def _consultation_with(size, make_consultation, post, user_factory, make_outcome, make_decision):
    consultation = make_consultation(opens_in=-10, closes_in=5)
    thread = thread_for_page(page=consultation)
    section = thread_for_page(page=consultation, section_id=consultation.sections[0].id)
    authors = [user_factory(display_name=f"Auteur {n}") for n in range(size)]
    made = []
    for n, author in enumerate(authors):
        made.append(post(author, section if n % 2 else thread, f"Avis {n}", parent=None))
    for n, author in enumerate(authors[:-1]):
        contribution_react(user=author, contribution=made[n + 1], kind="agree")
    consultation = close(consultation)
    outcome = make_outcome(
        consultation,
        responses=[
            {"theme": "A", "contributions": made[: size // 2]},
            {"theme": "B", "contributions": made[size // 2 :]},
        ],
    )
    make_decision(outcome, contributions=made)
    return consultation


def test_queries_do_not_grow_with_the_number_of_contributions(
    client, make_consultation, post, user_factory, make_outcome, make_decision, settings
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    settings.DELIBERATION_POST_RATE_PER_IP = ["100000/minute"]
    small = _consultation_with(2, make_consultation, post, user_factory, make_outcome, make_decision)
    large = _consultation_with(20, make_consultation, post, user_factory, make_outcome, make_decision)
    for dataset in ("contributions", "moderation"):
        for fmt in ("csv", "json"):
            _queries(client, small, dataset, fmt)  # warm the site and locale caches
            assert _queries(client, small, dataset, fmt) == _queries(client, large, dataset, fmt)
    rows = csv_rows(client.get(url(large, "contributions", "csv")))
    assert len(rows) == 20
    assert all(len(row["cited_by"].split(" ")) == 2 for row in rows)


@pytest.mark.django_db(transaction=True)
async def test_the_csv_streams_under_asgi(discussion, recwarn):
    """Served by daphne: the file goes out in parts, read from an asynchronous iterator (Django
    would otherwise read a synchronous one whole, with a warning)."""
    response = await AsyncClient().get(url(discussion["consultation"], "contributions", "csv"))
    assert response.status_code == 200
    assert response.is_async
    content = b"".join([part async for part in response.streaming_content])
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert ARABIC in {row["text"] for row in rows}
    assert not [w for w in recwarn if "StreamingHttpResponse" in str(w.message)]
    # The test client keeps request_finished from closing the connection that the worker
    # thread opened (daphne's requests close it); close it so the test database can go.
    await sync_to_async(connections.close_all, thread_sensitive=True)()
