"""Fixtures for citizen requests: the test institution's request desk (``desk``, code KEF)
and another institution's (``other_desk``), their staff, requests filed through the service,
and attachments kept in a temporary directory."""

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.users.models import UserProfile

from citizen_requests.models import RequestDesk
from citizen_requests.roles import request_roles_ensure
from citizen_requests.services import request_file
from cms.models import InstitutionPage
from cms.services import institution_group_names
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = str(tmp_path / "requests")
    # Tests file many requests as one citizen.
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["1000/hour"]
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_IP = ["1000/hour"]
    return tmp_path / "requests"


@pytest.fixture
def desk(site):
    """The request desk of the test site's institution (El Kef), with its officers' group."""
    desk = RequestDesk.objects.create(institution=site["institution"]["ar"], code="KEF")
    request_roles_ensure(desk=desk)
    return desk


@pytest.fixture
def other_desk(site):
    """Another institution's desk (a ministry, code MIN)."""
    ministry = site["home"]["ar"].add_child(
        instance=InstitutionPage(title="وزارة التجهيز", slug="ministere-equipement", kind="ministry")
    )
    ministry.save_revision().publish()
    desk = RequestDesk.objects.create(institution=ministry, code="MIN")
    request_roles_ensure(desk=desk)
    return desk


def _admin_in_english(user):
    # The admin speaks the user's Wagtail language (Arabic by default): English here, so
    # that assertions read the source strings whatever the catalogs hold.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def officer_of(db):
    """officer_of(desk, **fields): an account in the desk's request officers' group."""

    def make(desk, **fields):
        group = request_roles_ensure(desk=desk)
        fields.setdefault("display_name", f"Officer {desk.code}")
        user = _admin_in_english(UserFactory(**fields))
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def approver_of(db):
    """approver_of(desk, **fields): an account in the institution's approvers' group."""

    def make(desk, **fields):
        group, _created = Group.objects.get_or_create(name=institution_group_names(desk.institution)[1])
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        fields.setdefault("display_name", f"Approver {desk.code}")
        user = _admin_in_english(UserFactory(**fields))
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def officer(desk, officer_of):
    return officer_of(desk, display_name="Salma Officer", email="salma@example.tn")


@pytest.fixture
def approver(desk, approver_of):
    return approver_of(desk, display_name="Hedi Approver", email="hedi@example.tn")


@pytest.fixture
def make_request(desk, citizen):
    """make_request(**fields) -> CitizenRequest filed through the service (a complaint by
    ``citizen`` at ``desk`` unless told otherwise)."""

    def make(author=citizen, kind="complaint", **fields):
        fields.setdefault("desk", desk)
        fields.setdefault("subject", "إنارة الشارع معطلة")
        fields.setdefault("text", "الإنارة العمومية في نهج الحرية معطلة منذ شهر.")
        fields.setdefault("language", "ar")
        fields.setdefault("idempotency_key", uuid.uuid4())
        return request_file(author=author, kind=kind, **fields).request

    return make
