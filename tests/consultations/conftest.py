"""Fixtures shared by the consultations tests."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from cms.models import InstitutionPage
from cms.services import institution_group_names


@pytest.fixture
def two_institutions(site, user_factory, institution_page_factory):
    """El Kef (the site's) and a second institution, Ministère B, each with an editor and an
    approver in its groups: {"a": …, "b": …, "people": {slug: {"editor", "approver"}}}."""
    home = site["home"]["fr"]
    other = institution_page_factory(
        parent=home, title="Ministère B", slug="ministere-b", kind="ministry"
    )
    call_command("setup_institutions", stdout=open("/dev/null", "w"))
    people = {}
    for slug in ("el-kef", "ministere-b"):
        institution = InstitutionPage.objects.filter(slug=slug).first()
        editors, approvers = institution_group_names(institution)
        editor = user_factory(is_staff=True, email=f"editor@{slug}.tn")
        editor.groups.add(Group.objects.get(name=editors))
        approver = user_factory(is_staff=True, email=f"approver@{slug}.tn")
        approver.groups.add(Group.objects.get(name=approvers))
        people[slug] = {"editor": editor, "approver": approver}
    return {
        "a": InstitutionPage.objects.get(slug="el-kef", locale__language_code="fr"),
        "b": InstitutionPage.objects.get(pk=other.pk),
        "people": people,
    }
