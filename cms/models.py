from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.home import home_activity, home_cache_seconds, home_cache_version, home_live


class HomePage(Page):
    """The site's front page; one per language, translations of each other."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.InstitutionPage", "cms.StandardPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # What the apps above cms show on the front door (hook ``home_page_context``), read
        # only when the cached fragment is missing; and what is too live to cache.
        context["activity"] = home_activity(request, self)
        context["home_cache"] = {"seconds": home_cache_seconds(), "version": home_cache_version()}
        context.update(home_live(request, self))
        context["institutions"] = (
            InstitutionPage.objects.child_of(self)
            .live()
            .public()
            .select_related("logo")
            .prefetch_related("logo__renditions")
            .order_by("title")
        )
        return context


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Africa/Tunis."), params={"value": value}
        )


class InstitutionKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    MUNICIPALITY = "municipality", _("Municipality")
    AGENCY = "agency", _("Public agency")


class InstitutionPage(Page):
    """A ministry, municipality or agency: its consultations and policy pages live beneath it."""

    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind.choices)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Africa/Tunis",
        validators=[validate_time_zone],
        help_text=_("Deadlines of this institution's consultations are shown in this time zone."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("logo"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("contact_email"),
                FieldPanel("phone"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("time_zone")]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.FilterField("kind"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("logo"),
        APIField("description"),
        APIField("address"),
        APIField("contact_email"),
        APIField("phone"),
        APIField("website"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types = [
        "consultations.ConsultationPage",
        "deliberation.ForumTopicPage",
        "citizen_requests.PublicRequestsPage",
        "questionnaires.QuestionnairePage",
        "cms.PolicyPage",
        "cms.StandardPage",
    ]

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The apps above cms add what they list on an institution's page (its consultations).
        for hook in hooks.get_hooks("institution_page_context"):
            context.update(hook(request, self))
        context["policies"] = (
            PolicyPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("topics")
            .order_by("-published_on", "title")
        )
        return context


class PolicyPageTopic(TaggedItemBase):
    content_object = ParentalKey(
        "cms.PolicyPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class PolicyPage(Page):
    """A public policy an institution explains: strategy, programme, reform."""

    summary = models.TextField(
        _("summary"), max_length=500, blank=True, help_text=_("One or two sentences for listings.")
    )
    published_on = models.DateField(_("date"), null=True, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    topics = ClusterTaggableManager(
        verbose_name=_("topics"), through=PolicyPageTopic, blank=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("published_on"),
        FieldPanel("body"),
        FieldPanel("topics"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("summary"),
        APIField("published_on"),
        APIField("body"),
        APIField("topics"),
    ]

    parent_page_types = ["cms.InstitutionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("policy page")
        verbose_name_plural = _("policy pages")

    @cached_property
    def institution(self):
        return self.get_parent().specific


class StandardPage(Page):
    """A plain page: about, help, terms of participation."""

    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    api_fields = [APIField("body")]

    parent_page_types = ["cms.HomePage", "cms.InstitutionPage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
