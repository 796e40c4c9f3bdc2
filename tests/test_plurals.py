"""Counts read right in Arabic's six plural forms (zero, one, two, 3–10, 11–99, 100+) and in
French: relative times (ours and the Wagtail admin's), results, contributions, limits."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from cms.l10n import time_ago

# At least two counts of each Arabic plural form.
ARABIC_COUNTS = [0, 1, 2, 3, 10, 11, 99, 100, 101, 111]
NOW = datetime.datetime(2026, 12, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "seconds, expected",
    [
        (0, "الآن"),
        (59, "الآن"),
        (60, "منذ دقيقة واحدة"),
        (120, "منذ دقيقتين"),
        (180, "منذ 3 دقائق"),
        (600, "منذ 10 دقائق"),
        (660, "منذ 11 دقيقة"),
        (59 * 60, "منذ 59 دقيقة"),
        (2 * 3600, "منذ ساعتين"),
        (2 * 86400, "منذ يومين"),
        (3 * 86400, "منذ 3 أيام"),
        (1 * 86400, "منذ يوم واحد"),
        (11 * 30 * 86400 + 86400 * 5, "منذ 11 شهرًا"),
        (100 * 366 * 86400, "منذ 100 سنة"),
    ],
)
def test_relative_times_in_arabic(seconds, expected):
    with translation.override("ar"):
        assert time_ago(NOW - datetime.timedelta(seconds=seconds), NOW).replace("\xa0", " ") == expected


@pytest.mark.parametrize(
    "seconds, expected",
    [(10, "à l’instant"), (60, "il y a 1 minute"), (120, "il y a 2 minutes"), (2 * 86400, "il y a 2 jours")],
)
def test_relative_times_in_french(seconds, expected):
    with translation.override("fr"):
        assert time_ago(NOW - datetime.timedelta(seconds=seconds), NOW).replace("\xa0", " ") == expected


@pytest.mark.parametrize(
    "language, delta, expected",
    [
        ("ar", datetime.timedelta(seconds=20), "الآن"),
        ("ar", datetime.timedelta(days=2), "منذ يومين"),
        ("ar", datetime.timedelta(days=14), "منذ أسبوعين"),
        ("fr", datetime.timedelta(seconds=20), "à l’instant"),
    ],
)
def test_the_wagtail_admin_says_how_long_ago_with_the_same_forms(language, delta, expected):
    """The moderation queues and dashboards use Wagtail's timesince_simple (human_readable_date):
    it read "قبل 0 دقيقة" under a minute and "قبل 2 يومين" before."""
    template = Template("{% load wagtailadmin_tags %}{{ when|timesince_simple }}")
    with translation.override(language):
        text = template.render(Context({"when": timezone.now() - delta}))
    assert text.replace("\xa0", " ") == expected


RESULTS = {
    0: "لا نتائج",
    1: "نتيجة واحدة",
    2: "نتيجتان",
    3: "3 نتائج",
    10: "10 نتائج",
    11: "11 نتيجة",
    99: "99 نتيجة",
    100: "100 نتيجة",
    101: "101 نتيجة",
    111: "111 نتيجة",
}


@pytest.mark.parametrize("count", ARABIC_COUNTS)
def test_search_results_are_counted_in_arabic(count):
    """The heading of the search page (search/search.html), rendered with its own message."""
    source = open("search/templates/search/search.html", encoding="utf-8").read()
    start = source.index("{% blocktranslate count counter=results.total")
    tag = source[start : source.index("{% endblocktranslate %}", start) + len("{% endblocktranslate %}")]
    template = Template("{% load i18n %}" + tag)
    with translation.override("ar"):
        text = template.render(Context({"results": {"total": count}, "total": count}))
    assert text == RESULTS[count]


CONTRIBUTIONS = {0: "لا مساهمات", 1: "مساهمة واحدة", 2: "مساهمتان", 3: "3 مساهمات", 10: "10 مساهمات",
                 11: "11 مساهمة", 99: "99 مساهمة", 100: "100 مساهمة", 101: "101 مساهمة", 111: "111 مساهمة"}


@pytest.mark.parametrize("count", ARABIC_COUNTS)
def test_a_consultation_card_counts_its_contributions_in_arabic(count):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} contribution{% plural %}"
        "{{ counter }} contributions{% endblocktranslate %}"
    )
    source = open("consultations/templates/consultations/includes/consultation_card.html", encoding="utf-8").read()
    assert "{{ counter }} contribution{% plural %}{{ counter }} contributions" in source
    with translation.override("ar"):
        assert template.render(Context({"n": count})) == CONTRIBUTIONS[count]
    with translation.override("fr"):
        assert template.render(Context({"n": count})) == f"{count} contribution" + ("s" if count > 1 else "")


@pytest.mark.parametrize(
    "minutes, expected",
    [
        (1, "لا يمكن تعديل المساهمات إلا خلال الدقيقة الأولى من نشرها."),
        (2, "لا يمكن تعديل المساهمات إلا خلال الدقيقتين الأوليين من نشرها."),
        (5, "لا يمكن تعديل المساهمات إلا خلال 5 دقائق من نشرها."),
        (15, "لا يمكن تعديل المساهمات إلا خلال 15 دقيقة من نشرها."),
        (120, "لا يمكن تعديل المساهمات إلا خلال 120 دقيقة من نشرها."),
    ],
)
def test_the_edit_window_refusal_counts_minutes_in_arabic(minutes, expected, settings, thread, citizen, post):
    from deliberation.rules import edit_refusal

    settings.DELIBERATION_EDIT_GRACE_MINUTES = minutes
    contribution = post(citizen, thread)
    later = contribution.created_at + datetime.timedelta(minutes=minutes + 1)
    with translation.override("ar"):
        assert edit_refusal(citizen, contribution, now=later) == expected


@pytest.mark.parametrize(
    "count, expected",
    [
        (1, "PDF أو JPEG أو PNG؛ ملف واحد على الأكثر لا يتجاوز 5 ميغابايت."),
        (2, "PDF أو JPEG أو PNG؛ ملفان على الأكثر لا يتجاوز كلّ منهما 5 ميغابايت."),
        (5, "PDF أو JPEG أو PNG؛ 5 ملفات على الأكثر لا يتجاوز كلّ منها 5 ميغابايت."),
        (20, "PDF أو JPEG أو PNG؛ 20 ملفًا على الأكثر لا يتجاوز كلّ منها 5 ميغابايت."),
    ],
)
def test_the_attachments_help_counts_files_in_the_readers_language(count, expected):
    from uploads.forms import attachments_field

    with translation.override("ar"):
        assert attachments_field(most=count, largest=5 * 1024 * 1024).help_text == expected
    with translation.override("fr"):
        french = attachments_field(most=count, largest=5 * 1024 * 1024).help_text
    assert french.startswith(f"PDF, JPEG ou PNG ; au maximum {count} fichier")
