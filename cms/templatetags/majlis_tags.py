"""Site-wide template tags: language switcher, main menu, text direction."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, Site

from cms.disclosure import count_text
from cms.l10n import format_day, format_moment, localize_digits

register = template.Library()


def _localized_home(request, language_code: str | None = None) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    if language_code is None:
        return root.localized
    translation = (
        root.get_translations(inclusive=True).live().filter(locale__language_code=language_code)
    ).first()
    return translation


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per site language that keeps the reader on the same content.

    On a CMS page it links to that page's live translations (the language's home page
    where there is none yet); on any other view it swaps the URL's language prefix.
    """
    request = context["request"]
    current = get_language()
    page = context.get("page")
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page) and page.pk:
            target = translations.get(code) or _localized_home(request, code)
            url = target.get_url(request) if target else f"/{code}/"
        else:
            url = translate_url(request.get_full_path(), code)
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
    return links


@register.simple_tag
def main_menu(home: Page | None) -> list[Page]:
    """The home page's children that editors chose to show in menus."""
    if home is None:
        return []
    return list(home.get_children().live().public().in_menu().only("title", "url_path"))


@register.simple_tag(takes_context=True)
def localized_home(context) -> Page | None:
    """The home page in the reader's language."""
    return _localized_home(context["request"])


@register.filter
def local_day(value) -> str:
    """A date in the reader's language, with the locale's digits (cms/l10n.py)."""
    return format_day(value) if value else ""


@register.simple_tag
def local_moment(value, time_zone: str) -> str:
    """A date and time in ``time_zone``, in the reader's language."""
    return format_moment(value, time_zone) if value else ""


@register.filter
def published(count) -> str:
    """A published count (cms.disclosure.Count): its digits, or why it is hidden ("fewer
    than 5", "withheld"), marked so that pages can style it and tests can find it."""
    if count.shown:
        return localize_digits(str(count.value), get_language())
    return format_html(
        '<span class="count-hidden" data-suppressed="{}">{}</span>',
        count.suppressed,
        count_text(count),
    )


@register.filter
def digits(value) -> str:
    """A number written with the digits of the page's language (as dates are)."""
    return localize_digits(str(value), get_language())

