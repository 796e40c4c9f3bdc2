"""Fixtures for citizen requests: the test institution's request desk, a triage desk, the
attachments kept in a temporary directory, and accounts that handle requests."""

import uuid

import pytest

from citizen_requests.models import RequestDesk
from citizen_requests.services import request_file
from cms.models import InstitutionPage
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.CITIZEN_REQUESTS_ATTACHMENTS_ROOT = str(tmp_path / "requests")
    return tmp_path / "requests"


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
