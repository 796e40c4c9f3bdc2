"""When the search engine cannot answer (Elasticsearch down), every way in says so with a
503 and a translated message, never a 500."""

import pytest

from search.backends.base import SearchUnavailable

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_down(search_backend, monkeypatch):
    def down(request):
        raise SearchUnavailable()

    monkeypatch.setattr(search_backend, "search", down)


def test_the_page_says_the_search_is_unavailable(client, engine_down):
    response = client.get("/en/search/", {"q": "eau"})
    assert response.status_code == 503
    assert "The search is unavailable for a moment" in response.content.decode()
    assert 'value="eau"' in response.content.decode()  # what was typed is kept


def test_the_api_and_the_feed_answer_503(client, engine_down):
    response = client.get("/api/search/", {"q": "eau"}, headers={"accept-language": "en"})
    assert response.status_code == 503
    assert response.json()["detail"] == (
        "The search is unavailable for a moment. Please try again shortly."
    )
    feed = client.get("/en/search/feed/", {"q": "eau"})
    assert feed.status_code == 503
    assert "unavailable" in feed.content.decode()
