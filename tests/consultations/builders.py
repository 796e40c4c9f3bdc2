"""Helpers building consultation data for the tests."""

from consultations.models import ConsultationPage
from tests.pages import draft


def republish(page: ConsultationPage, sections, *, ids, note="") -> ConsultationPage:
    """The page with its draft replaced by ``sections`` (block ids ``ids``), published."""
    page = ConsultationPage.objects.get(pk=page.pk)
    page.draft = draft(*sections, ids=ids)
    page.change_note = note
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)
