"""Request desks for the citizen requests' tests."""

import pytest

from citizen_requests.models import RequestDesk
from tests.factories import InstitutionPageFactory


@pytest.fixture
def desk(site):
    """The request desk of the ``site`` fixture's institution (El Kef), code KEF."""
    return RequestDesk.objects.create(institution=site["institution"]["ar"], code="KEF")


@pytest.fixture
def triage_desk(site):
    """The desk that receives requests whose citizen does not know the institution: a
    Central Office of its own, code BRC."""
    office = InstitutionPageFactory(
        parent=site["home"]["ar"], title="مكتب العلاقات مع المواطن", kind="agency"
    )
    return RequestDesk.objects.create(institution=office, code="BRC", is_triage=True)
