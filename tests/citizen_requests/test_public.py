"""Public suggestions and notices: published only once moderated and only if their author
asked, supported once per account, discussed in a thread of deliberation's (live like any
other), and complaints and corruption reports never public."""

import uuid

import pytest

from citizen_requests import services
from citizen_requests.models import CitizenRequest, Publicity, PublicRequestsPage
from citizen_requests.selectors import similar_notices, words
from citizen_requests.services import Invalid, NotFound, Refused
from deliberation.models import ThreadKind
from deliberation.services import contribution_post, thread_for_key, thread_for_page, thread_key_for
from tests.citizen_requests.conftest import staff
from tests.citizen_requests.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_page(site):
    institution = site["institution"]["ar"]
    page = institution.add_child(
        instance=PublicRequestsPage(title="اقتراحات وإشعارات", slug="public-requests")
    )
    page.save_revision().publish()
    return PublicRequestsPage.objects.get(pk=page.pk)


@pytest.fixture
def published(file_request, officer):
    def make(**fields):
        request = file_request(public=True, **fields).request
        services.request_publication_moderate(actor=officer, request=request, publish=True)
        request.refresh_from_db()
        return request

    return make


def _url(page, request) -> str:
    return page.url + page.reverse_subpage("section", args=[request.tracking_number])


def test_a_suggestion_is_public_only_once_moderated(file_request, officer, public_page, client):
    request = file_request(kind="suggestion", public=True).request
    assert request.publicity == Publicity.PENDING
    assert client.get(_url(public_page, request)).status_code == 404
    services.request_publication_moderate(actor=officer, request=request, publish=True)
    response = client.get(_url(public_page, request))
    assert response.status_code == 200
    body = response.content.decode()
    assert request.subject in body and "Amira" not in body  # the author is not named
    assert request.subject in client.get(public_page.url).content.decode()


def test_a_refusal_needs_a_reason_and_keeps_it_private(file_request, officer, public_page, client):
    request = file_request(kind="notice", public=True).request
    with pytest.raises(Invalid):
        services.request_publication_moderate(actor=officer, request=request, publish=False)
    services.request_publication_moderate(actor=officer, request=request, publish=False, reason="Données personnelles.")
    request.refresh_from_db()
    assert request.publicity == Publicity.REFUSED
    assert client.get(_url(public_page, request)).status_code == 404


@pytest.mark.parametrize("kind", ["complaint", "guidance", "corruption"])
def test_complaints_guidance_and_corruption_reports_are_never_public(file_request, kind):
    with pytest.raises(Invalid):
        file_request(kind=kind, public=True)
    request = file_request(kind=kind).request
    with pytest.raises(Invalid):
        services.request_publicity_ask(user=request.author, request=request, public=True)
    assert CitizenRequest.objects.get(pk=request.pk).publicity == Publicity.PRIVATE


def test_only_the_institution_moderates_its_requests(file_request, other_desk):
    request = file_request(kind="notice", public=True).request
    with pytest.raises(NotFound):
        services.request_publication_moderate(
            actor=staff(other_desk, role="approver"), request=request, publish=True
        )


def test_a_public_request_is_supported_once_per_account(published, user_factory, public_page, client):
    request = published(kind="suggestion")
    supporter = user_factory()
    assert services.request_support(user=supporter, request=request) == 1
    with pytest.raises(Invalid):
        services.request_support(user=supporter, request=request)
    with pytest.raises(Invalid):
        services.request_support(user=request.author, request=request)
    with pytest.raises(Refused):
        services.request_support(user=None, request=request)
    client.force_login(user_factory())
    url = public_page.url + public_page.reverse_subpage("support", args=[request.tracking_number])
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.supporters_count == 2


def test_a_private_request_cannot_be_supported(file_request, user_factory):
    request = file_request(kind="suggestion").request
    with pytest.raises(NotFound):
        services.request_support(user=user_factory(), request=request)


def test_a_public_request_is_discussed_in_a_deliberation_thread(
    published, public_page, user_factory, client, settings
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    request = published(kind="notice")
    thread = thread_for_page(page=public_page, section_id=request.tracking_number)
    assert thread.institution.pk == public_page.get_parent().pk
    contribution_post(
        author=user_factory(), thread=thread, body="Le même trou rue de la Kasbah.",
        idempotency_key=uuid.uuid4(),
    )
    body = client.get(_url(public_page, request)).content.decode()
    assert "Le même trou rue de la Kasbah." in body
    assert thread.key in body  # the page's socket subscribes to this thread


def test_a_private_request_has_no_thread(file_request, published, public_page):
    private = file_request(kind="notice").request
    public = published(kind="notice")
    assert public_page.discussion_sections() == {public.tracking_number}
    for request, expected in ((private, False), (public, True)):
        key = thread_key_for(
            translation_key=public_page.translation_key, kind=ThreadKind.SECTION,
            section_id=request.tracking_number,
        )
        assert (thread_for_key(key=key) is not None) is expected


def test_similar_open_notices_are_found_by_words_or_place(published, desk):
    hole = published(
        kind="notice", subject="حفرة خطيرة في الطريق", text="حفرة كبيرة أمام المدرسة الابتدائية",
        latitude=36.1822, longitude=8.7148,
    )
    published(kind="notice", subject="Éclairage public", text="Lampadaire éteint avenue Bourguiba")
    by_words = similar_notices(desk=desk, subject="حُفرة في الطريق", text="حفرة أمام المدرسة")
    assert by_words == [hole]
    by_place = similar_notices(desk=desk, subject="Nid de poule", text="Devant l'école", latitude=36.1830, longitude=8.7150)
    assert by_place == [hole]
    assert similar_notices(desk=desk, subject="Marché", text="Les prix du marché", latitude=36.3, longitude=8.9) == []


def test_words_fold_arabic_marks_and_letter_variants():
    assert words("الإدارة  مُغلقة") == words("الادارة مغلقه")
    assert words("Éclairage") == words("eclairage")


# --- On the citizen's pages ------------------------------------------------------------------


def test_similar_notices_are_shown_before_a_notice_is_filed_and_can_be_passed(
    client, citizen, desk, published, public_page
):
    hole = published(kind="notice", subject="حفرة خطيرة في الطريق", text="حفرة كبيرة أمام المدرسة الابتدائية")
    client.force_login(citizen)
    data = form_data(desk, kind="notice", subject="حفرة في الطريق", text="حفرة أمام المدرسة منذ أسبوع")
    response = client.post("/ar/requests/", data)
    body = response.content.decode()
    assert response.status_code == 200 and hole.subject in body
    assert _url(public_page, hole) in body  # support it there instead
    assert CitizenRequest.objects.count() == 1  # nothing filed yet
    response = client.post("/ar/requests/", {**data, "file_anyway": "on"})
    assert CitizenRequest.objects.count() == 2
    assert CitizenRequest.objects.latest("pk").tracking_number in response.content.decode()


def test_a_complaint_is_filed_without_the_similar_step(client, citizen, desk, published):
    published(kind="notice", subject="حفرة خطيرة في الطريق", text="حفرة كبيرة أمام المدرسة")
    client.force_login(citizen)
    client.post("/ar/requests/", form_data(desk, kind="complaint", subject="حفرة في الطريق", text="حفرة أمام المدرسة"))
    assert CitizenRequest.objects.filter(kind="complaint").count() == 1


def test_the_author_asks_for_publication_and_withdraws_it(client, citizen, desk, officer, public_page):
    client.force_login(citizen)
    client.post("/ar/requests/", form_data(desk, kind="suggestion", public="on"))
    request = CitizenRequest.objects.get()
    assert request.publicity == Publicity.PENDING
    services.request_publication_moderate(actor=officer, request=request, publish=True)
    detail = client.get(f"/ar/requests/{request.tracking_number}/").content.decode()
    assert _url(public_page, request) in detail
    client.post(f"/ar/requests/{request.tracking_number}/publicity/", {"public": "off"})
    request.refresh_from_db()
    assert request.publicity == Publicity.PRIVATE
    assert client.get(_url(public_page, request)).status_code == 404


def test_the_request_page_watches_its_socket(client, citizen, file_request):
    request = file_request().request
    client.force_login(citizen)
    body = client.get(f"/ar/requests/{request.tracking_number}/").content.decode()
    assert f'data-live-socket="/ws/requests/{request.tracking_number}/"' in body
    assert "js/live_region.js" in body
