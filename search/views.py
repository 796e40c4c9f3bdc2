"""The public search page: a journalist's query, facets as filters, a URL that can be shared.

Thin by rule: ``SearchForm`` checks the query string (a 400 with its messages otherwise),
``documents_search`` answers it, and presentation.py makes it read well.
"""

from django.template.response import TemplateResponse
from django.utils.translation import get_language

from cms.l10n import localize_digits
from search.backends.base import FACETS, SearchUnavailable
from search.forms import SearchForm
from search.presentation import (
    DATES,
    chosen_filters,
    facet_groups,
    feed_url,
    hit_rows,
    kept_filters,
    pagination,
    past_the_end,
    search_title,
    search_url,
)
from search.selectors import documents_search, institution_names


def search_page(request):
    """``/<lang>/search/``: the results of the search in the query string, with facets."""
    form = SearchForm(request.GET)
    path = request.path
    context = {"form": form, "kept_filters": [], "sort_choices": form.fields["sort"].choices}
    if not form.is_valid():
        context.update(errors=form.error_messages_list(), kept_filters=kept_filters(form))
        return TemplateResponse(request, "search/search.html", context, status=400)

    try:
        results = documents_search(request=form.search_request())
    except SearchUnavailable as error:
        context.update(errors=[error.message], kept_filters=kept_filters(form))
        return TemplateResponse(request, "search/search.html", context, status=503)
    data = form.cleaned_data
    slugs = [hit.institution for hit in results.hits]
    slugs += [facet.value for facet in results.facets.get("institution", [])]
    slugs += data["institution"]
    institutions = institution_names(slugs, language=get_language())
    chosen = chosen_filters(form, institutions)
    params = form.data
    beyond = past_the_end(results)
    context.update(
        query=data["q"],
        results=results,
        total=localize_digits(str(results.total)),
        hits=hit_rows(results.hits, institutions),
        facets=facet_groups(form, results, institutions, path),
        chosen=[
            {"label": label, "url": search_url(path, params, remove=(name, value))}
            for name, value, label in chosen
        ],
        remove_all_url=search_url(path, params, drop=(*FACETS, *DATES)),
        kept_filters=kept_filters(form),
        past_the_end=beyond,
        first_page_url=search_url(path, params),
        pagination=pagination(params, path, results),
        start=results.page_size * (results.page - 1) + 1,
        feed_url=feed_url(params),
        feed_title=search_title(form, chosen),
    )
    return TemplateResponse(request, "search/search.html", context, status=404 if beyond else 200)
