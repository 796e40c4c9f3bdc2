"""Requests, their timeline, attachments, the institutions' request desks, and the log of
what staff did and saw.

Over 400 lines because it is the whole schema of one concept, read top to bottom as one: a
split would scatter the constraints that tie the request, its events and its desk together."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from accounts.governorates import Governorate
from citizen_requests import conf
from citizen_requests.stages import CLOCK_STOPPED, FINISHED, PUBLIC_KINDS, EventKind, Kind, Stage
from citizen_requests.storage import attachment_storage
from deliberation.models import DiscussionPage, ThreadKind
from deliberation.phases import Phase, phase_at


class RequestDesk(models.Model):
    """An institution's desk for requests: the code its tracking numbers start with, its
    deadlines, and whether it is the triage desk that receives "I don't know" requests."""

    institution = models.OneToOneField(
        "cms.InstitutionPage",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="request_desk",
    )
    code = models.CharField(
        _("tracking number code"),
        max_length=5,
        unique=True,
        # A validator, not a CHECK constraint: SQLite's REGEXP exists only in Django's own
        # connections, and the backup and restore open the database file directly.
        validators=[RegexValidator(r"^[A-Z]{2,5}$", _("Two to five capital Latin letters."))],
        help_text=_("Two to five capital Latin letters that start this institution's tracking numbers, e.g. KEF."),
    )
    is_triage = models.BooleanField(
        _("triage desk"),
        default=False,
        help_text=_("Requests whose citizen does not know the institution come here first."),
    )
    accepts_requests = models.BooleanField(_("accepts requests"), default=True)
    complaint_days = models.PositiveSmallIntegerField(_("days to answer a complaint"), null=True, blank=True)
    guidance_days = models.PositiveSmallIntegerField(_("days to answer a request for guidance"), null=True, blank=True)
    suggestion_days = models.PositiveSmallIntegerField(_("days to answer a suggestion"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("days to answer a notice"), null=True, blank=True)
    corruption_days = models.PositiveSmallIntegerField(_("days to answer a corruption report"), null=True, blank=True)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("days overdue before approvers are reminded"), default=7
    )

    panels = [
        FieldPanel("institution"),
        FieldPanel("code"),
        FieldPanel("is_triage"),
        FieldPanel("accepts_requests"),
        MultiFieldPanel(
            [
                FieldPanel("complaint_days"),
                FieldPanel("guidance_days"),
                FieldPanel("suggestion_days"),
                FieldPanel("notice_days"),
                FieldPanel("corruption_days"),
                FieldPanel("reminder_after_days"),
            ],
            heading=_("Deadlines (empty: the platform's default)"),
        ),
    ]

    class Meta:
        verbose_name = _("request desk")
        verbose_name_plural = _("request desks")
        constraints = [
            models.UniqueConstraint(
                fields=["is_triage"], condition=Q(is_triage=True), name="one_triage_desk"
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.institution.title}"

    def deadline_days(self, kind: str) -> int:
        own = getattr(self, f"{kind}_days", None)
        return own if own is not None else conf.get("CITIZEN_REQUESTS_DEADLINE_DAYS")[kind]


class Publicity(models.TextChoices):
    PRIVATE = "private", _("Private")
    PENDING = "pending", _("Public once moderated")
    PUBLIC = "public", _("Public")
    REFUSED = "refused", _("Refused for publication")


class CitizenRequest(models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    # A keyed hash of the secret code given with the number (tracking.secret_code_digest).
    secret_digest = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    desk = models.ForeignKey(
        RequestDesk, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="requests"
    )
    # Null for an anonymous corruption report (and if the account is erased).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen_requests",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    governorate = models.CharField(_("governorate"), max_length=5, choices=Governorate.choices, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_citizen_requests",
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # The deadline: when the desk received it (again, after a redirect) plus its days, pushed
    # back by the time spent waiting for the citizen.
    due_at = models.DateTimeField(_("due"))
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    reopened = models.BooleanField(default=False)
    # The answer an officer drafted, waiting for an approver; then the answer sent.
    answer_draft = models.TextField(_("draft answer"), blank=True)
    answer_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    useful = models.BooleanField(_("useful"), null=True, blank=True)
    publicity = models.CharField(
        _("publicity"), max_length=10, choices=Publicity.choices, default=Publicity.PRIVATE
    )
    supporters_count = models.PositiveIntegerField(default=0)
    # The e-mails a citizen may decline (legally required ones are always sent).
    notify = models.BooleanField(_("e-mail me at each stage"), default=True)
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("citizen request")
        verbose_name_plural = _("citizen requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["desk", "stage", "due_at"], name="request_queue"),
            models.Index(fields=["desk", "due_at"], name="request_desk_due"),
            models.Index(fields=["author", "-created_at"], name="request_author"),
            models.Index(fields=["publicity", "-created_at"], name="request_public"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="request_idempotency",
            ),
        ]
        permissions = [("handle_citizenrequest", "Can handle citizen requests")]

    def __str__(self):
        return self.tracking_number

    @property
    def is_overdue(self) -> bool:
        return self.stage not in CLOCK_STOPPED and timezone.now() > self.due_at

    @property
    def is_finished(self) -> bool:
        return self.stage in FINISHED

    def reopen_until(self) -> datetime.datetime | None:
        if self.answered_at is None or self.reopened:
            return None
        return self.answered_at + datetime.timedelta(days=conf.get("CITIZEN_REQUESTS_REOPEN_DAYS"))


class RequestEvent(models.Model):
    """One line of a request's timeline. ``public`` lines are shown to the citizen; internal
    notes (and drafts) never are."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the actor is the citizen (their own account, or the number and code).
    by_citizen = models.BooleanField(default=False)
    public = models.BooleanField(default=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    text = models.TextField(blank=True)
    # Redirects: the desk it left and the desk it went to.
    from_desk = models.ForeignKey(
        RequestDesk, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_desk = models.ForeignKey(
        RequestDesk, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An answer sent: the PDF and JWS its institution signed (none when the institution had no
    # signing certificate). PROTECT: a signed document outlives what it answered.
    signed_document = models.OneToOneField(
        "signatures.SignedDocument",
        verbose_name=_("signed answer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request_event",
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"], name="request_event_timeline")]


def _attachment_path(instance, filename):
    return f"{instance.request_id}/{uuid.uuid4().hex}"


class RequestAttachment(models.Model):
    """A file given with a request, kept outside the public media (``attachment_storage``)
    and served only to those who may read the request."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(RequestEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=_attachment_path, storage=attachment_storage, max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]


class StaffAccessAction(models.TextChoices):
    VIEWED = "viewed", _("Viewed the request")
    VIEWED_ATTACHMENT = "viewed_attachment", _("Opened an attachment")
    VIEWED_SIGNED = "viewed_signed", _("Opened the signed answer")
    ASSIGNED = "assigned", _("Assigned")
    MOVED = "moved", _("Changed the stage")
    ASKED = "asked", _("Asked the citizen")
    REDIRECTED = "redirected", _("Redirected")
    NOTED = "noted", _("Added an internal note")
    DRAFTED = "drafted", _("Drafted the answer")
    SENT = "sent", _("Sent the answer")
    MODERATED = "moderated", _("Moderated the publication")


class StaffAccessLog(models.Model):
    """Append-only: every staff action on a request and every staff view of its personal
    data. Rows are never updated or deleted by the application (``save`` refuses)."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="staff_log")
    desk = models.ForeignKey(RequestDesk, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=StaffAccessAction.choices)
    at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["desk", "-at"], name="staff_log_desk")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The staff access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The staff access log is append-only.")


class Support(models.Model):
    """One account's support of a public suggestion or notice."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="one_support_per_account")
        ]


class PublicRequestsPage(DiscussionPage, RoutablePageMixin, Page):
    """An institution's public suggestions and notices: the list, and a page per request with
    its support count and its discussion — a thread of deliberation's, one per request (the
    request's tracking number is its section), moderated like any other."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = [
        MultiFieldPanel(
            [FieldPanel("moderation_mode"), FieldPanel("participation")],
            heading=_("Discussion rules"),
        ),
    ] + Page.settings_panels

    parent_page_types = ["cms.InstitutionPage"]
    subpage_types = []
    max_count_per_parent = 1
    thread_kind = ThreadKind.FORUM

    class Meta:
        verbose_name = _("public suggestions and notices")
        verbose_name_plural = _("public suggestions and notices")

    @cached_property
    def phase(self) -> Phase:
        now = timezone.now()
        return phase_at(
            opens_at=self.first_published_at or now,
            closes_at=now + datetime.timedelta(days=3650),
            outcome_published=False,
            now=now,
        )

    def public_requests(self):
        """This institution's published suggestions and notices (any translation's page)."""
        return CitizenRequest.objects.filter(
            publicity=Publicity.PUBLIC,
            kind__in=list(PUBLIC_KINDS),
            desk__institution__translation_key=self.institution.translation_key,
        )

    def discussion_sections(self) -> set[str]:
        return set(self.public_requests().values_list("tracking_number", flat=True))

    # Routes: each imports its view when served (the views import this module).

    @path("", name="list")
    def list_route(self, request):
        from citizen_requests.public import public_list  # noqa: PLC0415 — views import the models

        return public_list(request, self)

    @path("<str:section_id>/", name="section")
    def request_route(self, request, section_id):
        from citizen_requests.public import public_request  # noqa: PLC0415 — views import the models

        return public_request(request, self, section_id)

    @path("<str:section_id>/support/", name="support")
    def support_route(self, request, section_id):
        from citizen_requests.public import public_support  # noqa: PLC0415 — views import the models

        return public_support(request, self, section_id)
class Open311Client(models.Model):
    """A system allowed to post requests through Open311 (citizen_requests.open311): a municipal
    back office or a reporting app. Only a hash of its key is stored; the key is shown once,
    when it is made (``open311_key_new``)."""

    name = models.CharField(_("name"), max_length=100)
    desk = models.ForeignKey(
        RequestDesk, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="open311_clients"
    )
    # sha256 of the key, in hex: a copy of the database gives no key away.
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("files requests as"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return self.name
class ReminderKind(models.TextChoices):
    OVERDUE = "overdue", _("Overdue, to the assignee or the officers")
    ESCALATED = "escalated", _("Long overdue, to the approvers")


class RequestReminder(models.Model):
    """A reminder about an overdue request, claimed before its e-mail goes out so that a
    second (or concurrent) run of ``send_request_reminders`` sends nothing twice: the daily
    one is keyed by the day, the approvers' one by the desk and deadline it was about. A claim
    whose e-mails all failed is removed for the next run."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "key"], name="one_reminder_per_key")
        ]
