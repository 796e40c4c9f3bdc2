"""Fixtures shared by the deliberation tests."""

import datetime
import uuid

import pytest
from django.utils import timezone

from cms.models import InstitutionPage
from consultations.models import ConsultationPage
from deliberation import services
from tests.pages import draft


@pytest.fixture
def other_thread(site):
    """The thread of an open consultation of a second institution (Sfax), in French."""
    institution = site["home"]["fr"].add_child(
        instance=InstitutionPage(title="Ville de Sfax", slug="sfax", kind="municipality")
    )
    institution.save_revision().publish()
    now = timezone.now()
    page = institution.add_child(
        instance=ConsultationPage(
            title="Plan de mobilité",
            slug=f"c-{uuid.uuid4().hex[:8]}",
            summary="Un résumé.",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=10),
            draft=draft(("Bus", "Plus de bus.")),
        )
    )
    page.save_revision().publish()
    return services.thread_for_page(page=ConsultationPage.objects.get(pk=page.pk))
