"""Dates, durations and digits in the reader's language, with CLDR's rules (Babel).

Django's own date filters know month names but not, for instance, Tunisia's Arabic
conventions or Arabic plural forms for durations; Babel carries CLDR's data for both.
Which CLDR locale stands for each site language is a setting (``MAJLIS_FORMAT_LOCALES``):
``ar_TN`` writes Latin digits as Tunisia does; a deployment in Egypt would choose ``ar_EG``
and get Arabic-Indic digits (٠١٢٣…) everywhere these helpers format.
"""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_timezone_location
from django.conf import settings
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language, gettext, gettext_noop, ngettext_lazy

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@lru_cache(maxsize=32)
def _parse(name: str) -> Locale:
    return Locale.parse(name)


def cldr_locale(language: str | None = None) -> Locale:
    """The CLDR locale for a site language (the active one by default)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return _parse(settings.MAJLIS_FORMAT_LOCALES.get(language, language))


def localize_digits(text: str, language: str | None = None) -> str:
    """Write digits as the locale's default numbering system does."""
    if cldr_locale(language).default_numbering_system == "arab":
        return text.translate(ARABIC_INDIC)
    return text


def format_day(value: datetime.date, language: str | None = None) -> str:
    return localize_digits(format_date(value, "long", locale=cldr_locale(language)), language)


def format_moment(
    value: datetime.datetime, time_zone: str, language: str | None = None
) -> str:
    """A date and time in ``time_zone`` (an institution's), e.g. "1 décembre 2026, 23:59"."""
    locale = cldr_locale(language)
    local = value.astimezone(ZoneInfo(time_zone))
    text = locale.datetime_formats["medium"].format(
        format_time(local, "HH:mm", locale=locale), format_date(local, "long", locale=locale)
    )
    return localize_digits(text, language)


def format_time_zone(time_zone: str, language: str | None = None) -> str:
    """A time zone as readers name it, from CLDR: "توقيت تونس", "Tunisia Time", not "Africa/Tunis"."""
    return get_timezone_location(ZoneInfo(time_zone), locale=cldr_locale(language))


# (seconds per unit, smallest count shown in it): days from 2 days, hours from 2 hours.
DURATION_UNITS = ((86400, 2), (3600, 2), (60, 1))


def format_duration(delta: datetime.timedelta, language: str | None = None) -> str:
    """A duration rounded down to whole days, hours or minutes: "19 jours", "5 ساعات".

    Rounded down because it says how long is left to act: "3 weeks" for 19 days would
    promise time that does not exist. Babel supplies the words and plural forms.
    """
    seconds = max(int(delta.total_seconds()), 60)
    for size, minimum in DURATION_UNITS:
        count = seconds // size
        if count >= minimum:
            break
    # threshold=count makes Babel pick exactly this unit (larger units fall below it).
    text = format_timedelta(
        datetime.timedelta(seconds=count * size), threshold=count, locale=cldr_locale(language)
    )
    return localize_digits(text, language)


# The units of a relative time. The messages are Django's own (django.utils.timesince), so
# this project's catalogs, which take precedence over Django's and Wagtail's, give their
# Arabic forms everywhere, the Wagtail admin's "3 days ago" included: Django's Arabic writes
# "2 يومين" and "0 دقيقة", ours "يومين" and, under a minute, "just now".
TIME_STRINGS = {
    "year": ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    "month": ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    "week": ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    "day": ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    "hour": ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    "minute": ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
}
# Wagtail's timesince_simple says "just now" when timesince's zero equals this message: in
# each catalog it must read exactly as the "%(num)d minute" form for 0 does.
ZERO_MINUTES = gettext_noop("0 minutes")


def time_ago(value: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """How long ago, in the largest whole unit: "just now", "منذ دقيقتين", "il y a 3 jours"."""
    now = now or timezone.now()
    if now - value < datetime.timedelta(minutes=1):
        return gettext("just now")
    period = timesince(value, now, time_strings=TIME_STRINGS, depth=1)
    return localize_digits(gettext("%(time_period)s ago") % {"time_period": period})
