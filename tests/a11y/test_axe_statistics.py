"""The public statistics of requests pass axe-core without serious or critical violations in
Arabic (right-to-left), French and English, on a phone-sized screen: the site's dashboard and
two institutions', with counts shown and counts hidden ("fewer than 5", "withheld")."""

import datetime

import pytest
from django.utils import timezone

from citizen_requests.models import RequestDesk
from cms.models import InstitutionPage
from tests.a11y.axe_checks import axe_problems, browser_context
from tests.citizen_requests.builders import statistics_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def statistics_site(site):
    kef = RequestDesk.objects.create(institution=site["institution"]["ar"], code="KEF")
    ministry = site["home"]["ar"].add_child(
        instance=InstitutionPage(title="وزارة التجهيز", slug="ministere", kind="ministry")
    )
    ministry.save_revision().publish()
    other = RequestDesk.objects.create(institution=ministry, code="MIN")
    now = timezone.now() - datetime.timedelta(minutes=1)
    statistics_scene(desks={kef: 120, other: 15}, now=now, seed=5)
    return {"desk": kef}


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_dashboards_pass_axe(browser, live_server, statistics_site, language):
    context = browser_context(browser, live_server)
    found = {}
    try:
        for path in ("requests/statistics/", "requests/statistics/KEF/", "requests/statistics/MIN/"):
            page = context.new_page()
            response = page.goto(f"{live_server.url}/{language}/{path}")
            assert response.status == 200, path
            assert (page.locator("html").get_attribute("dir") == "rtl") == (language == "ar")
            assert page.locator("figure.chart svg").count() >= 3
            problems = axe_problems(page)
            if problems:
                found[path] = problems
            page.close()
        # Hidden counts are on the pages checked (the ministry's fifteen requests).
        page = context.new_page()
        page.goto(f"{live_server.url}/{language}/requests/statistics/MIN/")
        assert page.locator("[data-suppressed]").count() > 0
        page.close()
    finally:
        context.close()
    assert found == {}
