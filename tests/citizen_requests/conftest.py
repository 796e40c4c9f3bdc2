"""Fixtures for citizen requests: desks, staff, requests filed through the service, and the
attachments kept in a temporary directory."""

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
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = str(tmp_path / "requests")
    # Tests file many requests as one citizen (the limits have tests of their own).
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_ACCOUNT = ["1000/hour"]
    settings.CITIZEN_REQUESTS_FILE_RATE_PER_IP = ["1000/hour"]
    return tmp_path / "requests"


@pytest.fixture
def desk(site):
    """The request desk of the test site's institution (El Kef, code KEF), with its officers'
    group."""
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


@pytest.fixture
def triage_desk(site):
    """The Central Office's desk, where requests go when the citizen does not know where."""
    office = site["home"]["ar"].add_child(
        instance=InstitutionPage(title="مكتب العلاقات مع المواطن", slug="central-office", kind="agency")
    )
    office.save_revision().publish()
    return RequestDesk.objects.create(institution=office, code="BCRC", is_triage=True)


def _admin_in_english(user):
    # The admin speaks the user's Wagtail language (Arabic by default): English here, so
    # that assertions read the source strings whatever the catalogs hold.
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def staff(desk, *, role: str, **fields):
    """An account in ``desk``'s request officers' group or its institution's approvers'."""
    if role == "officer":
        group = request_roles_ensure(desk=desk)
    else:
        group, _created = Group.objects.get_or_create(name=institution_group_names(desk.institution)[1])
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    fields.setdefault("display_name", f"{role.title()} {desk.code}")
    user = _admin_in_english(UserFactory(**fields))
    user.groups.add(group)
    return user


@pytest.fixture
def officer_of(db):
    """officer_of(desk, **fields): an account in the desk's request officers' group."""
    return lambda desk, **fields: staff(desk, role="officer", **fields)


@pytest.fixture
def approver_of(db):
    """approver_of(desk, **fields): an account in the institution's approvers' group."""
    return lambda desk, **fields: staff(desk, role="approver", **fields)


@pytest.fixture
def officer(desk):
    return staff(desk, role="officer", display_name="Salma Officer", email="salma@example.tn")


@pytest.fixture
def approver(desk):
    return staff(desk, role="approver", display_name="Hedi Approver", email="hedi@example.tn")


@pytest.fixture
def make_request(file_request):
    """make_request(**fields) -> CitizenRequest filed through the service (a complaint by
    ``citizen`` at ``desk`` unless told otherwise)."""
    return lambda **fields: file_request(**fields).request


@pytest.fixture
def file_request(citizen, desk):
    """File a request (a complaint of ``citizen`` to ``desk`` unless told otherwise)."""

    def make(**fields):
        values = {
            "author": citizen,
            "kind": "complaint",
            "desk": desk,
            "subject": "الماء مقطوع",
            "text": "الماء مقطوع منذ ثلاثة أيام في حي النور.",
            "language": "ar",
            "client_ip": "198.51.100.7",
            "idempotency_key": uuid.uuid4(),
            **fields,
        }
        return request_file(**values)

    return make


@pytest.fixture
def desks(desk, triage_desk):
    """{"kef": the site's institution's desk, "triage": the Central Office's (triage) desk}."""
    return {"kef": desk, "triage": triage_desk}


@pytest.fixture
def approvers(db):
    """Two accounts that may handle and answer any request (an answer needs two people)."""
    return (
        UserFactory(is_superuser=True, is_staff=True, display_name="Officer"),
        UserFactory(is_superuser=True, is_staff=True, display_name="Approver"),
    )


@pytest.fixture
def filed(desks, citizen):
    """file(author=citizen, kind="complaint", **fields) -> services.Filed, through the service."""

    def make(author=citizen, kind="complaint", **fields):
        fields.setdefault("desk", desks["kef"])
        fields.setdefault("subject", "إنارة الشارع معطلة")
        fields.setdefault("text", "الإنارة العمومية في نهج الحرية معطلة منذ شهر.")
        fields.setdefault("language", "ar")
        fields.setdefault("idempotency_key", uuid.uuid4())
        return request_file(author=author, kind=kind, **fields)

    return make
