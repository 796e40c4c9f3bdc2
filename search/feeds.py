"""An Atom feed for any search: a journalist subscribes to "new decisions about water in El
Kef". The same query string as the page, checked by the same form (a 400 in plain text
otherwise); the newest ``SEARCH_FEED_SIZE`` matches, whatever the sort or page asked."""

import dataclasses

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from search import conf
from search.backends.base import Hit, SearchUnavailable
from search.forms import SearchForm
from search.presentation import chosen_filters, search_title, search_url
from search.presentation import feed_url as search_feed_url
from search.selectors import documents_search, institution_names


class InvalidSearch(Exception):
    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclasses.dataclass
class FeedSearch:
    title: str
    page_url: str
    feed_url: str
    hits: list[Hit]


class SearchFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidSearch as error:
            return HttpResponseBadRequest(
                "\n".join(error.messages), content_type="text/plain; charset=utf-8"
            )
        except SearchUnavailable as error:
            return HttpResponse(
                str(error.message), status=503, content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request, *args, **kwargs) -> FeedSearch:
        form = SearchForm(request.GET)
        if not form.is_valid():
            raise InvalidSearch(form.error_messages_list())
        search = dataclasses.replace(
            form.search_request(page_size=conf.get("SEARCH_FEED_SIZE"), facets=False), sort="date", page=1
        )
        results = documents_search(request=search)
        institutions = institution_names(form.cleaned_data["institution"], language=get_language())
        return FeedSearch(
            title=search_title(form, chosen_filters(form, institutions)),
            page_url=search_url(
                reverse("search:search"), form.data, drop=("sort",), add=("sort", "date")
            ),
            feed_url=search_feed_url(form.data),
            hits=results.hits,
        )

    def title(self, obj: FeedSearch) -> str:
        return obj.title

    def subtitle(self, obj: FeedSearch) -> str:
        return _("The newest documents matching this search on Majlis.")

    def link(self, obj: FeedSearch) -> str:
        return obj.page_url

    def feed_url(self, obj: FeedSearch) -> str:
        return obj.feed_url

    def author_name(self, obj: FeedSearch) -> str:
        return _("Majlis")

    def items(self, obj: FeedSearch) -> list[Hit]:
        return obj.hits

    def item_title(self, hit: Hit) -> str:
        return hit.title

    def item_link(self, hit: Hit) -> str:
        return hit.url

    def item_description(self, hit: Hit) -> str:
        # Escaped HTML with the matches in <mark> (Atom: a summary of type "html").
        return str(hit.snippet_html)

    def item_pubdate(self, hit: Hit):
        return hit.date

    def item_updateddate(self, hit: Hit):
        return hit.date

    def item_categories(self, hit: Hit) -> list[str]:
        return hit.topics
