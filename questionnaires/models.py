"""Questionnaires: a page of structured questions, and the responses citizens give to it.

A ``QuestionnairePage`` is a child of a consultation (it follows the consultation's phase and
participation rule) or of an institution (published on its own, with its own dates and rule).
Its questions are a StreamField (``questionnaires.blocks``): the block ids are the question
keys, the list items' ids the option keys, the same in every translation of the page.

A ``Response`` belongs to the questionnaire's ``translation_key`` (all its translations), an
``Answer`` row holds one value: one row per chosen option (single, multiple choice), per
ranked option (with its ``rank``), or one row with a ``number`` (scale, number) or a ``text``
(short, long text, with its review status). Results are then a few aggregate queries over
``Answer`` joined to submitted responses (``Response.is_draft`` false).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.governorates import Governorate
from cms.models import InstitutionPage
from deliberation.models import Participation
from deliberation.phases import Phase, phase_at
from questionnaires.blocks import QuestionsBlock
from questionnaires.structure import Question, questions_of, structure_errors


class QuestionnairePage(RoutablePageMixin, Page):
    """Structured questions an institution asks, beside a consultation or on their own."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What the questionnaire is for and how its answers will be used."),
    )
    questions = StreamField(QuestionsBlock(), verbose_name=_("questions"))
    anonymous_allowed = models.BooleanField(
        _("anonymous answers allowed"),
        default=False,
        help_text=_("Visitors without an account may answer (rate-limited, one per browser)."),
    )
    results_public = models.BooleanField(
        _("results public"),
        default=False,
        help_text=_("Show the results to everyone (editors always see them)."),
    )
    opens_at = models.DateTimeField(
        _("opens at"),
        null=True,
        blank=True,
        help_text=_("Under a consultation, leave empty to follow the consultation's dates."),
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Under a consultation, leave empty to follow the consultation's dates."),
    )
    participation = models.CharField(
        _("who may take part"),
        max_length=12,
        choices=Participation.choices,
        default=Participation.REGISTERED,
        help_text=_("Under a consultation, the consultation's rule applies."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("questions")]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("participation"),
                FieldPanel("anonymous_allowed"),
                FieldPanel("results_public"),
            ],
            heading=_("Answering period and rules"),
        ),
    ] + Page.settings_panels

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("questions"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("questions"),
        APIField("opens_at"),
        APIField("closes_at"),
        APIField("anonymous_allowed"),
        APIField("results_public"),
    ]

    parent_page_types = ["consultations.ConsultationPage", "cms.InstitutionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The questionnaire must close after it opens.")
        parent = self.get_parent() if self.pk else None
        standalone = parent is None or isinstance(parent.specific, InstitutionPage)
        if standalone and self.pk and not (self.opens_at and self.closes_at):
            errors["opens_at"] = _("A questionnaire published on its own needs its own dates.")
        if self.questions is not None:
            problems = structure_errors(self)
            if problems:
                errors["questions"] = problems
        if errors:
            raise ValidationError(errors)

    # --- Where it sits ----------------------------------------------------------------------

    @cached_property
    def consultation(self):
        """The consultation the questionnaire belongs to, or None when it stands on its own.
        (Any parent with a ``phase_at`` is one: this app sits below consultations.)"""
        parent = self.get_parent().specific
        return parent if hasattr(parent, "phase_at") else None

    @cached_property
    def institution(self) -> InstitutionPage:
        consultation = self.consultation
        if consultation is not None:
            return consultation.get_parent().specific
        return self.get_parent().specific

    # --- Phase and rule ---------------------------------------------------------------------

    def phase_at(self, now) -> Phase:
        """A standalone questionnaire's own dates; under a consultation, the consultation's
        phase, narrowed by the questionnaire's own dates when the editor set them."""
        consultation = self.consultation
        if consultation is None:
            if not (self.opens_at and self.closes_at):
                return Phase.UPCOMING
            return phase_at(
                opens_at=self.opens_at, closes_at=self.closes_at, outcome_published=False, now=now
            )
        phase = consultation.phase_at(now)
        if phase == Phase.OPEN:
            if self.opens_at and now < self.opens_at:
                return Phase.UPCOMING
            if self.closes_at and now >= self.closes_at:
                return Phase.CLOSED
        return phase

    @cached_property
    def phase(self) -> Phase:
        return self.phase_at(timezone.now())

    @property
    def status_label(self) -> str:
        if self.phase == Phase.OPEN:
            return _("Open for answers")
        if self.phase == Phase.UPCOMING:
            return _("Upcoming")
        return _("Closed")

    @property
    def effective_closes_at(self):
        consultation = self.consultation
        if consultation is None:
            return self.closes_at
        if self.closes_at:
            return min(self.closes_at, consultation.closes_at)
        return consultation.closes_at

    @property
    def effective_participation(self) -> str:
        consultation = self.consultation
        return consultation.participation if consultation is not None else self.participation

    # --- Questions --------------------------------------------------------------------------

    @cached_property
    def question_list(self) -> list[Question]:
        return questions_of(self)

    # --- Routes (each imports its view when served: the views import this module) ------------

    @path("", name="questionnaire")
    def questionnaire_route(self, request):
        from questionnaires.views import questionnaire_page

        return questionnaire_page(request, self)

    @path("results/", name="results")
    def results_route(self, request):
        from questionnaires.results_views import results_page

        return results_page(request, self)

    @path("open-data/<str:dataset>/<str:fmt>/", name="open_data")
    def open_data_route(self, request, dataset, fmt):
        from questionnaires.exports import open_data

        return open_data(request, self, dataset, fmt)


class Response(models.Model):
    """One person's response to a questionnaire (all its translations), a draft until sent."""

    questionnaire_key = models.UUIDField(
        _("questionnaire"), db_index=True, help_text="The questionnaire page's translation_key."
    )
    questionnaire = models.ForeignKey(
        QuestionnairePage,
        verbose_name=_("answered in"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questionnaire_responses",
    )
    # Anonymous responses: the hash of the browser's signed token (questionnaires.guard).
    anonymous_token = models.CharField(max_length=64, blank=True, db_index=True)
    governorate = models.CharField(
        _("governorate"), max_length=8, blank=True, choices=Governorate.choices
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_draft = models.BooleanField(pgettext_lazy("response", "draft"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire_key", "user"],
                condition=models.Q(user__isnull=False),
                name="questionnaires_one_response_per_account",
            ),
            models.UniqueConstraint(
                fields=["questionnaire_key", "anonymous_token"],
                condition=~models.Q(anonymous_token=""),
                name="questionnaires_one_response_per_token",
            ),
        ]
        indexes = [models.Index(fields=["questionnaire_key", "is_draft"])]

    def __str__(self):
        return f"response {self.pk} to {self.questionnaire_key}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Answer(models.Model):
    """One value of a response: a chosen or ranked option, a number, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=64)
    option_key = models.CharField(max_length=64, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 = first
    number = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    # Only free-text answers are reviewed; others leave it empty.
    review_status = models.CharField(
        _("review"), max_length=8, blank=True, choices=ReviewStatus.choices
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question_key", "option_key"]),
            models.Index(fields=["question_key", "review_status"]),
        ]
