"""What a page that hosts a discussion is, and the forum topic, the simplest such page.

A page type plugs a discussion in by inheriting ``DiscussionPage`` and supplying ``phase``; the
methods marked "Overridable" are the rest of that small interface (a consultation answers them
with its draft's sections and versions and its outcome's citations).
"""

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from deliberation.models.threads import ThreadKind
from deliberation.phases import PHASES, Action, Phase, phase_at


class ModerationMode(models.TextChoices):
    POST = "post", _("Post-moderation: contributions appear at once, moderators review after")
    PRE = "pre", _("Pre-moderation: contributions appear once a moderator approves them")


class Participation(models.TextChoices):
    REGISTERED = "registered", _("Any registered citizen")
    VERIFIED = "verified", _("Only accounts with a verified email address")


class DiscussionPage(models.Model):
    """What a page with a public discussion has (a consultation, a forum topic): its moderation
    and participation rules, the actions its phase opens, its institution and its public
    moderation log. The page class supplies ``phase``."""

    # The kind of the page's own thread (its parts', when it has any, are ThreadKind.SECTION).
    thread_kind: ThreadKind

    moderation_mode = models.CharField(
        _("moderation"), max_length=8, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    participation = models.CharField(
        _("who may take part"),
        max_length=12,
        choices=Participation.choices,
        default=Participation.REGISTERED,
    )

    class Meta:
        abstract = True

    @property
    def actions(self) -> frozenset[Action]:
        return PHASES[self.phase].actions

    @cached_property
    def institution(self):
        return self.get_parent().specific

    def discussion_sections(self) -> set[str] | None:
        """Overridable: the ids of the page's parts that have threads of their own (a draft's
        sections); None when the page has no parts."""
        return None

    def contribution_version(self, *, language: str):
        """Overridable: the published version of the page's text a contribution written now in
        ``language`` answers (stored with it), or None."""
        return None

    def contribution_citations(
        self, *, thread, contribution_ids: list[int] | None = None, language: str
    ) -> dict[int, list]:
        """Overridable: {contribution id: [citation]} for the published pages that cite the
        thread's contributions (all, or those of ``contribution_ids``), read in ``language``.
        A citation has ``title``, ``url`` and ``anchor``. Nothing cites a plain discussion."""
        return {}

    @path("moderation-log/", name="moderation_log")
    def moderation_log_route(self, request):
        # deliberation.views imports the models: imported when the route is served.
        from deliberation.views import moderation_log

        return moderation_log(request, self)


class InstitutionIdeaBox:
    """The rules of an idea thread whose page is an institution (an idea sent outside any
    consultation or forum topic): always open, post-moderated (newcomers and watched words
    still held, as everywhere), open to any registered citizen. Answers what ``rules.py``,
    the services and the live frames ask of a ``DiscussionPage``."""

    moderation_mode = ModerationMode.POST
    participation = Participation.REGISTERED
    phase = Phase.OPEN
    thread_kind = ThreadKind.IDEA

    def __init__(self, institution):
        self.page = institution
        self.institution = institution
        self.live = institution.live
        self.translation_key = institution.translation_key
        self.title = institution.title

    @property
    def actions(self) -> frozenset[Action]:
        return PHASES[self.phase].actions

    def discussion_sections(self):
        return None

    def contribution_version(self, *, language: str):
        return None

    def contribution_citations(self, *, thread, contribution_ids=None, language: str) -> dict:
        return {}

    def get_url(self, request=None):
        return self.page.get_url(request)

    @property
    def url(self):
        return self.page.url


class ForumTopicPageTopic(TaggedItemBase):
    content_object = ParentalKey(
        "deliberation.ForumTopicPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class ForumTopicPage(DiscussionPage, RoutablePageMixin, Page):
    """A discussion on a public policy that is not tied to a draft (e-People's "Forum").

    It uses the same thread, moderation and rules as a consultation: open from its first
    publication until ``closes_at`` (if any).
    """

    summary = models.TextField(_("summary"), max_length=600)
    body = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"],
    )
    topics = ClusterTaggableManager(
        verbose_name=_("topics"), through=ForumTopicPageTopic, blank=True
    )
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, help_text=_("Leave empty to keep it open.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("topics"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [FieldPanel("closes_at"), FieldPanel("moderation_mode"), FieldPanel("participation")],
            heading=_("Discussion rules"),
        ),
    ] + Page.settings_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    api_fields = [APIField("summary"), APIField("body"), APIField("closes_at"), APIField("topics")]

    parent_page_types = ["cms.InstitutionPage"]
    subpage_types = []
    thread_kind = ThreadKind.FORUM

    class Meta:
        verbose_name = _("forum topic")
        verbose_name_plural = _("forum topics")

    @cached_property
    def phase(self) -> Phase:
        now = timezone.now()
        opened = self.first_published_at or now
        closes = self.closes_at or now + timezone.timedelta(days=3650)
        return phase_at(opens_at=opened, closes_at=closes, outcome_published=False, now=now)

    @path("", name="topic")
    def topic_route(self, request):
        # deliberation.views imports the models: imported when the route is served.
        from deliberation.views import forum_topic_page

        return forum_topic_page(request, self)
