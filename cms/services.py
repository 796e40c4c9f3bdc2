"""Business rules for the site's CMS structure: locales, home pages, translations, groups."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.models import HomePage, InstitutionPage

EDITOR_PAGE_PERMISSIONS = ("add", "change")
APPROVER_PAGE_PERMISSIONS = ("add", "change", "publish")
# Moderators may start forum topics: their drafts go through the institution's workflow.
MODERATOR_PAGE_PERMISSIONS = ("add", "change")
WATCHED_WORD_PERMISSIONS = ("view", "add", "change", "delete")


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
        # Wagtail's migrations make the tree's root; a flushed database has none.
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=default_locale)
        )
        existing = root.add_child(
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


def institution_group_names(institution: InstitutionPage) -> tuple[str, str]:
    """The names of an institution's editors and approvers groups."""
    return f"Editors: {institution.slug}", f"Approvers: {institution.slug}"


def institution_workflow_names(institution: InstitutionPage) -> tuple[str, str]:
    """The names of an institution's publishing workflow and its approval task, as editors read
    them on the submit button and in Wagtail's e-mails ("Submit to …").

    Wagtail keeps one name per workflow, so it is written in the site's default language with
    the institution's title in that language, never as a slug ("Publishing: el-kef").
    """
    language = settings.LANGUAGE_CODE
    titled = institution.get_translations(inclusive=True).filter(locale__language_code=language).first()
    title = (titled or institution).title
    with translation.override(language):
        return (
            gettext("Publishing the pages of %(institution)s") % {"institution": title},
            gettext("Approval by the approvers of %(institution)s") % {"institution": title},
        )


def moderators_group_name(institution: InstitutionPage) -> str:
    """The name of the group that moderates an institution's discussions."""
    return f"Moderators: {institution.slug}"


def _page_permissions_ensure(group: Group, pages, permission_types) -> None:
    for page in pages:
        for permission_type in permission_types:
            if not GroupPagePermission.objects.filter(
                group=group, page=page, permission__codename=f"{permission_type}_page"
            ).exists():
                GroupPagePermission.objects.create(
                    group=group, page=page, permission_type=permission_type
                )


def _collection_permissions_ensure(group: Group, collection: Collection) -> None:
    for codename in ("add_document", "change_document", "choose_document", "add_image", "choose_image"):
        permission = Permission.objects.get(codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def _access_admin() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _watched_word_permissions():
    return Permission.objects.filter(
        content_type__app_label="deliberation",
        codename__in=[f"{verb}_watchedword" for verb in WATCHED_WORD_PERMISSIONS],
    )


def moderator_permissions_grant(group: Group) -> None:
    """Let ``group`` (the platform-wide moderators) into the admin and let it keep the
    watched-words list, which applies to every institution's discussions.

    Which threads its members moderate is not a Django permission: it follows from the
    group's name (``deliberation.rules``). Running it again changes nothing.
    """
    group.permissions.add(_access_admin(), *_watched_word_permissions())


@dataclass(frozen=True)
class InstitutionRoles:
    editors: Group
    approvers: Group
    workflow: Workflow
    collection: Collection
    moderators: Group


@transaction.atomic
def institution_roles_ensure(*, institution: InstitutionPage) -> InstitutionRoles:
    """Groups, page permissions and the publishing workflow of one institution, in every language.

    Editors add and change pages beneath the institution's page (and its translations) but
    cannot publish: their "publish" submits the page to the institution's approval workflow,
    whose only task is approval by the institution's approvers. Approvers may also edit and
    publish. Both may upload documents and images into the institution's collection.
    Moderators moderate the institution's discussions and, like editors, may draft pages (forum
    topics) that go through the workflow; they do not keep the watched-words list, which applies
    to every institution (``moderator_permissions_grant`` is for platform-wide moderators), and
    a group given it by an earlier version loses it. Running it again changes nothing.
    """
    editors_name, approvers_name = institution_group_names(institution)
    editors, _ = Group.objects.get_or_create(name=editors_name)
    approvers, _ = Group.objects.get_or_create(name=approvers_name)
    moderators, _ = Group.objects.get_or_create(name=moderators_group_name(institution))
    access_admin = _access_admin()
    pages = list(institution.get_translations(inclusive=True))
    for group in (editors, approvers, moderators):
        group.permissions.add(access_admin)
    moderators.permissions.remove(*_watched_word_permissions())
    _page_permissions_ensure(editors, pages, EDITOR_PAGE_PERMISSIONS)
    _page_permissions_ensure(approvers, pages, APPROVER_PAGE_PERMISSIONS)
    _page_permissions_ensure(moderators, pages, MODERATOR_PAGE_PERMISSIONS)

    # (Wagtail's migration makes the root collection; an emptied database has none.)
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    collection = root.get_children().filter(name=institution.title).first()
    if collection is None:
        collection = root.add_child(name=institution.title)
    for group in (editors, approvers):
        _collection_permissions_ensure(group, collection)

    workflow_name, task_name = institution_workflow_names(institution)
    # Found by the group it asks (or by the slug names earlier versions gave), then renamed.
    task = (
        GroupApprovalTask.objects.filter(groups=approvers).first()
        or GroupApprovalTask.objects.filter(name=f"Approval by {approvers_name}").first()
        or GroupApprovalTask.objects.create(name=task_name)
    )
    if task.name != task_name:
        task.name = task_name
        task.save(update_fields=["name"])
    task.groups.set([approvers])
    assigned = WorkflowPage.objects.filter(page__in=pages).select_related("workflow").first()
    workflow = (
        (assigned.workflow if assigned else None)
        or Workflow.objects.filter(name=f"Publishing: {institution.slug}").first()
        or Workflow.objects.create(name=workflow_name)
    )
    if workflow.name != workflow_name:
        workflow.name = workflow_name
        workflow.save(update_fields=["name"])
    if not workflow.workflow_tasks.filter(task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return InstitutionRoles(editors, approvers, workflow, collection, moderators)
