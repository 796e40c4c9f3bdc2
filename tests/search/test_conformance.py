"""The behaviour both search backends keep (search/backends/base.py), on a known corpus.

Runs against the database backend always, and against Elasticsearch too when
``ELASTICSEARCH_URL`` is set (tests/search/conftest.py). Expected counts are computed here from
the corpus itself, not copied from a run.
"""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from search.backends.base import SearchRequest
from search.documents import DocumentData
from search.forms import SearchForm
from search.selectors import documents_search
from search.services import document_save
from search.text import parse_query

TUNIS = ZoneInfo("Africa/Tunis")


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=TUNIS)


# (kind, language, title, body, institution, topics, status, date)
CORPUS = [
    ("decision", "ar", "قرار تنظيم توزيع المياه", "تقرر البلدية إحداث عشر نافورات عمومية في مدينة الكاف وإصلاح الشبكة.", "el-kef", ["الماء"], "adopted", at(2025, 3, 10)),
    ("decision", "fr", "Décret relatif à la distribution de l'eau", "Le décret fixe les tarifs de l'eau potable pour les ménages du Kef.", "el-kef", ["eau"], "in_force", at(2026, 2, 1)),
    ("decision", "en", "Order on public fountains", "The municipality will install ten public fountains and repair the network.", "el-kef", ["water"], "proposed", at(2026, 5, 1)),
    ("outcome", "ar", "ما سمعناه حول ميثاق الاستقبال", "طالب المواطنون بتقليص آجال الرد على المطالب الإدارية.", "bcrc", [], "", at(2025, 6, 1)),
    ("outcome", "fr", "Ce que nous avons entendu", "Les participants demandent des délais de réponse plus courts et un accusé de réception.", "bcrc", [], "", at(2025, 6, 2)),
    ("outcome", "en", "What we heard", "Participants asked for shorter response times and a written receipt.", "bcrc", [], "", at(2025, 6, 3)),
    ("consultation", "ar", "مشروع مجلة المياه", "يهدف المشروع إلى حماية الموارد المائية وترشيد استهلاك الماء في الفلاحة والري.", "agriculture", ["الماء"], "open", at(2026, 1, 15)),
    ("consultation", "fr", "Projet de code des eaux", "Le projet protège les ressources en eau et encadre l'irrigation agricole.", "agriculture", ["eau"], "open", at(2026, 1, 16)),
    ("consultation", "en", "Draft water code", "The draft protects water resources and regulates agricultural irrigation.", "agriculture", ["water"], "closed", at(2024, 11, 20)),
    ("policy", "ar", "استراتيجية الطاقة المتجددة", "تعتمد الوزارة خطة للطاقة الشمسية في المدارس والمستشفيات.", "energy", ["الطاقة"], "", at(2024, 9, 1)),
    ("policy", "fr", "Stratégie énergétique", "Le ministère équipe les écoles et les hôpitaux de panneaux solaires.", "energy", ["énergie"], "", at(2024, 9, 2)),
    ("policy", "en", "Energy strategy", "The ministry equips schools and hospitals with solar panels.", "energy", ["energy"], "", at(2024, 9, 3)),
    ("topic", "ar", "النقل العمومي في الكاف", "كيف نحسن مواعيد الحافلات بين الأحياء؟", "el-kef", ["النقل"], "open", at(2025, 10, 5)),
    ("topic", "fr", "Transports publics au Kef", "Comment améliorer les horaires des bus entre les quartiers ?", "el-kef", ["transport"], "open", at(2025, 10, 6)),
    ("topic", "en", "Public transport in El Kef", "How can bus timetables between neighbourhoods improve?", "el-kef", ["transport"], "closed", at(2025, 10, 7)),
    ("contribution", "ar", "مساهمة", "أقترح إضافة خط حافلة ليلي إلى المستشفى الجهوي.", "el-kef", ["النقل"], "", at(2025, 10, 8)),
    ("contribution", "fr", "Contribution", "Je propose une ligne de bus de nuit vers l'hôpital régional.", "el-kef", ["transport"], "", at(2025, 10, 9)),
    ("contribution", "en", "Contribution", "I suggest a night bus line to the regional hospital.", "el-kef", ["transport"], "", at(2025, 10, 10)),
]
KEYS = [f"doc-{number}" for number in range(len(CORPUS))]
# A word of each document's body, in its language, found in no other document's text.
BODY_WORDS = [
    "نافورات", "potable", "install", "آجال", "accusé", "receipt", "الموارد", "protège",
    "regulates", "الشمسية", "panneaux", "panels", "مواعيد", "horaires", "timetables", "ليلي",
    "nuit", "night",
]
INSTITUTION_NAMES = {"el-kef": "Municipalité du Kef", "bcrc": "BCRC", "agriculture": "Agriculture",
                     "energy": "Énergie"}


def rows():
    return [dict(zip(("kind", "language", "title", "body", "institution", "topics", "status", "date"), doc, strict=True), key=key)
            for key, doc in zip(KEYS, CORPUS, strict=True)]


@pytest.fixture
def corpus(db, search_backend):
    for row in rows():
        document_save(
            data=DocumentData(
                key=row["key"],
                kind=row["kind"],
                language=row["language"],
                title=row["title"],
                body=row["body"],
                url=f"/{row['language']}/{row['key']}/",
                date=row["date"],
                institution=row["institution"],
                institution_name=INSTITUTION_NAMES[row["institution"]],
                status=row["status"],
                topics=row["topics"],
                # Contributions' titles only name their discussion (documents.py).
            )
        )
    search_backend.sync()
    return rows()


def search(q="", **options):
    return documents_search(request=SearchRequest(query=parse_query(q), **options))


def keys(results):
    return [hit.key for hit in results.hits]


def test_each_kind_is_found_by_a_word_of_its_body_in_each_language(corpus):
    assert len(BODY_WORDS) == len(CORPUS)
    for key, word in zip(KEYS, BODY_WORDS, strict=True):
        assert keys(search(word)) == [key], word
    languages = {(row["kind"], row["language"]) for row in corpus}
    assert len(languages) == 6 * 3


@pytest.mark.parametrize(
    "typed",
    [
        "نافورات",
        "نافوراتٌ",       # with a diacritic
        "نافـــورات",      # with tatweel
    ],
)
def test_arabic_diacritics_and_tatweel_are_ignored(corpus, typed):
    assert keys(search(typed)) == ["doc-0"]


def test_arabic_letter_forms_fold_together(corpus, search_backend):
    document_save(
        data=DocumentData(
            key="forms", kind="policy", language="ar", title="إدارة المَدرسة",
            body="زيارة مستشفى آمن للأطفال ومكتبة المدرســـة", url="/ar/forms/",
            date=at(2026, 1, 1),
        )
    )
    search_backend.sync()
    for typed in ("ادارة", "أدارة", "آدارة", "إدارة", "ادارة المدرسه", "مستشفي", "امن", "أمن",
                  "المدرسة", "مَدْرَسَة"):
        assert "forms" in keys(search(typed)), typed


def test_french_accents_fold(corpus, search_backend):
    document_save(
        data=DocumentData(key="plain", kind="policy", language="fr", title="Note",
                          body="Le decret sans accent et la reforme.", url="/fr/plain/",
                          date=at(2026, 1, 1))
    )
    search_backend.sync()
    for typed in ("décret", "decret", "DÉCRET", "Decret"):
        assert set(keys(search(typed))) == {"doc-1", "plain"}, typed
    assert keys(search("réforme")) == ["plain"]
    assert keys(search("strategie energetique")) == ["doc-10"]


def test_phrases_match_words_in_order_and_next_to_each_other(corpus):
    assert keys(search('"panneaux solaires"')) == ["doc-10"]
    assert keys(search('"solaires panneaux"')) == []
    assert keys(search('"solar panels"')) == ["doc-11"]
    # Both words are in doc-11, but not side by side:
    assert keys(search('"ministry schools"')) == []
    assert keys(search("ministry schools")) == ["doc-11"]
    assert keys(search('"الطاقة الشمسية"')) == ["doc-9"]


def test_the_last_word_matches_as_a_prefix_and_only_the_last(corpus):
    assert set(keys(search("irrig"))) == {"doc-7", "doc-8"}
    assert keys(search("irrig agricole")) == []  # "irrig" is not the last word: whole word only
    assert keys(search("irrig ")) == []  # a space after it: the word is finished
    assert keys(search("agricultural irrig")) == ["doc-8"]
    assert set(keys(search("نافور"))) == {"doc-0"}


def test_all_words_must_match(corpus):
    assert keys(search("bus nuit")) == ["doc-16"]
    assert keys(search("bus fountains")) == []


def expected_facets(matching):
    counts = {name: Counter() for name in ("kind", "institution", "topic", "status", "year", "language")}
    for row in matching:
        counts["kind"][row["kind"]] += 1
        counts["institution"][row["institution"]] += 1
        counts["language"][row["language"]] += 1
        counts["year"][str(row["date"].year)] += 1
        if row["status"]:
            counts["status"][row["status"]] += 1
        for topic in row["topics"]:
            counts["topic"][topic] += 1
    return {name: dict(counter) for name, counter in counts.items()}


def facets_of(results):
    return {name: {value.value: value.count for value in values} for name, values in results.facets.items()}


def test_facet_counts_equal_counts_computed_from_the_corpus(corpus):
    everything = search()
    assert everything.total == len(corpus)
    assert facets_of(everything) == expected_facets(corpus)

    water = search("eau")  # the last word is a prefix: "l'eau", "en eau", "des eaux"
    matching = [row for row in corpus if row["key"] in ("doc-1", "doc-7")]
    assert {hit.key for hit in water.hits} == {row["key"] for row in matching}
    assert facets_of(water) == expected_facets(matching)


def test_facets_list_the_most_frequent_values_first(corpus):
    kinds = search().facets["kind"]
    assert [value.count for value in kinds] == sorted((value.count for value in kinds), reverse=True)
    institutions = [value.value for value in search().facets["institution"]]
    assert institutions[0] == "el-kef"  # 9 documents


@pytest.mark.parametrize(
    "filters, predicate",
    [
        ({"kinds": ("decision",)}, lambda row: row["kind"] == "decision"),
        ({"kinds": ("decision", "policy")}, lambda row: row["kind"] in ("decision", "policy")),
        ({"institutions": ("el-kef",)}, lambda row: row["institution"] == "el-kef"),
        ({"topics": ("transport",)}, lambda row: "transport" in row["topics"]),
        ({"topics": ("الماء", "eau")}, lambda row: {"الماء", "eau"} & set(row["topics"])),
        ({"statuses": ("open",)}, lambda row: row["status"] == "open"),
        ({"years": (2025,)}, lambda row: row["date"].year == 2025),
        ({"languages": ("ar",)}, lambda row: row["language"] == "ar"),
        (
            {"kinds": ("topic",), "languages": ("fr", "en"), "statuses": ("open",)},
            lambda row: row["kind"] == "topic" and row["language"] in ("fr", "en") and row["status"] == "open",
        ),
    ],
)
def test_filters(corpus, filters, predicate):
    results = search(page_size=50, **filters)
    expected = [row for row in corpus if predicate(row)]
    assert expected, "each case filters something"
    assert {hit.key for hit in results.hits} == {row["key"] for row in expected}
    assert results.total == len(expected)
    assert facets_of(results) == expected_facets(expected)


def test_filters_combine_with_the_words(corpus):
    assert set(keys(search("bus"))) == {"doc-13", "doc-14", "doc-16", "doc-17"}
    assert set(keys(search("bus", languages=("en",)))) == {"doc-14", "doc-17"}
    assert keys(search("bus", languages=("en",), kinds=("contribution",))) == ["doc-17"]
    assert keys(search("bus", languages=("ar",))) == []


def test_date_range_is_inclusive_in_whole_days_of_the_site_time_zone(corpus):
    day = datetime.date(2025, 3, 10)  # doc-0, at noon in Tunis
    assert "doc-0" in keys(search(date_from=day, date_to=day))
    assert keys(search(date_from=day, date_to=day)) == ["doc-0"]
    assert "doc-0" not in keys(search(date_to=day - datetime.timedelta(days=1), page_size=50))
    assert "doc-0" not in keys(search(date_from=day + datetime.timedelta(days=1), page_size=50))
    in_2025 = search(date_from=datetime.date(2025, 1, 1), date_to=datetime.date(2025, 12, 31), page_size=50)
    assert {hit.key for hit in in_2025.hits} == {row["key"] for row in corpus if row["date"].year == 2025}


def test_sort_by_date_lists_the_newest_first(corpus):
    results = search(sort="date", page_size=50)
    dates = [hit.date for hit in results.hits]
    assert dates == sorted(dates, reverse=True)
    assert results.hits[0].key == "doc-2"


def test_relevance_puts_title_matches_first_and_breaks_ties_by_date(corpus, search_backend):
    for key, title, day in (("text-old", "Network works", 1), ("text-new", "Network repairs", 3)):
        document_save(
            data=DocumentData(key=key, kind="policy", language="en", title=title,
                              body="New fountains near the market.", url=f"/en/{key}/",
                              date=at(2026, 9, day))
        )
    search_backend.sync()
    # doc-2 has "fountains" in its title (and text) and is older than both others.
    assert keys(search("fountains")) == ["doc-2", "text-new", "text-old"]
    assert keys(search("fountains", sort="date")) == ["text-new", "text-old", "doc-2"]


def test_highlights_mark_the_matched_words_as_written(corpus):
    hit = search("decret").hits[0]
    assert "<mark>Décret</mark>" in hit.title_html
    assert "<mark>décret</mark>" in hit.snippet_html
    phrase = search('"panneaux solaires"').hits[0]
    assert "<mark>panneaux solaires</mark>" in phrase.snippet_html
    arabic = search("نافوره").hits
    assert arabic == []  # ة/ه folding is for the final letter; "نافورات" is another word
    arabic = search("نافورات").hits[0]
    assert "<mark>نافورات</mark>" in arabic.snippet_html


def test_a_contributions_title_is_not_marked_it_is_not_searched(corpus, search_backend):
    document_save(
        data=DocumentData(key="titled", kind="contribution", language="fr",
                          title="Contribution à « Projet sur les fontaines »",
                          body="Des fontaines partout.", url="/fr/y/", date=at(2026, 1, 1))
    )
    search_backend.sync()
    hit = next(hit for hit in search("fontaines").hits if hit.key == "titled")
    assert "<mark>" not in hit.title_html
    assert "<mark>fontaines</mark>" in hit.snippet_html
    assert keys(search("projet sur")) == []  # only its title says so


def test_highlights_escape_the_text(corpus, search_backend):
    document_save(
        data=DocumentData(key="html", kind="contribution", language="fr", title="Contribution",
                          body="Attention <script>alert('eau')</script> & fontaines", url="/fr/x/",
                          date=at(2026, 1, 1))
    )
    search_backend.sync()
    hit = search("fontaines").hits[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;" in hit.snippet_html
    assert "<mark>fontaines</mark>" in hit.snippet_html


def test_pagination_covers_every_result_once(corpus):
    pages = [search(sort="date", page=number, page_size=5) for number in (1, 2, 3, 4)]
    seen = [key for results in pages for key in keys(results)]
    assert len(seen) == len(set(seen)) == len(corpus)
    assert [len(results.hits) for results in pages] == [5, 5, 5, 3]
    assert {results.total for results in pages} == {len(corpus)}
    assert pages[0].num_pages == 4
    assert keys(search(sort="date", page=5, page_size=5)) == []
    # Relevance pages are stable too (ties broken by date, then key).
    relevance = [key for number in (1, 2, 3, 4) for key in keys(search("", page=number, page_size=5))]
    assert sorted(relevance) == sorted(seen)


def test_an_empty_search_lists_everything_newest_first(corpus):
    results = search(page_size=50)
    assert results.total == len(corpus)
    assert [hit.date for hit in results.hits] == sorted((hit.date for hit in results.hits), reverse=True)


def test_hits_carry_the_schema_fields(corpus):
    hit = search("potable").hits[0]
    assert (hit.kind, hit.language, hit.institution, hit.status, hit.topics) == (
        "decision", "fr", "el-kef", "in_force", ["eau"]
    )
    assert hit.url == "/fr/doc-1/"
    assert hit.institution_name == "Municipalité du Kef"
    assert hit.date == at(2026, 2, 1)


@pytest.mark.parametrize(
    "typed",
    [
        'eau AND (bus OR "',
        "*:*",
        "title:eau",
        "'; DROP TABLE search_searchdocument; --",
        "eau -bus +nuit ~2 ^3",
        '"""',
        "\\",
        "NEAR(eau bus)",
        "eau* bus*",
        "{!lucene}eau",
        "((((((((((eau))))))))))",
        "😀 🚰",
        "a" * 40,
    ],
)
def test_odd_queries_are_searched_as_words_never_as_syntax(corpus, typed):
    form = SearchForm({"q": typed})
    assert form.is_valid(), form.errors
    results = documents_search(request=form.search_request())
    assert results.total >= 0
    for hit in results.hits:
        assert hit.key in KEYS


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "eau " * 80}, "q"),  # too long
        ({"q": " ".join(f"mot{n}" for n in range(20))}, "q"),  # too many words
        ({"q": "a" * 41}, "q"),  # a word too long
        ({"q": "eau\x00"}, "q"),  # control character
        ({"kind": "spaceship"}, "kind"),
        ({"language": "de"}, "language"),
        ({"year": "20x5"}, "year"),
        ({"date_from": "2025-13-40"}, "date_from"),
        ({"date_from": "2026-01-02", "date_to": "2026-01-01"}, "date_to"),
        ({"page": "0"}, "page"),
        ({"page": "100000"}, "page"),
        ({"page": "deux"}, "page"),
        ({"sort": "random"}, "sort"),
        ({"topic": ["t"] * 11}, "topic"),
        ({"institution": "x" * 300}, "institution"),
        ({"topic": "eau\x00"}, "topic"),
    ],
)
def test_bad_queries_are_refused_with_a_message(db, params, field):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    form = SearchForm(data)
    with translation.override("en"):
        assert not form.is_valid()
        assert field in form.errors
        assert all(message for message in form.error_messages_list())
