"""How a search reads on the page and in its feed: labels for facet values in the reader's
language, the filters in use, the search's title, and links that add or remove one filter while
keeping the rest.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citizen_requests.stages import Kind as RequestKind
from cms.l10n import format_day, localize_digits
from search import conf
from search.backends.base import FACETS, Hit, SearchResults
from search.forms import STATUS_CHOICES, SearchForm
from search.models import Kind

DATES = ("date_from", "date_to")


# --- query strings ---------------------------------------------------------------------------


def search_url(
    path: str,
    params: QueryDict,
    *,
    add: tuple[str, str] | None = None,
    remove: tuple[str, str] | None = None,
    drop: Iterable[str] = (),
    page: int = 1,
) -> str:
    """``path`` with the search in ``params`` changed: one filter value added or removed,
    whole parameters dropped. Any change goes back to the first page unless ``page`` says
    otherwise; empty parameters (an untouched form field) are left out."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        if name == "page" or name in drop:
            continue
        kept = [value for value in values if value.strip()]
        if remove and name == remove[0]:
            kept = [value for value in kept if value.strip() != remove[1]]
        if kept:
            query.setlist(name, kept)
    if add and add[1] not in [value.strip() for value in query.getlist(add[0])]:
        query.appendlist(*add)
    if page > 1:
        query["page"] = str(page)
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def kept_filters(form: SearchForm) -> list[tuple[str, str]]:
    """The facet filters of the query string the form accepted, as hidden inputs keep them
    when the journalist types a new query."""
    return [
        (name, value.strip())
        for name in FACETS
        if name not in form.errors
        for value in form.data.getlist(name)
        if value.strip()
    ]


# --- labels in the reader's language ---------------------------------------------------------


def value_label(facet: str, value, institutions: dict[str, str]) -> str:
    """How a facet value reads: a kind, status or language by name, an institution by its
    name, a year with the page's digits, a topic as it is."""
    value = str(value)
    if facet == "kind":
        return str(Kind(value).label) if value in Kind.values else value
    if facet == "status":
        return str(dict(STATUS_CHOICES).get(value, value))
    if facet == "language":
        return str(dict(settings.LANGUAGES).get(value, value))
    if facet == "institution":
        return institutions.get(value, value)
    if facet == "year":
        return localize_digits(value)
    return value


def local_date(moment: datetime.datetime) -> datetime.date:
    """The day of ``moment`` where the documents are dated (as the year facet counts it)."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def chosen_filters(form: SearchForm, institutions: dict[str, str]) -> list[tuple[str, str, str]]:
    """(parameter, value as in the query string, label) of every filter in use."""
    data = form.cleaned_data
    chosen = [
        (name, str(value), value_label(name, value, institutions))
        for name in FACETS
        for value in data.get(name) or ()
    ]
    if data.get("date_from"):
        label = _("From %(day)s") % {"day": format_day(data["date_from"])}
        chosen.append(("date_from", data["date_from"].isoformat(), label))
    if data.get("date_to"):
        label = _("Until %(day)s") % {"day": format_day(data["date_to"])}
        chosen.append(("date_to", data["date_to"].isoformat(), label))
    return chosen


def search_title(form: SearchForm, chosen: list[tuple[str, str, str]]) -> str:
    """What the search is, in a few words: "Majlis search: water · Decision · El Kef"."""
    parts = [form.cleaned_data.get("q") or ""] + [label for _name, _value, label in chosen]
    parts = [part for part in parts if part]
    if not parts:
        return _("Majlis: newest documents")
    return _("Majlis search: %(search)s") % {"search": " · ".join(parts)}


def feed_url(params: QueryDict) -> str:
    """The Atom feed of the same search (always by date, so the sort and page do not count)."""
    return search_url(reverse("search:feed"), params, drop=("sort",))


# --- the page's parts -------------------------------------------------------------------------


def hit_rows(hits: list[Hit], institutions: dict[str, str]) -> list[dict]:
    """What the page shows of each hit, labelled in the reader's language."""
    rows = []
    for hit in hits:
        day = local_date(hit.date)
        rows.append(
            {
                "hit": hit,
                "kind": value_label("kind", hit.kind, institutions),
                "status": value_label("status", hit.status, institutions) if hit.status else "",
                "language": value_label("language", hit.language, institutions),
                "institution": institutions.get(hit.institution, hit.institution_name),
                "day": format_day(day),
                "iso_day": day.isoformat(),
                "detail": hit_detail(hit),
            }
        )
    return rows


def _supporters(count: int) -> str:
    return (
        ngettext("%(count)s supporter", "%(count)s supporters", count)
        % {"count": localize_digits(str(count))}
        if count
        else ""
    )


def hit_detail(hit: Hit) -> str:
    """What a kind adds to a hit's label: a request's kind and tracking number, and its
    supporters (never its author); an idea's author and supporters."""
    extra = hit.extra or {}
    if hit.kind == Kind.IDEA:
        parts = [extra.get("author", ""), _supporters(extra.get("supporters") or 0)]
        return " · ".join(part for part in parts if part)
    if hit.kind != Kind.REQUEST:
        return ""
    request_kind = extra.get("request_kind", "")
    parts = [
        str(RequestKind(request_kind).label) if request_kind in RequestKind.values else "",
        extra.get("tracking_number", ""),
    ]
    parts.append(_supporters(extra.get("supporters") or 0))
    return " · ".join(part for part in parts if part)


def facet_groups(
    form: SearchForm, results: SearchResults, institutions: dict[str, str], path: str
) -> list[dict]:
    """Each facet with values: its label, and each value's label, count and link adding it."""
    params = form.data
    groups = []
    for name in FACETS:
        values = results.facets.get(name) or []
        if not values:
            continue
        chosen = {str(value) for value in form.cleaned_data.get(name) or ()}
        groups.append(
            {
                "name": name,
                "label": form.fields[name].label,
                "values": [
                    {
                        "label": value_label(name, facet.value, institutions),
                        "count": localize_digits(str(facet.count)),
                        "chosen": facet.value in chosen,
                        # Languages are named in their own language.
                        "lang": facet.value if name == "language" else "",
                        "url": search_url(path, params, add=(name, facet.value)),
                    }
                    for facet in values
                ],
            }
        )
    return groups


def pagination(params: QueryDict, path: str, results: SearchResults) -> dict | None:
    """The page numbers and the links to the previous and next pages (``None``: one page, or
    past the end). Pages beyond ``SEARCH_MAX_PAGE`` are not offered."""
    num_pages = min(results.num_pages, conf.get("SEARCH_MAX_PAGE"))
    page = results.page
    if num_pages <= 1 or past_the_end(results):
        return None
    return {
        "page": localize_digits(str(page)),
        "num_pages": localize_digits(str(num_pages)),
        "previous": search_url(path, params, page=page - 1) if 1 < page <= num_pages else "",
        "next": search_url(path, params, page=page + 1) if page < num_pages else "",
        "capped": page == conf.get("SEARCH_MAX_PAGE") and results.num_pages > conf.get("SEARCH_MAX_PAGE"),
    }


def past_the_end(results: SearchResults) -> bool:
    """A page asked for beyond the last one of a search that found something."""
    return results.page > results.num_pages and results.total > 0
