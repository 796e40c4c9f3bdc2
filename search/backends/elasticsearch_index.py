"""The Elasticsearch index of the search documents: its analysers and mapping, and the
document indexed for each ``SearchDocument`` row (search/backends/elasticsearch.py says why
the fields are what they are).

Two kinds of text field:

- ``title_words`` / ``body_words`` hold the row's folded words (search/text.py) read with a
  ``whitespace`` tokenizer and no filter: they decide what matches, exactly as in the database;
- ``title_<language>`` / ``body_<language>`` hold the original text in the document's language
  (Arabic, French or English analysers: normalisation, elision, folding, stop words, stems):
  they only add relevance.
"""

from __future__ import annotations

from collections.abc import Iterable

from elasticsearch.dsl import (
    Date,
    Index,
    Integer,
    Keyword,
    Mapping,
    Object,
    Text,
    analyzer,
    token_filter,
)

from search import conf
from search.models import SearchDocument

# Elided before a vowel: l'eau, qu'il, jusqu'à…
FRENCH_ARTICLES = "l m t qu n s j d c jusqu quoiqu lorsqu puisqu".split()

FOLDED = analyzer("majlis_folded", tokenizer="whitespace")
ARABIC = analyzer(
    "majlis_arabic",
    tokenizer="standard",
    filter=[
        "lowercase",
        "decimal_digit",
        token_filter("majlis_arabic_stop", "stop", stopwords="_arabic_"),
        "arabic_normalization",
        token_filter("majlis_arabic_stemmer", "stemmer", language="arabic"),
    ],
)
FRENCH = analyzer(
    "majlis_french",
    tokenizer="standard",
    filter=[
        token_filter(
            "majlis_french_elision",
            "elision",
            articles_case=True,
            articles=FRENCH_ARTICLES,
        ),
        "lowercase",
        token_filter("majlis_french_stop", "stop", stopwords="_french_"),
        "asciifolding",
        token_filter("majlis_french_stemmer", "stemmer", language="light_french"),
    ],
)
ENGLISH = analyzer(
    "majlis_english",
    tokenizer="standard",
    filter=[
        token_filter("majlis_english_possessive", "stemmer", language="possessive_english"),
        "lowercase",
        token_filter("majlis_english_stop", "stop", stopwords="_english_"),
        "asciifolding",
        token_filter("majlis_english_stemmer", "stemmer", language="english"),
    ],
)
LANGUAGE_ANALYZERS = {"ar": ARABIC, "fr": FRENCH, "en": ENGLISH}

# A reference ("Décret n° 2024-12") read as words, for whoever queries the index directly.
FOLDED_REFERENCE = analyzer(
    "majlis_reference",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", "arabic_normalization"],
)


def index_mapping() -> Mapping:
    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    for name in ("key", "kind", "language", "institution", "status", "topics"):
        mapping.field(name, Keyword())
    mapping.field("year", Integer())
    for name in ("date", "opens_at", "closes_at"):
        mapping.field(name, Date())
    mapping.field("reference", Keyword(fields={"text": Text(analyzer=FOLDED_REFERENCE)}))
    # Shown with a result, never searched.
    mapping.field("title", Text(index=False))
    mapping.field("body", Text(index=False))
    mapping.field("url", Keyword(index=False, doc_values=False))
    mapping.field("institution_name", Keyword(index=False, doc_values=False))
    mapping.field("extra", Object(enabled=False))
    # What decides a match.
    for name in ("title_words", "body_words"):
        mapping.field(name, Text(analyzer=FOLDED, index_prefixes={"min_chars": 1, "max_chars": 8}))
    # What adds relevance, in the document's language.
    for language, language_analyzer in LANGUAGE_ANALYZERS.items():
        mapping.field(f"title_{language}", Text(analyzer=language_analyzer))
        mapping.field(f"body_{language}", Text(analyzer=language_analyzer))
    return mapping


def index_settings_body() -> dict:
    """``{"settings": …, "mappings": …}`` of a new index. One shard: facet counts and relevance
    statistics are then exact (the documents number in the tens of thousands)."""
    index = Index(conf.get("SEARCH_ELASTICSEARCH_ALIAS"))
    index.settings(number_of_shards=1)
    index.mapping(index_mapping())
    return index.to_dict()


def document_body(row: SearchDocument, topics: Iterable[str] | None = None) -> dict:
    """The indexed document of a row (``_id`` is ``row.key``). ``topics`` default to the row's."""
    if topics is None:
        topics = row.topics or []
    body = {
        "key": row.key,
        "kind": row.kind,
        "language": row.language,
        "institution": row.institution,
        "status": row.status,
        "year": row.year,
        "topics": sorted(topics),
        "date": row.date.isoformat(),
        "opens_at": row.opens_at.isoformat() if row.opens_at else None,
        "closes_at": row.closes_at.isoformat() if row.closes_at else None,
        "reference": row.reference,
        "title": row.title,
        "body": row.body,
        "url": row.url,
        "institution_name": row.institution_name,
        "extra": row.extra or {},
        "title_words": row.title_words,
        "body_words": row.body_words,
    }
    if row.language in LANGUAGE_ANALYZERS:
        # A contribution's title (its discussion's) is not its words: not searched at all.
        if row.title_words:
            body[f"title_{row.language}"] = row.title
        body[f"body_{row.language}"] = row.body
    return body
