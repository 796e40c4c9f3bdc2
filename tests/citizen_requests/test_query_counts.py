"""The officer's queue and the citizen's page of a request cost the same number of queries
whatever the number of requests (bench/requests.py measures them at 1,000 and 100,000)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citizen_requests.models import CitizenRequest
from citizen_requests.services import request_ask, request_assign, request_citizen_reply, request_note
from citizen_requests.stages import Kind, Stage
from tests.citizen_requests.conftest import PDF, PNG

QUEUE = reverse("citizen_requests_admin_queue")
KINDS = [Kind.COMPLAINT, Kind.GUIDANCE, Kind.SUGGESTION, Kind.NOTICE]


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _file_more(make_request, officer, count: int) -> None:
    """``count`` requests of varied kinds; every other one assigned to the officer, every
    third overdue."""
    made = [make_request(kind=KINDS[i % len(KINDS)], subject=f"Request {i}") for i in range(count)]
    CitizenRequest.objects.filter(pk__in=[item.pk for item in made[::2]]).update(
        assignee=officer, stage=Stage.ASSIGNED
    )
    CitizenRequest.objects.filter(pk__in=[item.pk for item in made[::3]]).update(
        due_at=timezone.now() - datetime.timedelta(days=2)
    )


def test_the_queue_costs_the_same_queries_with_5_and_50_requests(client, officer, make_request):
    client.force_login(officer)
    _file_more(make_request, officer, 5)
    client.get(QUEUE)  # caches warmed, as for any later visit
    few, page = _queries(client, QUEUE)
    few_filtered, _page = _queries(client, f"{QUEUE}?kind=complaint&overdue=on")
    assert page.count("data-tracking-number=") == 5

    _file_more(make_request, officer, 45)
    many, page = _queries(client, QUEUE)
    many_filtered, _page = _queries(client, f"{QUEUE}?kind=complaint&overdue=on")

    assert page.count("data-tracking-number=") == 50
    assert "Salma Officer" in page
    assert many == few
    assert many_filtered == few_filtered


def test_the_citizens_request_page_costs_the_same_queries_with_5_and_50_requests(
    client, citizen, officer, file_request, make_request
):
    item = file_request(subject="الماء مقطوع في حي النور", files=[("compteur.png", PNG)]).request
    for i in range(4):
        make_request(subject=f"Request {i}")
    url = reverse("citizen_requests:detail", args=[item.tracking_number])
    client.force_login(citizen)
    client.get(url)
    few, page = _queries(client, url)
    assert "compteur.png" in page

    _file_more(make_request, officer, 45)
    request_assign(actor=officer, request=item, assignee=officer)
    request_ask(actor=officer, request=item, question="في أي ساعة ينقطع الماء؟")
    request_citizen_reply(user=citizen, request=item, text="من السادسة صباحاً.", files=[("facture.pdf", PDF)])
    request_note(actor=officer, request=item, text="Internal: call the water company.")
    many, page = _queries(client, url)

    assert CitizenRequest.objects.count() == 50
    assert "facture.pdf" in page and "من السادسة صباحاً." in page
    assert "Internal: call the water company." not in page
    assert many == few
