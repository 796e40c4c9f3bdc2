"""Stable section anchors, recorded versions and the diff between two versions."""


import pytest

from consultations.diff import inline_diff, sections_diff
from consultations.sections import Section
from tests.consultations.builders import republish
from tests.pages import draft

pytestmark = pytest.mark.django_db


def test_section_anchors_survive_a_new_revision(make_consultation, client):
    page = make_consultation(sections=(("Un", "Premier."), ("Deux", "Second.")))
    anchors = [s.anchor for s in page.sections]
    # An editor rewrites section 2 and inserts a section before it, in the admin's way:
    # existing blocks keep their ids, the new block gets a new one.
    ids = [s.id for s in page.sections]
    page = republish(
        page, (("Un", "Premier."), ("Nouveau", "Inséré."), ("Deux", "Second, réécrit.")),
        ids=[ids[0], "11111111-2222-3333-4444-555555555555", ids[1]],
    )
    assert [s.anchor for s in page.sections][0::2] == anchors
    assert [s.number for s in page.sections] == [1, 2, 3]
    html = client.get(page.url).content.decode()
    for anchor in anchors:
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html


def test_first_publication_is_version_one_and_each_changed_publication_the_next(make_consultation):
    page = make_consultation(sections=(("Un", "Premier."),))
    assert list(page.versions.values_list("number", flat=True)) == [1]
    ids = [s.id for s in page.sections]
    page.save_revision().publish()  # nothing in the draft changed
    assert page.versions.count() == 1
    page = republish(page, (("Un", "Premier, corrigé."),), ids=ids, note="Coquille corrigée.")
    versions = list(page.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].change_note == "Coquille corrigée."
    assert versions[1].sections[0]["text"] == "Premier, corrigé."
    assert versions[0].sections[0]["text"] == "Premier."


def test_before_opening_version_one_follows_the_draft(make_consultation):
    page = make_consultation(opens_in=3, closes_in=10, sections=(("Un", "Brouillon."),))
    ids = [s.id for s in page.sections]
    page = republish(page, (("Un", "Brouillon relu."),), ids=ids)
    assert list(page.versions.values_list("number", flat=True)) == [1]
    assert page.versions.get().sections[0]["text"] == "Brouillon relu."


def section(id, heading, text, number=1):
    return Section(id=id, number=number, heading=heading, html=f"<p>{text}</p>", text=text)


def test_diff_marks_each_section_added_removed_changed_or_unchanged():
    old = [section("a", "Un", "Même texte."), section("b", "Deux", "Ancien texte."), section("c", "Trois", "Supprimé.")]
    new = [section("a", "Un", "Même texte."), section("b", "Deux", "Nouveau texte."), section("d", "Quatre", "Ajouté.")]
    changes = sections_diff(old, new)
    assert [(c.section.id, c.status) for c in changes] == [
        ("a", "unchanged"),
        ("b", "changed"),
        ("c", "removed"),
        ("d", "added"),
    ]
    changed = changes[1]
    assert "<del>Ancien</del>" in changed.text_diff and "<ins>Nouveau</ins>" in changed.text_diff


def test_inline_diff_escapes_what_editors_wrote():
    diff = inline_diff("a <b>", "a <script>alert(1)</script>")
    assert "<script>" not in diff
    assert "&lt;script&gt;" in diff


def test_version_history_page_shows_the_diff_of_the_last_two_versions(make_consultation, client):
    page = make_consultation(sections=(("Un", "Premier."),))
    page = republish(page, (("Un", "Premier, corrigé."),), ids=[s.id for s in page.sections], note="Corrigé.")
    response = client.get(page.url + "versions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Corrigé." in html
    assert "<del>Premier.</del>" in html and "<ins>Premier, corrigé.</ins>" in html


@pytest.mark.parametrize("query", ["?old=1&new=7", "?old=x&new=2", "?old=1"])
def test_version_history_refuses_unknown_versions(make_consultation, client, query):
    page = make_consultation()
    response = client.get(page.url + "versions/" + query)
    assert response.status_code == 400
    assert "<ins>" not in response.content.decode()
