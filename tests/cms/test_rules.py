"""The one readability check, ``cms.rules.page_read_refusal`` (docs/architecture.md, "Who may
read a page"): live pages under live pages, Wagtail's view restrictions on the page or above
it, aliases, and the number of queries it costs."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms.models import PolicyPage
from cms.rules import ReadRefusal, page_read_refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(site):
    return PolicyPage.objects.get(pk=site["policy"]["fr"].pk)


def refusals(page, *users):
    return [page_read_refusal(user, Page.objects.get(pk=page.pk)) for user in users]


def test_a_live_page_under_live_pages_is_read_by_anyone(policy, citizen):
    assert refusals(policy, AnonymousUser(), citizen) == [None, None]
    assert citizen.has_perm("cms.read_page", policy)


def test_a_draft_page_or_one_under_a_draft_is_read_by_nobody(policy, citizen, admin_user):
    institution = policy.get_parent().specific
    institution.unpublish()  # the policy page itself stays live
    assert Page.objects.get(pk=policy.pk).live
    assert refusals(policy, AnonymousUser(), citizen, admin_user) == [ReadRefusal.UNPUBLISHED] * 3
    institution.save_revision().publish()
    assert refusals(policy, citizen) == [None]
    PolicyPage.objects.get(pk=policy.pk).unpublish()
    assert refusals(policy, citizen) == [ReadRefusal.UNPUBLISHED]
    assert not citizen.has_perm("cms.read_page", Page.objects.get(pk=policy.pk))


def test_login_restrictions_let_in_any_signed_in_reader(policy, citizen):
    PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.LOGIN)
    assert refusals(policy, AnonymousUser(), citizen) == [ReadRefusal.LOGIN_REQUIRED, None]


def test_group_restrictions_above_the_page_let_in_members_and_superusers(
    policy, citizen, user_factory, admin_user
):
    members, others = Group.objects.create(name="Conseil"), Group.objects.create(name="Autres")
    restriction = PageViewRestriction.objects.create(
        page=policy.get_parent(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members, others)
    member = user_factory()
    member.groups.add(others)
    assert refusals(policy, AnonymousUser(), citizen, member, admin_user) == [
        ReadRefusal.LOGIN_REQUIRED,
        ReadRefusal.FORBIDDEN,
        None,
        None,
    ]
    # Every restriction on the way must let the reader in.
    PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.LOGIN)
    assert refusals(policy, member, citizen) == [None, ReadRefusal.FORBIDDEN]


def test_a_password_is_never_enough_outside_wagtails_own_page(policy, citizen, admin_user):
    PageViewRestriction.objects.create(
        page=policy, restriction_type=PageViewRestriction.PASSWORD, password="sésame"
    )
    assert refusals(policy, AnonymousUser(), citizen, admin_user) == [ReadRefusal.PASSWORD] * 3


def test_an_alias_has_the_restrictions_of_its_source(policy, site, citizen):
    members = Group.objects.create(name="Conseil")
    restriction = PageViewRestriction.objects.create(
        page=policy, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members)
    alias = policy.create_alias(parent=site["home"]["fr"], update_slug="budget-alias")
    assert refusals(alias, citizen) == [ReadRefusal.FORBIDDEN]
    citizen.groups.add(members)
    assert refusals(alias, citizen) == [None]


def test_one_query_decides_unless_groups_must_be_looked_at(policy, citizen):
    page = Page.objects.get(pk=policy.pk)
    for restriction_type in (None, PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD):
        PageViewRestriction.objects.all().delete()
        if restriction_type:
            PageViewRestriction.objects.create(page=policy.get_parent(), restriction_type=restriction_type, password="x")
        with CaptureQueriesContext(connection) as queries:
            page_read_refusal(citizen, page)
        assert len(queries) == 1, restriction_type
    PageViewRestriction.objects.all().delete()
    restriction = PageViewRestriction.objects.create(page=policy, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Conseil"))
    with CaptureQueriesContext(connection) as queries:
        assert page_read_refusal(citizen, page) == ReadRefusal.FORBIDDEN
    assert len(queries) == 2
