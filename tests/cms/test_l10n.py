"""Dates, durations and digits in the reader's language (cms/l10n.py)."""

import datetime

import pytest

from cms.l10n import format_day, format_duration, format_moment

MOMENT = datetime.datetime(2026, 1, 1, 22, 59, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "1 جانفي 2026، 23:59"),  # Tunisian month name, Latin digits, Tunis time
        ("fr", "1 janvier 2026, 23:59"),
        ("en", "1 January 2026, 23:59"),
    ],
)
def test_moment_in_the_institutions_time_zone_and_readers_language(language, expected):
    assert format_moment(MOMENT, "Africa/Tunis", language) == expected


def test_arabic_indic_digits_where_the_locale_writes_them(settings):
    settings.MAJLIS_FORMAT_LOCALES = {"ar": "ar_EG"}
    assert format_day(MOMENT.date(), "ar") == "١ يناير ٢٠٢٦"


@pytest.mark.parametrize(
    ("delta", "language", "expected"),
    [
        (datetime.timedelta(days=19, hours=23), "en", "19 days"),  # not "3 weeks"
        (datetime.timedelta(days=1, hours=20), "en", "44 hours"),
        (datetime.timedelta(minutes=90), "en", "90 minutes"),
        (datetime.timedelta(seconds=5), "en", "1 minute"),
        (datetime.timedelta(hours=2, minutes=59), "ar", "ساعتان"),  # Arabic dual
        (datetime.timedelta(days=11), "ar", "11 يومًا"),
        (datetime.timedelta(days=3), "fr", "3\xa0jours"),
    ],
)
def test_durations_round_down_with_proper_plurals(delta, language, expected):
    assert format_duration(delta, language) == expected
