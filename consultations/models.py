from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from consultations.blocks import DraftBlock, GuidingQuestionsBlock
from consultations.sections import Section, draft_sections
from deliberation.models import DiscussionPage, ThreadKind
from deliberation.phases import Phase, phase_at


class ConsultationPageTopic(TaggedItemBase):
    content_object = ParentalKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class ConsultationPage(DiscussionPage, RoutablePageMixin, Page):
    """A draft text an institution puts to the public, with its sections, dates and versions."""

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences for listings and feeds.")
    )
    context = RichTextField(
        _("context"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"],
        help_text=_("Why this text, what is at stake, what has already been decided."),
    )
    guiding_questions = StreamField(
        GuidingQuestionsBlock(), blank=True, verbose_name=_("guiding questions")
    )
    draft = StreamField(DraftBlock(), verbose_name=_("draft text"))
    change_note = models.TextField(
        _("change note"),
        blank=True,
        help_text=_(
            "When you publish a new version of the draft, say what changed. Shown in the "
            "public version history."
        ),
    )
    topics = ClusterTaggableManager(
        verbose_name=_("topics"), through=ConsultationPageTopic, blank=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Set when the consultation's outcome is published (consultations.outcomes.services), kept
    # across later publications of the consultation (see with_content_json).
    outcome_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("context"),
        FieldPanel("guiding_questions"),
        FieldPanel("draft"),
        FieldPanel("change_note"),
        InlinePanel("attachments", label=_("Attachments")),
        FieldPanel("topics"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("moderation_mode"),
                FieldPanel("participation"),
            ],
            heading=_("Consultation period and rules"),
        ),
    ] + Page.settings_panels

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("context"),
        index.SearchField("draft"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("context"),
        APIField("guiding_questions"),
        APIField("draft"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("topics"),
    ]

    parent_page_types = ["cms.InstitutionPage"]
    subpage_types = ["consultations.OutcomePage", "questionnaires.QuestionnairePage"]
    thread_kind = ThreadKind.CONSULTATION

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The consultation must close after it opens.")}
            )
        if self.draft is not None and not any(
            child.block_type == "section" for child in self.draft
        ):
            raise ValidationError(
                {"draft": _("A consultation needs a draft with at least one section.")}
            )

    def with_content_json(self, content):
        """A revision holds the fields as they were when it was saved; whether an outcome has
        been published since is not the editor's to undo by publishing an older text."""
        obj = super().with_content_json(content)
        obj.outcome_published_at = self.outcome_published_at
        return obj

    # --- Phase -------------------------------------------------------------------

    def phase_at(self, now) -> Phase:
        return phase_at(
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            outcome_published=self.outcome_published_at is not None,
            now=now,
        )

    @cached_property
    def phase(self) -> Phase:
        return self.phase_at(timezone.now())

    # --- Draft -----------------------------------------------------------------

    @cached_property
    def sections(self) -> list[Section]:
        return draft_sections(self.draft)

    # --- Its discussion (deliberation.models.DiscussionPage) -------------------------------

    def discussion_sections(self) -> set[str]:
        return {section.id for section in self.sections}

    def contribution_version(self, *, language: str) -> "DraftVersion | None":
        versions = DraftVersion.objects.filter(
            consultation__translation_key=self.translation_key
        ).order_by("-number")
        return (
            versions.filter(consultation__locale__language_code=language).first()
            or versions.filter(consultation_id=self.pk).first()
        )

    def contribution_citations(self, *, thread, contribution_ids=None, language):
        if self.outcome_published_at is None:
            return {}
        # The outcome selectors import this module: imported when first asked.
        from consultations.outcomes.selectors import citations_by_contribution

        if contribution_ids is None:
            return citations_by_contribution(thread=thread, language=language)
        return citations_by_contribution(contribution_ids=contribution_ids, language=language)

    # --- Routes (each imports its view when served: the views import this module) --------

    @path("", name="consultation")
    def consultation_route(self, request):
        from consultations.views import consultation_page

        return consultation_page(request, self)

    @path("versions/", name="versions")
    def versions_route(self, request):
        from consultations.views import version_history

        return version_history(request, self)

    @path("sections/<str:section_id>/", name="section")
    def section_route(self, request, section_id):
        from consultations.views import section_thread_page

        return section_thread_page(request, self, section_id)

    @path("ideas/", name="ideas")
    def ideas_route(self, request):
        from citizen_ideas.views import consultation_ideas

        return consultation_ideas(request, self)

    @path("ideas/propose/", name="propose_idea")
    def propose_idea_route(self, request):
        from citizen_ideas.views import consultation_propose

        return consultation_propose(request, self)

    @path("follow/", name="follow")
    def follow_route(self, request):
        from consultations.views import follow_toggle

        return follow_toggle(request, self)

    @path("open-data/<slug:dataset>/<slug:fmt>/", name="open_data")
    def open_data_route(self, request, dataset, fmt):
        from consultations.exports import open_data

        return open_data(request, self, dataset, fmt)


class DocumentLink(Orderable):
    """A document a page links to, with its own link text (attachments, a decision's texts)."""

    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("link text"), max_length=255, blank=True, help_text=_("Defaults to the document's title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        abstract = True

    @property
    def label(self) -> str:
        return self.title or self.document.title


class ConsultationAttachment(DocumentLink):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="attachments")


class DraftVersion(models.Model):
    """A public, numbered version of a consultation's draft, frozen when it was published."""

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    change_note = models.TextField(_("change note"), blank=True)
    sections = models.JSONField(_("sections"), default=list)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="consultations_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.consultation} v{self.number}"


class ConsultationFollow(models.Model):
    """A citizen follows a consultation (notifications use it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_consultations"
    )
    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closing_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "consultation"], name="consultations_follow_unique"
            )
        ]


# Django registers the models its apps' ``models`` modules import: the outcome and decision
# models are the consultations app's too, and are named here like the others.
from consultations.outcomes.models import (  # noqa: E402, F401
    DecisionDocument,
    DecisionMilestone,
    DecisionPage,
    DecisionPageTopic,
    DecisionStatus,
    OutcomePage,
    OutcomeResponse,
    ParticipationSnapshot,
    PublicationNotice,
    ReferenceKind,
    ResponseStatus,
)
