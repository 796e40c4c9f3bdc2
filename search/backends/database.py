"""The embedded default: the database's own full-text search over ``SearchDocument`` rows.

SQLite uses the FTS5 table ``search_fts`` (ranked with bm25), PostgreSQL the generated
``search_vector`` column (GIN index, ranked with ts_rank_cd). The user's words never reach
a query-string parser as text: the FTS5 expression and the ``tsquery`` are built here from
folded words, which are runs of letters and digits only (search/text.py), each quoted.

A search is two queries whatever the size of the result: facets and total in one pass over
the matches (a CTE grouped by each facet; topics, a JSON list per row, unnested), and the page
of documents. A status is read at the moment of the search: ``STATUS`` is ``status_at`` in SQL.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from deliberation.phases import Phase
from search import conf
from search.backends.base import (
    FacetValue,
    Hit,
    SearchBackend,
    SearchRequest,
    SearchResults,
    highlights,
    status_at,
)
from search.models import SearchDocument
from search.text import ParsedQuery

TABLE = SearchDocument._meta.db_table
# What a hit shows: not the folded words (read by the full-text index only).
COLUMNS = ", ".join(
    f"d.{field.column}"
    for field in SearchDocument._meta.concrete_fields
    if field.name not in ("title_words", "body_words", "indexed_at")
)
# ``status_at`` in SQL; its two parameters are the search's moment (``status_params``).
STATUS = (
    f"(CASE WHEN d.closes_at <= %s THEN '{Phase.CLOSED.value}' "
    f"WHEN d.opens_at <= %s THEN '{Phase.OPEN.value}' ELSE d.status END)"
)
FACET_COLUMNS = {
    "kind": "d.kind",
    "institution": "d.institution",
    "status": STATUS,
    "year": "d.year",
    "language": "d.language",
}


def fts5_expression(query: ParsedQuery) -> str:
    """``"code des eaux" AND "decr" *``: each clause a quoted phrase, the prefix starred."""
    return " AND ".join(
        '"' + " ".join(clause.words) + '"' + (" *" if clause.prefix else "")
        for clause in query.clauses
    )


def tsquery_expression(query: ParsedQuery) -> str:
    """``'code' <-> 'des' <-> 'eaux' & 'decr':*`` for ``to_tsquery('simple', …)``."""
    parts = []
    for clause in query.clauses:
        lexemes = [f"'{word}'" for word in clause.words]
        if clause.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")" if clause.is_phrase else lexemes[0])
    return " & ".join(parts)


def status_params(now: datetime.datetime) -> list:
    """The parameters of one ``STATUS``."""
    moment = connection.ops.adapt_datetimefield_value(now)
    return [moment, moment]


def day_start(day: datetime.date):
    """Midnight of ``day`` in the site's time zone, as the database compares datetimes."""
    moment = datetime.datetime.combine(day, datetime.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return connection.ops.adapt_datetimefield_value(moment)


class DatabaseBackend(SearchBackend):
    name = "database"

    # --- building the SQL (also used by bench/search.py) -------------------------------------

    def match_sql(self, query: ParsedQuery) -> tuple[str, str, str, list]:
        """(join, condition, rank expression, params) of the full-text match; the rank is
        larger for better matches."""
        if not query:
            return "", "", "0", []
        vendor = connection.vendor
        if vendor == "sqlite":
            return (
                "JOIN search_fts ON search_fts.rowid = d.id",
                "search_fts MATCH %s",
                "-bm25(search_fts, 4.0, 1.0)",
                [fts5_expression(query)],
            )
        if vendor == "postgresql":
            return (
                "CROSS JOIN to_tsquery('simple', %s) AS q",
                "d.search_vector @@ q",
                "ts_rank_cd(d.search_vector, q)",
                [tsquery_expression(query)],
            )
        raise ImproperlyConfigured(f"Search has no full-text index for {vendor}.")

    def filter_sql(self, request: SearchRequest, now: datetime.datetime) -> tuple[list[str], list]:
        conditions, params = [], []
        for name, values in request.filters.items():
            marks = ", ".join(["%s"] * len(values))
            if name == "topic":
                conditions.append(self.topic_condition(marks))
            else:
                conditions.append(f"{FACET_COLUMNS[name]} IN ({marks})")
                if name == "status":
                    params.extend(status_params(now))
            params.extend(values)
        if request.date_from:
            conditions.append("d.date >= %s")
            params.append(day_start(request.date_from))
        if request.date_to:
            conditions.append("d.date < %s")
            params.append(day_start(request.date_to + datetime.timedelta(days=1)))
        return conditions, params

    @staticmethod
    def topic_condition(marks: str) -> str:
        if connection.vendor == "postgresql":
            return f"d.topics ?| ARRAY[{marks}]::text[]"
        return f"EXISTS (SELECT 1 FROM json_each(d.topics) WHERE json_each.value IN ({marks}))"

    @staticmethod
    def topics_unnested() -> str:
        """FROM clause over ``matched`` giving one ``topic`` row per (document, topic)."""
        if connection.vendor == "postgresql":
            return "matched m CROSS JOIN jsonb_array_elements_text(m.topics) AS t(topic)"
        return "matched m, json_each(m.topics) AS t"

    def base_sql(self, request: SearchRequest, now: datetime.datetime) -> tuple[str, str, list]:
        """(FROM … WHERE …, rank expression, params) selecting the documents matching at
        ``now``."""
        join, condition, rank, params = self.match_sql(request.query)
        conditions, filter_params = self.filter_sql(request, now)
        conditions = ([condition] if condition else []) + conditions
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return f"FROM {TABLE} d {join} {where}", rank, params + filter_params

    def hits_sql(self, request: SearchRequest, now=None) -> tuple[str, list]:
        """The page of documents (``now``: the moment statuses are read at, by default this
        one)."""
        base, rank, params = self.base_sql(request, now or timezone.now())
        if request.sort == "relevance" and request.query:
            order = f"{rank} DESC, d.date DESC, d.key"
        else:
            order = "d.date DESC, d.key"
        sql = f"SELECT {COLUMNS} {base} ORDER BY {order} LIMIT %s OFFSET %s"
        return sql, params + [request.page_size, request.offset]

    def facets_sql(self, request: SearchRequest, now=None) -> tuple[str, list]:
        """Every facet's counts and the total, in one query (``now`` as in ``hits_sql``)."""
        now = now or timezone.now()
        base, _rank, params = self.base_sql(request, now)
        selected = ", ".join(f"{column} AS {name}" for name, column in FACET_COLUMNS.items())
        topic = "t.topic" if connection.vendor == "postgresql" else "t.value"
        groups = [
            f"SELECT '{name}' AS facet, CAST({name} AS TEXT) AS value, COUNT(*) AS n "
            f"FROM matched GROUP BY {name}"
            for name in FACET_COLUMNS
        ]
        groups.append(f"SELECT 'topic', {topic}, COUNT(*) FROM {self.topics_unnested()} GROUP BY {topic}")
        sql = f"WITH matched AS (SELECT d.id, d.topics, {selected} {base}) " + " UNION ALL ".join(groups)
        return sql, status_params(now) + params

    # --- the interface -----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResults:
        now = timezone.now()
        facets: dict[str, list[FacetValue]] = {}
        total = 0
        if request.facets:
            facets, total = self._facets(request, now)
        sql, params = self.hits_sql(request, now)
        documents = list(SearchDocument.objects.raw(sql, params))
        if not request.facets:
            total = request.offset + len(documents)
        hits = [self.hit(document, request.query, now) for document in documents]
        return SearchResults(
            hits=hits, total=total, page=request.page, page_size=request.page_size, facets=facets
        )

    def _facets(self, request: SearchRequest, now) -> tuple[dict[str, list[FacetValue]], int]:
        sql, params = self.facets_sql(request, now)
        counts: dict[str, list[FacetValue]] = {name: [] for name in ("kind", *FACET_COLUMNS, "topic")}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for facet, value, count in cursor.fetchall():
                if value not in ("", None):
                    counts[facet].append(FacetValue(str(value), count))
        total = sum(value.count for value in counts["kind"])
        return {name: top_values(values) for name, values in counts.items()}, total

    @staticmethod
    def hit(document: SearchDocument, query: ParsedQuery, now: datetime.datetime) -> Hit:
        return Hit(
            key=document.key,
            kind=document.kind,
            language=document.language,
            title=document.title,
            url=document.url,
            institution=document.institution,
            institution_name=document.institution_name,
            status=status_at(
                status=document.status,
                opens_at=document.opens_at,
                closes_at=document.closes_at,
                now=now,
            ),
            reference=document.reference,
            date=document.date,
            topics=list(document.topics),
            extra=document.extra,
            **highlights(kind=document.kind, title=document.title, body=document.body, query=query),
        )

    # The rows are the index: nothing to mirror.

    def index(self, documents) -> None:
        pass

    def delete(self, keys: list[str]) -> None:
        pass

    def rebuild(self, documents, *, total: int, progress=None) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        if progress:
            progress(total)


def top_values(values: list[FacetValue]) -> list[FacetValue]:
    """The most frequent values first (ties by value), at most ``SEARCH_FACET_SIZE``."""
    return sorted(values, key=lambda value: (-value.count, value.value))[: conf.get("SEARCH_FACET_SIZE")]
