"""Who may read a page: the one readability check (docs/architecture.md, "Who may read a page").

Every way into what a page holds besides Wagtail's own serving of it — the discussion forms,
the threads API, the thread socket, the open data exports, the search documents and feeds,
the e-mails that quote or link a page — asks ``page_read_refusal(user, page)`` (or the
``cms.read_page`` permission, its yes/no) and shows nothing at all when it refuses.

A page may be read when it and every ancestor below the tree's root are live, and every view
restriction (Wagtail's "private" pages) on it or an ancestor lets the reader in: *login*
needs a signed-in account, *groups* one of the groups (or a superuser), as Wagtail decides.
An alias has the view restrictions of the page it is an alias of, as in Wagtail.

A *password* restriction is never satisfied here. Wagtail serves the page itself behind its
own password form (the password is remembered in the browser's session only); the other
ways in have no such form, and the password is shared, so they treat the page as unreadable.
"""

import enum
from dataclasses import dataclass

import rules
from wagtail.models import Page, PageViewRestriction


class ReadRefusal(enum.StrEnum):
    """Why a page may not be read. Callers show none of it to the reader (a 404, no title)."""

    UNPUBLISHED = "unpublished"  # the page, or a page above it, is not live
    LOGIN_REQUIRED = "login_required"  # restricted to signed-in readers (or groups), anonymous
    FORBIDDEN = "forbidden"  # restricted to groups the reader is not in
    PASSWORD = "password"  # behind a shared password: readable only on Wagtail's page


@dataclass(frozen=True)
class Restriction:
    kind: str  # PageViewRestriction.LOGIN, GROUPS or PASSWORD
    group_ids: frozenset[int]


@dataclass(frozen=True)
class PageAccess:
    """What decides who may read one page, read once (``page_access``) and asked for any
    number of readers (``refusal_for``): a batch of e-mails reads it once per page."""

    live: bool
    restrictions: tuple[Restriction, ...]

    def refusal_for(self, user) -> ReadRefusal | None:
        if not self.live:
            return ReadRefusal.UNPUBLISHED
        refusal = None
        for restriction in self.restrictions:
            if restriction.kind == PageViewRestriction.PASSWORD:
                return ReadRefusal.PASSWORD
            if not user.is_authenticated:
                refusal = refusal or ReadRefusal.LOGIN_REQUIRED
            elif restriction.kind == PageViewRestriction.GROUPS and not user.is_superuser:
                if not restriction.group_ids & _group_ids(user):
                    refusal = ReadRefusal.FORBIDDEN
        return refusal


def _group_ids(user) -> set[int]:
    """The reader's groups (from a ``prefetch_related("groups")`` when there is one)."""
    return {group.pk for group in user.groups.all()}


def page_access(page) -> PageAccess:
    """Whether ``page`` and its ancestors are live, and their view restrictions: one query
    (a second one when the page or an ancestor is an alias)."""

    step = page.steplen
    paths = [page.path[:end] for end in range(step, len(page.path) + 1, step)]
    rows = Page.objects.filter(path__in=paths).values_list(
        "depth",
        "live",
        "alias_of_id",
        "view_restrictions__pk",
        "view_restrictions__restriction_type",
        "view_restrictions__groups",
    )
    live = True
    found: dict[int, tuple[str, set]] = {}
    sources = set()
    depths = set()
    for depth, is_live, alias_of, pk, kind, group in rows:
        depths.add(depth)
        if depth > 1 and not is_live:
            live = False
        if alias_of:
            sources.add(alias_of)
        if pk is not None:
            found.setdefault(pk, (kind, set()))[1].add(group)
    if len(depths) != len(paths):
        live = False  # the page (or an ancestor) is gone
    if sources:
        for pk, kind, group in PageViewRestriction.objects.filter(
            page_id__in=sources
        ).values_list("pk", "restriction_type", "groups"):
            found.setdefault(pk, (kind, set()))[1].add(group)
    return PageAccess(
        live=live,
        restrictions=tuple(
            Restriction(kind=kind, group_ids=frozenset(g for g in groups if g is not None))
            for kind, groups in found.values()
        ),
    )


def page_read_refusal(user, page) -> ReadRefusal | None:
    """Why ``user`` (an account or AnonymousUser) may not read ``page``, or None if they may.

    One query for a public, draft, login- or password-restricted page; two when a groups
    restriction has to look at the reader's groups (or the page is an alias)."""
    if page is None:
        return ReadRefusal.UNPUBLISHED
    return page_access(page).refusal_for(user)


@rules.predicate
def can_read_page(user, page) -> bool:
    return page_read_refusal(user, page) is None


rules.add_perm("cms.read_page", can_read_page)
