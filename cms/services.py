"""Business rules for the site's CMS structure: locales, home pages, translations, groups."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Locale, Page, Site

from cms.models import HomePage, InstitutionPage

EDITOR_PAGE_PERMISSIONS = ("add", "change")


def locales_ensure() -> dict[str, Locale]:
    """One Wagtail locale per site language, keyed by language code."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }


@transaction.atomic
def home_page_ensure(*, title: str, intro: str = "") -> HomePage:
    """The site's root HomePage in the default language, replacing Wagtail's welcome page.

    The default Site is pointed at it; its translations are the other languages' home pages.
    """
    default_locale = Locale.get_default()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    existing = HomePage.objects.filter(locale=default_locale, depth=2).first()
    if existing is None:
        existing = Page.get_first_root_node().add_child(
            instance=HomePage(title=title, slug="majlis", intro=intro, locale=default_locale)
        )
        existing.save_revision().publish()
    old_root = site.root_page if site else None
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True, site_name="Majlis")
    site.root_page = existing
    site.save()
    if old_root and old_root.pk != existing.pk and old_root.specific_class is Page:
        # Wagtail's "Welcome to your new Wagtail site!" placeholder.
        if not old_root.get_children().exists():
            old_root.delete()
    return existing


@transaction.atomic
def page_translation_ensure(*, page: Page, locale: Locale, **fields) -> Page:
    """The live translation of ``page`` into ``locale``, with ``fields`` set on first creation.

    An existing translation is returned untouched: editors' later changes are never overwritten.
    """
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation.specific
    translation = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def institution_editors_group_name(institution: InstitutionPage) -> str:
    return f"Editors: {institution.slug}"


@transaction.atomic
def institution_editors_group_ensure(*, institution: InstitutionPage) -> Group:
    """The group whose members edit pages under one institution (in every language).

    Members can reach the admin and add and change pages beneath the institution's page
    and its translations; publishing is not granted here (approval comes with workflows).
    """
    group, _ = Group.objects.get_or_create(name=institution_editors_group_name(institution))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for page in institution.get_translations(inclusive=True):
        for permission_type in EDITOR_PAGE_PERMISSIONS:
            if not GroupPagePermission.objects.filter(
                group=group, page=page, permission__codename=f"{permission_type}_page"
            ).exists():
                GroupPagePermission.objects.create(
                    group=group, page=page, permission_type=permission_type
                )
    return group
