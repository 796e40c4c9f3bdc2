"""The OpenAPI document tells the truth: schemathesis reads /api/openapi.json from the app
(in-process, through Django's WSGI handler, in the test's database transaction), generates
requests for every operation — valid ones and invalid ones — and checks each answer against
the document: no server error, every status and body documented, valid data accepted,
invalid data refused. Then its stateful phase chains operations (a posted contribution's id
as the next reply's parent). Seeded, so CI runs the same cases every time."""

import datetime

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings as hypothesis_settings

from citizen_requests.models import RequestDesk
from deliberation.services import thread_for_page
from questionnaires.models import QuestionnairePage
from tests.questionnaires.conftest import question

pytestmark = pytest.mark.django_db

HYPOTHESIS = hypothesis_settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_world(site, make_consultation, make_outcome, make_decision, trusted_citizen, post):
    """A consultation with a discussion, an outcome and a decision citing a contribution; the
    institution's request desk, which is also the triage desk."""
    RequestDesk.objects.create(institution=site["institution"]["ar"], code="KEF", is_triage=True)
    consultation = make_consultation(opens_in=-10, closes_in=5)
    thread = thread_for_page(page=consultation)
    cited = post(trusted_citizen, thread, "Il faut des fontaines dans chaque quartier.")
    post(trusted_citizen, thread, "Une réponse.", parent=cited)
    outcome = make_outcome(consultation, responses=[{"theme": "Fontaines", "contributions": [cited]}])
    make_decision(
        outcome,
        milestones=[("adopted", datetime.date(2025, 5, 2))],
        contributions=[cited],
        signed_on=datetime.date(2025, 5, 2),
    )
    questionnaire = consultation.add_child(
        instance=QuestionnairePage(
            title="Sondage", slug="sondage",
            questions=[question("single", "Bus ?", options=("oui", "non"), key="bus")],
        )
    )
    questionnaire.save_revision().publish()
    return {"thread": thread, "citizen": trusted_citizen, "questionnaire": questionnaire}


@pytest.fixture
def signed_in(client, api_world):
    """Headers of a signed-in citizen's session with its CSRF token, as a page of the site
    would send them."""
    client.force_login(api_world["citizen"])
    secret = _get_new_csrf_string()
    session = client.cookies["sessionid"].value
    return {"Cookie": f"sessionid={session}; csrftoken={secret}", "X-CSRFToken": secret}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request's start and end must not close the connection
    that holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# The document as the app serves it (no database needed to build it).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

# What the document says in words because a JSON Schema cannot: the consultations' institution,
# topic and year filters must name ones that have consultations; a search has at most 12 words
# of at most 40 letters, and its dates run from 1900 to 2200, the end not before the start;
# a request names a desk that exists (or none, when there is a triage desk), has a subject and
# a text once blanks are removed, and both coordinates or neither.
# Schema-valid requests to these operations may be refused with a 400 for those rules only,
# and the 400 must name the parameter.
RULES_IN_WORDS = {
    "/api/consultations/": {"institution", "topic", "year"},
    "/api/search/": {"q", "date_from", "date_to"},
    "/api/requests/": {"institution", "subject", "text", "latitude"},
    # A response's answers must fit the questionnaire's questions (docs/questionnaires.md).
    "/api/questionnaires/{questionnaire_id}/response/": {"answers"},
}


def _parameters_named(body: dict) -> set[str]:
    if "errors" in body:  # the search's {"detail", "errors": {parameter: [messages]}}
        return set(body["errors"])
    if "field" in body:  # the requests' {"code", "message", "field"}
        return {body["field"]}
    return {part.split(":")[0].strip() for part in body["detail"].split("; ")}


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_keeps_to_the_document(case, api_world, signed_in):
    rules = RULES_IN_WORDS.get(case.path)
    response = case.call(headers=signed_in)
    _validate(response, case, headers=signed_in)


def _validate(response, case, **transport) -> None:
    """schemathesis' checks, with the rules stated in words (above) for the two operations
    that have them: there a 400 is right only when it names one of those parameters."""
    __tracebackhide__ = True
    rules = RULES_IN_WORDS.get(case.path)
    if rules is None:
        case.validate_response(response, transport_kwargs=transport)
        return
    case.validate_response(
        response, excluded_checks=[positive_data_acceptance], transport_kwargs=transport
    )
    if response.status_code == 400 and case.meta and case.meta.generation.mode.is_positive:
        assert _parameters_named(response.json()) <= rules, response.json()


def test_chained_operations_keep_to_the_document(api_world, signed_in):
    """The stateful phase: operations linked through their answers (a posted contribution's
    id as the next reply's parent, a listed decision's id as the detail's), checked alike."""
    base = schema.as_state_machine()

    class Machine(base):
        def get_call_kwargs(self, case):
            return {"headers": signed_in}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            _validate(response, case, **kwargs)

    Machine.run(
        settings=hypothesis_settings(
            max_examples=10,
            stateful_step_count=5,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
