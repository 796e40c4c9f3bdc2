"""Reading ideas: lists, one idea, whether an account supports it.

A list costs the same number of queries whatever the number of ideas (a count and a page).
"""

from django.db.models import Count, F, Q
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from citizen_ideas.models import Idea, IdeaSupport
from cms.models import InstitutionPage
from deliberation.models import ForumTopicPage, Status

ORDERINGS = {
    "support": ("-support_count", "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "answered": (F("status_changed_at").desc(nulls_last=True), "-created_at", "-pk"),
}


def ideas_list(*, institution=None, consultation=None, sort="support", status="", topic=None):
    """Published ideas of an institution or of a consultation (any translation), sorted and
    filtered; each with ``author_name`` and ``reply_count`` (published replies).

    A consultation's list is served by the consultation page, which Wagtail shows only to those
    who may read it; the institution's list shows only ideas sent to pages anyone may read (an
    idea within a restricted consultation is listed there, never here)."""
    if consultation is not None:
        ideas = Idea.objects.visible().filter(
            consultation__translation_key=consultation.translation_key
        )
    else:
        ideas = Idea.objects.public().filter(
            institution__translation_key=institution.translation_key
        )
    if status:
        ideas = ideas.filter(status=status)
    if topic:
        ideas = ideas.filter(topic__translation_key__in=ForumTopicPage.objects.filter(pk=topic).values("translation_key"))
    return (
        _with_contribution_count(
            ideas.select_related("author").only(
                "pk", "title", "status", "status_changed_at", "support_count", "created_at",
                "author__display_name", "thread_id", "opening_id",
            )
        )
        .order_by(*ORDERINGS.get(sort, ORDERINGS["support"]))
    )


def _with_contribution_count(ideas):
    """Each idea with ``contribution_count``: the published contributions of its thread, its
    text included (``reply_count`` gives the replies)."""
    return ideas.annotate(
        contribution_count=Count(
            "thread__contributions", filter=Q(thread__contributions__status=Status.PUBLISHED)
        )
    )


def reply_count(idea) -> int:
    """The published replies of an idea read with ``contribution_count`` (its text is not one)."""
    return max(idea.contribution_count - 1, 0)


def public_idea_counts(*, idea_id: int | None = None, thread_id: int | None = None) -> Idea | None:
    """The public idea (``Idea.objects.public()``) with ``idea_id`` or whose thread is
    ``thread_id``, with its institution's translation key and ``contribution_count``; None for
    an idea held for moderation, hidden, or sent to a page not everyone may read (what a live
    list, told to anyone, may say something about)."""
    ideas = Idea.objects.public()
    ideas = ideas.filter(pk=idea_id) if idea_id is not None else ideas.filter(thread_id=thread_id)
    return (
        _with_contribution_count(
            ideas.select_related("institution")
            .only("pk", "status", "support_count", "institution__translation_key")
        )
        .first()
    )


def institution_by_key(key) -> InstitutionPage | None:
    """A live institution (any translation) whose translation key is ``key``."""
    return InstitutionPage.objects.live().filter(translation_key=key).order_by("pk").first()


def public_institution(institution) -> bool:
    """Whether anyone may read one of the translations of ``institution``."""
    return (
        institution is not None
        and InstitutionPage.objects.live().public()
        .filter(translation_key=institution.translation_key)
        .exists()
    )


def is_public_page(page) -> bool:
    """Whether anyone may read ``page``: live, with no view restriction on it or above it."""
    return page is not None and Page.objects.live().public().filter(pk=page.pk).exists()


def idea_find(pk: int) -> Idea | None:
    return (
        Idea.objects.select_related("thread", "opening", "author", "institution", "consultation", "topic")
        .filter(pk=pk)
        .first()
    )


def supported_by(user, idea) -> bool:
    return user.is_authenticated and IdeaSupport.objects.filter(idea=idea, user=user).exists()


def in_language(page, language: str | None = None):
    """The live translation of ``page`` in ``language`` (or ``page``)."""
    if page is None:
        return None
    language = language or get_language()
    if page.locale.language_code != language:
        locale = Locale.objects.filter(language_code=language).first()
        translation = page.get_translation_or_none(locale) if locale else None
        if translation is not None and translation.live:
            return translation.specific
    return page.specific


def institution_by_slug(slug: str) -> InstitutionPage | None:
    """The live institution with ``slug``, in the current language when it has that slug."""
    pages = InstitutionPage.objects.live().filter(slug=slug)
    return pages.filter(locale__language_code=get_language()).first() or pages.order_by("pk").first()


def institution_topics(institution) -> list:
    """The live forum topics of ``institution`` in its language (for the forms' choices)."""
    return list(ForumTopicPage.objects.live().child_of(institution).order_by("title"))


# --- The home page -----------------------------------------------------------------------------


def ideas_recent(*, limit: int) -> list[Idea]:
    """The latest ideas anyone may read (``Idea.objects.public()``), with their institution:
    one query."""
    return list(
        Idea.objects.public()
        .select_related("institution")
        .only(
            "pk", "title", "status", "support_count", "created_at", "institution__title",
            "institution__depth", "institution__path", "institution__url_path",
        )
        .order_by("-created_at", "-pk")[:limit]
    )
