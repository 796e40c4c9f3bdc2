"""The index follows what editors publish and what moderators decide, at once, through the
signal handlers; and indexing never makes a citizen's post fail."""

import dataclasses
import datetime
import logging

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from consultations.models import ConsultationPage
from deliberation.models import ForumTopicPage, Status
from deliberation.services import contribution_moderate, thread_for_page
from search.backends.base import SearchRequest
from search.models import PendingIndexOperation, SearchDocument
from search.selectors import documents_search
from search.text import parse_query


# Real commits: indexing runs on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def found(q, **options):
    results = documents_search(request=SearchRequest(query=parse_query(q), page_size=50, **options))
    return {(hit.kind, hit.language, hit.title) for hit in results.hits}


def titles(q, **options):
    return {title for _kind, _language, title in found(q, **options)}


def test_a_published_consultation_is_found_by_its_draft(make_consultation, search_backend):
    page = make_consultation(
        title="Projet de code forestier",
        sections=(("Les forêts", "Protéger les chênes-lièges de Kroumirie."),),
    )
    assert found("kroumirie") == {("consultation", "fr", "Projet de code forestier")}
    hit = documents_search(request=SearchRequest(query=parse_query("lièges"))).hits[0]
    assert hit.url == page.url
    assert hit.status == "open"
    assert hit.institution == "el-kef"
    assert hit.topics == ["eau"]


def test_edits_replace_the_words_and_unpublishing_removes_them(make_consultation, search_backend):
    page = make_consultation(title="Projet sur les oliviers")
    assert titles("oliviers") == {"Projet sur les oliviers"}

    page.title = "Projet sur les palmiers"
    page.save_revision().publish()
    assert titles("oliviers") == set()
    assert titles("palmiers") == {"Projet sur les palmiers"}

    ConsultationPage.objects.get(pk=page.pk).unpublish()
    assert titles("palmiers") == set()


def test_a_draft_never_published_is_not_found(site, search_backend):
    institution = site["institution"]["fr"]
    draft = institution.add_child(
        instance=ForumTopicPage(title="Sujet en préparation", slug="brouillon", summary="Secret.", live=False)
    )
    draft.save_revision()
    assert titles("préparation") == set()


def test_a_page_restricted_to_some_readers_leaves_the_results(make_consultation, search_backend):
    page = make_consultation(title="Consultation des agents")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert titles("agents") == set()
    restriction.delete()
    assert titles("agents") == {"Consultation des agents"}
    restriction = PageViewRestriction.objects.create(
        page=page.get_parent(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Agents"))
    assert titles("agents") == set()  # restricted from above


def test_a_deleted_page_leaves_the_results(site, search_backend):
    institution = site["institution"]["fr"]
    topic = institution.add_child(
        instance=ForumTopicPage(title="Nappes phréatiques", slug="nappes", summary="Parlons-en.")
    )
    topic.save_revision().publish()
    assert found("phréatiques") == {("topic", "fr", "Nappes phréatiques")}
    ForumTopicPage.objects.get(pk=topic.pk).delete()
    assert found("phréatiques") == set()
    assert not SearchDocument.objects.filter(key=f"page-{topic.pk}").exists()


def test_policy_outcome_and_decision_are_found_by_their_text(
    site, make_consultation, make_outcome, make_decision, search_backend
):
    from search.services import search_index_rebuild

    search_index_rebuild()  # the site fixture's policy pages were published before the test
    assert ("policy", "ar", "الميزانية التشاركية") in found("السياسة")  # "نص السياسة"
    consultation = make_consultation(title="Projet de fontaines")
    outcome = make_outcome(
        consultation,
        responses=[{"theme": "Fontaines", "heard": "Vous demandez des abreuvoirs.",
                    "reasoning": "<p>Nous installons douze bornes.</p>"}],
    )
    assert found("abreuvoirs") == {("outcome", "fr", "Ce que nous avons entendu")}
    assert found("bornes") == {("outcome", "fr", "Ce que nous avons entendu")}
    make_decision(outcome, reference_kind="order", reference_number="2026-15",
                  body="<p>Les bornes-fontaines sont gratuites.</p>")
    decisions = documents_search(request=SearchRequest(query=parse_query("2026 15"), kinds=("decision",)))
    assert [hit.title for hit in decisions.hits] == ["Arrêté municipal sur les fontaines"]
    assert "2026-15" in decisions.hits[0].reference
    assert decisions.hits[0].status == "proposed"
    # Publishing the outcome moved the consultation to its outcome phase; the index follows.
    consultation_hit = documents_search(
        request=SearchRequest(query=parse_query("fontaines"), kinds=("consultation",))
    ).hits[0]
    assert consultation_hit.status == "outcome"


def test_contributions_follow_moderation_at_once(thread, trusted_citizen, post, moderator_of, search_backend):
    contribution = post(trusted_citizen, thread, "Il faut protéger les oueds du Mellègue.")
    assert {(kind, language) for kind, language, _title in found("mellègue")} == {("contribution", "fr")}
    assert found("mellegue") == found("mellègue")
    assert "Projet de code" in found("mellegue").pop()[2]  # its title names the discussion
    hit = documents_search(request=SearchRequest(query=parse_query("oueds"))).hits[0]
    assert hit.url.endswith(f"#contribution-{contribution.pk}")
    assert hit.extra["author"] == trusted_citizen.display_name

    moderator = moderator_of(thread.institution)
    contribution_moderate(moderator=moderator, contribution=contribution, action="hide", reason="off_topic")
    assert found("mellegue") == set()
    contribution_moderate(moderator=moderator, contribution=contribution, action="restore")
    assert {kind for kind, _l, _t in found("mellegue")} == {"contribution"}


def test_a_pending_contribution_is_found_only_once_approved(thread, citizen, post, moderator_of, settings, search_backend):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 5
    contribution = post(citizen, thread, "Les sources de Aïn Draham tarissent.")
    assert contribution.status == Status.PENDING
    assert found("draham") == set()
    contribution_moderate(moderator=moderator_of(thread.institution), contribution=contribution, action="approve")
    assert {kind for kind, _l, _t in found("draham")} == {"contribution"}


def test_an_edited_contribution_is_found_by_its_new_text(thread, trusted_citizen, post, search_backend):
    from deliberation.services import contribution_edit

    contribution = post(trusted_citizen, thread, "Première version sur les barrages.")
    contribution_edit(contribution=contribution, editor=trusted_citizen, body="Seconde version sur les puits.")
    assert found("barrages") == set()
    assert {kind for kind, _l, _t in found("puits")} == {"contribution"}


def test_unpublishing_the_consultation_takes_its_contributions_along(
    make_consultation, trusted_citizen, post, search_backend
):
    page = make_consultation()
    post(trusted_citizen, thread_for_page(page=page), "Un avis sur la Medjerda.")
    assert found("medjerda")
    ConsultationPage.objects.get(pk=page.pk).unpublish()
    assert found("medjerda") == set()
    ConsultationPage.objects.get(pk=page.pk).save_revision().publish()
    assert found("medjerda")


def test_a_phase_that_ran_out_by_date_is_read_so_by_the_search(make_consultation, search_backend):
    page = make_consultation(title="Consultation sur les dunes", closes_in=5)
    assert documents_search(request=SearchRequest(query=parse_query("dunes"))).hits[0].status == "open"
    # Five days later, without any edit: the consultation closed five minutes ago, by date.
    past = timezone.now() - datetime.timedelta(minutes=5)
    ConsultationPage.objects.filter(pk=page.pk).update(closes_at=past)
    SearchDocument.objects.filter(key=f"page-{page.pk}").update(closes_at=past)
    search_backend.sync()

    def search(*statuses):
        return documents_search(
            request=SearchRequest(query=parse_query("dunes"), statuses=statuses)
        )

    assert [hit.status for hit in search("closed").hits] == ["closed"]
    assert search("open").hits == []
    assert [(value.value, value.count) for value in search().facets["status"]] == [("closed", 1)]
    # Read so, not written again.
    assert SearchDocument.objects.get(key=f"page-{page.pk}").status == "open"


def test_an_upcoming_consultation_opens_by_date(make_consultation, search_backend):
    page = make_consultation(title="Consultation sur les oasis", opens_in=2)
    request = SearchRequest(query=parse_query("oasis"), statuses=("upcoming",))
    assert [hit.status for hit in documents_search(request=request).hits] == ["upcoming"]

    SearchDocument.objects.filter(key=f"page-{page.pk}").update(
        opens_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    search_backend.sync()
    assert documents_search(request=request).hits == []
    opened = dataclasses.replace(request, statuses=("open",))
    assert [hit.status for hit in documents_search(request=opened).hits] == ["open"]


def test_a_search_writes_nothing(make_consultation, search_backend):
    page = make_consultation(title="Consultation sur les salines", closes_in=5)
    SearchDocument.objects.filter(key=f"page-{page.pk}").update(
        closes_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    search_backend.sync()
    with CaptureQueriesContext(connection) as queries:
        results = documents_search(
            request=SearchRequest(query=parse_query("salines"), statuses=("closed",))
        )
    assert [hit.status for hit in results.hits] == ["closed"]
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []


def test_an_indexing_failure_never_fails_the_post_and_is_retried(
    thread, trusted_citizen, post, search_backend, monkeypatch, caplog
):
    import search.services

    real = search.services.document_for

    def broken(key, **kwargs):
        raise ConnectionError("search engine down")

    with monkeypatch.context() as patch:
        patch.setattr(search.services, "document_for", broken)
        with caplog.at_level(logging.ERROR, logger="search.services"):
            contribution = post(trusted_citizen, thread, "Un avis sur les citernes.")
    assert search.services.document_for is real
    assert contribution.pk and contribution.status == Status.PUBLISHED  # the post stands
    assert "search engine down" in caplog.text
    pending = PendingIndexOperation.objects.get()
    assert pending.key == f"contribution-{contribution.pk}"
    assert pending.attempts == 1
    assert found("citernes") == set()  # not indexed yet

    # The engine is back: the next indexing call retries what was kept.
    monkeypatch.setattr(search.services, "_last_retry", None)
    post(trusted_citizen, thread, "Un autre avis sur les puits.")
    assert not PendingIndexOperation.objects.exists()
    assert {kind for kind, _l, _t in found("citernes")} == {"contribution"}


def test_contributions_hidden_by_reports_or_deleted_leave_the_results(
    thread, trusted_citizen, user_factory, post, settings, search_backend
):
    from deliberation.models import Contribution
    from deliberation.services import contribution_flag

    settings.DELIBERATION_FLAG_THRESHOLD = 2
    reported = post(trusted_citizen, thread, "Texte injurieux sur les carrières.")
    kept = post(trusted_citizen, thread, "Un avis posé sur les sablières.")
    assert found("carrieres") and found("sablieres")
    for _ in range(2):
        contribution_flag(user=user_factory(trusted=True), contribution=reported, reason="abuse")
    assert found("carrieres") == set()
    Contribution.objects.filter(pk=kept.pk).delete()
    assert found("sablieres") == set()


def test_a_new_address_or_name_above_reaches_the_documents_beneath(
    make_consultation, make_outcome, make_decision, site, search_backend
):
    consultation = make_consultation(title="Projet sur les salines", slug="salines")
    outcome = make_outcome(consultation)
    make_decision(outcome, title="Arrêté sur les salines")

    def hits(kind):
        return documents_search(
            request=SearchRequest(query=parse_query("salines"), kinds=(kind,))
        ).hits

    assert "/salines/" in hits("decision")[0].url
    consultation.slug = "salines-2026"
    consultation.save_revision().publish()
    assert "/salines-2026/" in hits("decision")[0].url
    assert "/salines-2026/" in hits("consultation")[0].url

    institution = site["institution"]["fr"].specific
    institution.title = "Commune du Kef"
    institution.save_revision().publish()
    assert {hit.institution_name for hit in hits("decision") + hits("consultation")} == {
        "Commune du Kef"
    }


def test_a_moved_page_is_found_at_its_new_address(make_consultation, site, search_backend):
    from cms.models import InstitutionPage

    page = make_consultation(title="Projet sur les oasis de montagne")
    other = site["home"]["fr"].add_child(
        instance=InstitutionPage(title="Ministère", slug="ministere", kind="ministry",
                                 contact_email="m@example.tn")
    )
    other.save_revision().publish()
    ConsultationPage.objects.get(pk=page.pk).move(other, pos="last-child")
    hit = documents_search(request=SearchRequest(query=parse_query("oasis"))).hits[0]
    assert hit.url.startswith("/fr/ministere/")
    assert hit.institution == "ministere"


def test_a_restriction_above_a_discussion_hides_its_contributions(
    thread, trusted_citizen, post, search_backend
):
    post(trusted_citizen, thread, "Un avis sur les citronniers.")
    assert found("citronniers")
    PageViewRestriction.objects.create(page=thread.page, restriction_type=PageViewRestriction.LOGIN)
    assert found("citronniers") == set()


def test_a_new_display_name_reaches_the_contributions(thread, trusted_citizen, post, search_backend):
    post(trusted_citizen, thread, "Un avis sur les figuiers.")
    trusted_citizen.display_name = "A. B."
    trusted_citizen.save()
    hit = documents_search(request=SearchRequest(query=parse_query("figuiers"))).hits[0]
    assert hit.extra["author"] == "A. B."


def test_rebuild_command_indexes_everything_and_drops_what_is_gone(make_consultation, search_backend):
    from io import StringIO

    from django.core.management import call_command

    make_consultation(title="Consultation sur les oasis")
    SearchDocument.objects.all().delete()
    SearchDocument.objects.create(
        key="page-999999", kind="policy", language="fr", title="Fantôme", url="/fr/x/",
        date=timezone.now(), year=2026,
    )
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("rebuild_search_index", stdout=out, stderr=err)
    assert titles("oasis") == {"Consultation sur les oasis"}
    assert titles("fantôme") == set()
    count = SearchDocument.objects.count()
    assert f"{count} documents in the search index" in out.getvalue()
    assert "100%" in err.getvalue()  # the progress bar ran to its end
