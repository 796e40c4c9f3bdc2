"""Outcomes and decisions: what was heard and what was decided, traced to the contributions
and draft sections each answer rests on (DESIGN.md, "What none of the existing platforms does",
point 3). The trace is data: many-to-many rows from a response or a decision to contributions,
and the ids of draft sections (StreamField block ids, stable across versions).

The models belong to the ``consultations`` app (``consultations.models`` imports this module).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from consultations.models import ConsultationPage, DocumentLink
from consultations.outcomes.forms import DecisionPageForm, OutcomePageForm, ResponsesPanel


class ResponseStatus(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    OUTSIDE_SCOPE = "outside_scope", _("Outside the scope")
    FURTHER_STUDY = "further_study", _("For further study")


class CitingPage(models.Model):
    """What an outcome or a decision shares: the consultation it answers and the check that
    it only cites that consultation's published contributions."""

    class Meta:
        abstract = True

    def _citations(self):
        """(label, contributions) for each citing part of this page: responses, or the page."""
        raise NotImplementedError

    @cached_property
    def consultation(self) -> "ConsultationPage | None":
        # (``path`` is set as soon as the page has a place in the tree, before it is saved.)
        if not self.path:
            return None
        return ConsultationPage.objects.ancestor_of(self).select_related("locale").first()

    def clean(self):
        super().clean()
        # (services imports these models)
        from consultations.outcomes.services import citation_refusals

        consultation = self.consultation
        if consultation is None:
            return
        errors = citation_refusals(
            consultation=consultation,
            contribution_ids=[c.pk for cited in self._citations() for c in cited],
        )
        if errors:
            raise ValidationError(errors)


class OutcomePage(CitingPage, RoutablePageMixin, Page):
    """What the institution heard in a consultation and what it does with it: one per
    consultation. Publishing it moves the consultation to the "outcome published" phase and
    freezes its participation statistics."""

    what_we_heard = RichTextField(
        _("what we heard"),
        features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"],
        help_text=_("A summary of what contributors said, in a few paragraphs."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("what_we_heard"),
        ResponsesPanel("responses", label=_("Responses: you said, we did"), min_num=1),
    ]
    base_form_class = OutcomePageForm
    search_fields = Page.search_fields + [index.SearchField("what_we_heard")]
    api_fields = [APIField("what_we_heard")]

    parent_page_types = ["consultations.ConsultationPage"]
    subpage_types = ["consultations.DecisionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def _citations(self):
        return [response.contributions.all() for response in self.responses.all()]

    @path("", name="outcome")
    def outcome_route(self, request):
        # (a route: the views import these models)
        from consultations.outcomes.views import outcome_page

        return outcome_page(request, self)


class OutcomeResponse(Orderable, ClusterableModel):
    """One theme of the outcome: "you said, we did", with the contributions it answers."""

    page = ParentalKey(OutcomePage, on_delete=models.CASCADE, related_name="responses")
    theme = models.CharField(_("theme"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=ResponseStatus.choices)
    heard = models.TextField(
        _("you said"), help_text=_("What contributors said on this theme, in a few sentences.")
    )
    reasoning = RichTextField(
        _("we did, and why"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        help_text=_("What the institution decided on this theme, and its reasons."),
    )
    section_ids = models.JSONField(_("draft sections"), default=list, blank=True)
    contributions = ParentalManyToManyField(
        "deliberation.Contribution",
        blank=True,
        related_name="outcome_responses",
        verbose_name=_("contributions it answers"),
    )

    panels = [
        FieldPanel("theme"),
        FieldPanel("status"),
        FieldPanel("heard"),
        FieldPanel("reasoning"),
        FieldPanel("section_ids"),
        FieldPanel("contributions"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return self.theme

    @property
    def anchor(self) -> str:
        return f"response-{self.pk}"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")
    IMPLEMENTED = "implemented", _("Implemented")
    ABANDONED = "abandoned", _("Abandoned")


# Each status may be followed by these; "abandoned" may come at any point before the end.
DECISION_NEXT = {
    DecisionStatus.PROPOSED: {DecisionStatus.ADOPTED, DecisionStatus.ABANDONED},
    DecisionStatus.ADOPTED: {DecisionStatus.IN_FORCE, DecisionStatus.ABANDONED},
    DecisionStatus.IN_FORCE: {DecisionStatus.IMPLEMENTED, DecisionStatus.ABANDONED},
    DecisionStatus.IMPLEMENTED: set(),
    DecisionStatus.ABANDONED: set(),
}


class ReferenceKind(models.TextChoices):
    LAW = "law", _("Law")
    DECREE = "decree", _("Decree")
    ORDER = "order", _("Order")
    MUNICIPAL = "municipal", _("Municipal decision")
    OTHER = "other", _("Other act")


class DecisionPageTopic(TaggedItemBase):
    content_object = ParentalKey(
        "consultations.DecisionPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class DecisionPage(CitingPage, Page):
    """A decision taken after a consultation, with its official reference, its dated status
    history and what it rests on. Each has its own permanent URL beneath the outcome."""

    summary = models.TextField(_("summary"), max_length=600)
    reference_kind = models.CharField(
        _("kind of act"), max_length=12, choices=ReferenceKind.choices, blank=True
    )
    reference_number = models.CharField(
        _("number"), max_length=100, blank=True, help_text=_("For example: 2026-412.")
    )
    jort_reference = models.CharField(
        _("Official Journal (JORT) reference"),
        max_length=200,
        blank=True,
        help_text=_("Issue and page, for example: JORT n° 68, 12 June 2026, p. 2143."),
    )
    signed_on = models.DateField(_("signature date"), null=True, blank=True)
    body = RichTextField(
        _("text"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3", "document-link"]
    )
    topics = ClusterTaggableManager(verbose_name=_("topics"), through=DecisionPageTopic, blank=True)
    responses = ParentalManyToManyField(
        OutcomeResponse, blank=True, related_name="decisions", verbose_name=_("responses")
    )
    contributions = ParentalManyToManyField(
        "deliberation.Contribution",
        blank=True,
        related_name="decisions",
        verbose_name=_("contributions it rests on"),
    )
    section_ids = models.JSONField(_("draft sections"), default=list, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("reference_kind"), FieldPanel("reference_number")]),
                FieldPanel("jort_reference"),
                FieldPanel("signed_on"),
            ],
            heading=_("Official reference"),
        ),
        InlinePanel("milestones", label=_("Status history"), min_num=1),
        FieldPanel("body"),
        InlinePanel("documents", label=_("Documents")),
        MultiFieldPanel(
            [FieldPanel("responses"), FieldPanel("contributions"), FieldPanel("section_ids")],
            heading=_("What it rests on"),
        ),
        FieldPanel("topics"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("reference_number"),
        index.SearchField("jort_reference"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    api_fields = [APIField("summary"), APIField("body"), APIField("signed_on")]

    base_form_class = DecisionPageForm

    parent_page_types = ["consultations.OutcomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def _citations(self):
        return [self.contributions.all()]

    def get_context(self, request, *args, **kwargs):
        # (the views import these models)
        from consultations.outcomes.views import decision_context

        context = super().get_context(request, *args, **kwargs)
        context.update(decision_context(request, self))
        return context

    def clean(self):
        super().clean()
        milestones = list(self.milestones.all())
        if milestones:
            # (services imports these models)
            from consultations.outcomes.services import milestone_refusals

            errors = milestone_refusals(milestones)
            if errors:
                raise ValidationError(errors)

    @property
    def history(self) -> list["DecisionMilestone"]:
        """The milestones in the order they happened."""
        return sorted(self.milestones.all(), key=lambda m: (m.date, m.sort_order or 0))

    @property
    def status(self) -> str:
        history = self.history
        return history[-1].status if history else DecisionStatus.PROPOSED

    def get_status_display(self) -> str:
        return str(DecisionStatus(self.status).label)

    @property
    def official_reference(self) -> str:
        parts = [self.get_reference_kind_display() if self.reference_kind else "", self.reference_number]
        return " ".join(part for part in parts if part)


class DecisionMilestone(Orderable):
    """A dated step of a decision: proposed, adopted, in force, implemented or abandoned.
    Once published, a milestone stays: the history is public."""

    page = ParentalKey(DecisionPage, on_delete=models.CASCADE, related_name="milestones")
    status = models.CharField(_("status"), max_length=12, choices=DecisionStatus.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    panels = [FieldRowPanel([FieldPanel("status"), FieldPanel("date")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")


class DecisionDocument(DocumentLink):
    page = ParentalKey(DecisionPage, on_delete=models.CASCADE, related_name="documents")


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Frozen records are never changed.")


class ParticipationSnapshot(models.Model):
    """A consultation's participation statistics as they were when its outcome was first
    published. Taken once and never changed: later edits or moderation do not move history."""

    consultation_key = models.UUIDField(_("consultation translation key"), unique=True)
    taken_at = models.DateTimeField(_("taken at"))
    data = models.JSONField(_("statistics"))

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation snapshot")
        verbose_name_plural = _("participation snapshots")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A participation snapshot is never changed.")
        super().save(*args, **kwargs)


class PublicationNotice(models.Model):
    """That the emails about one publication went out (an outcome, a decision's new status):
    claimed before sending, so each is sent once whichever translation is published, and
    however many times."""

    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.key
