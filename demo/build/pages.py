"""The demo site tree: home pages, the about page, institutions and their policy pages."""

from wagtail.models import Locale

from cms.models import HomePage, InstitutionPage, PolicyPage, StandardPage
from cms.services import home_page_ensure, locales_ensure, page_translation_ensure
from demo.build.publishing import child_publish, topics_publish
from demo.content.site import ABOUT, HOME, INSTITUTIONS

SOURCE = "ar"


def _stream(blocks: list[tuple[str, object]]) -> list[dict]:
    """StreamField content in Wagtail's raw form, from (block type, value) pairs."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


def _texts(data: dict) -> dict:
    """A language's field values, with any StreamField body in raw form."""
    return {key: _stream(value) if key == "body" else value for key, value in data.items()}


def _translations_ensure(page, data: dict, locales: dict[str, Locale]) -> None:
    for code in locales:
        if code != SOURCE:
            page_translation_ensure(page=page, locale=locales[code], **_texts(data[code]))


def _about_ensure(home: HomePage, locales: dict[str, Locale]) -> StandardPage:
    about = StandardPage.objects.child_of(home).filter(slug=ABOUT["slug"]).first()
    if about is None:
        about = child_publish(
            parent=home,
            page=StandardPage(slug=ABOUT["slug"], show_in_menus=True, **_texts(ABOUT[SOURCE])),
        )
    _translations_ensure(about, ABOUT, locales)
    return about


def _policy_ensure(institution: InstitutionPage, data: dict, locales: dict[str, Locale]) -> None:
    policy = PolicyPage.objects.child_of(institution).filter(slug=data["slug"]).first()
    if policy is None:
        policy = child_publish(
            parent=institution,
            page=PolicyPage(
                slug=data["slug"], published_on=data["published_on"], **_texts(data[SOURCE])
            ),
            topics=data["topics"][SOURCE],
        )
    for code in locales:
        if code == SOURCE or policy.get_translation_or_none(locales[code]) is not None:
            continue
        translation = page_translation_ensure(
            page=policy, locale=locales[code], **_texts(data[code])
        )
        topics_publish(translation, data["topics"][code])


def _institution_ensure(home: HomePage, data: dict, locales: dict[str, Locale]) -> InstitutionPage:
    contact = {key: data[key] for key in ("kind", "contact_email", "phone", "website")}
    institution = InstitutionPage.objects.child_of(home).filter(slug=data["slug"]).first()
    if institution is None:
        institution = child_publish(
            parent=home,
            page=InstitutionPage(slug=data["slug"], **contact, **_texts(data[SOURCE])),
        )
    _translations_ensure(institution, data, locales)
    for policy in data["policies"]:
        _policy_ensure(institution, policy, locales)
    return institution


def pages_seed(*, report) -> dict:
    """Build the demo site tree. ``report(message)`` is told of each step. Returns the pages."""
    locales = locales_ensure()
    home = home_page_ensure(**HOME[SOURCE])
    homes = {SOURCE: home}
    for code in locales:
        if code != SOURCE:
            homes[code] = page_translation_ensure(page=home, locale=locales[code], **HOME[code])
    report("Home pages: " + ", ".join(f"/{code}/" for code in homes))

    _about_ensure(home, locales)
    report("About page")

    institutions = []
    for data in INSTITUTIONS:
        institutions.append(_institution_ensure(home, data, locales))
        report(f"Institution {data['en']['title']}: pages in {', '.join(locales)}")
    return {"home": home, "institutions": institutions}
