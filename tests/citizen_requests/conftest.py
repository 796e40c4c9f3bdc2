"""Fixtures for citizen requests: desks, staff, requests filed through the service, and the
attachments kept in a temporary directory."""

import uuid

import pytest
from django.contrib.auth.models import Group

from cms.services import institution_group_names
from citizen_requests.models import RequestDesk
from citizen_requests.rules import officers_group_name
from citizen_requests.services import request_file
from cms.models import InstitutionPage
from tests.factories import InstitutionPageFactory, UserFactory


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = str(tmp_path / "requests")
    return tmp_path / "requests"


@pytest.fixture
def desk(site):
    """El Kef's desk (the ``site`` institution), tracking numbers KEF-…"""
    return RequestDesk.objects.create(institution=site["institution"]["ar"], code="KEF")


@pytest.fixture
def other_desk(site):
    institution = InstitutionPageFactory(parent=site["home"]["ar"], title="وزارة الصحة", slug="health")
    return RequestDesk.objects.create(institution=institution, code="SAN")


@pytest.fixture
def triage_desk(site):
    institution = InstitutionPageFactory(
        parent=site["home"]["ar"], title="مكتب العلاقات مع المواطن", slug="central-office"
    )
    return RequestDesk.objects.create(institution=institution, code="BCRC", is_triage=True)


def staff(desk, *, role: str, **fields):
    """A user in ``desk``'s officers or approvers group."""
    user = UserFactory(**fields)
    name = officers_group_name(desk.institution) if role == "officer" else institution_group_names(desk.institution)[1]
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def officer(desk):
    return staff(desk, role="officer", display_name="Officer Kef")


@pytest.fixture
def approver(desk):
    return staff(desk, role="approver", display_name="Approver Kef")


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
def desks(site):
    """{"kef": the site's institution's desk, "triage": the Central Office's (triage) desk}."""
    home = site["home"]["ar"]
    office = home.add_child(
        instance=InstitutionPage(title="مكتب العلاقات مع المواطن", slug="bureau-central", kind="agency")
    )
    office.save_revision().publish()
    return {
        "kef": RequestDesk.objects.create(institution=site["institution"]["ar"], code="KEF"),
        "triage": RequestDesk.objects.create(institution=office, code="BRC", is_triage=True),
    }


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
