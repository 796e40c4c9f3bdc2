"""Threads and what happens in them: contributions, their revisions and numbered events,
reactions and flags.

Why these models and not django-comments-xtd's ``XtdComment`` is written down in
``docs/architecture.md`` ("Deliberation").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class ThreadKind(models.TextChoices):
    CONSULTATION = "consultation", _("Whole consultation")
    SECTION = "section", _("Draft section")
    FORUM = "forum", _("Forum topic")
    # A citizen's idea (citizen_ideas): its text is the thread's opening contribution.
    IDEA = "idea", _("Idea")


class Thread(models.Model):
    """One discussion: on a consultation as a whole, on one of its sections, or a forum topic.

    A thread belongs to a page and all its translations (they share ``translation_key``):
    citizens reading in Arabic and in French take part in the same discussion. ``page`` is the
    translation the thread was first opened from; its dates and rules govern the thread.
    """

    key = models.CharField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ThreadKind.choices)
    translation_key = models.UUIDField(_("page translation key"))
    section_id = models.CharField(_("section"), max_length=64, blank=True)
    # PROTECT: deleting a page never deletes a discussion. Before a page is deleted in the
    # admin, threads_rehome_for_page_deletion moves its threads to a surviving translation;
    # when there is none, the deletion is refused (and here, the database refuses it too).
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        "cms.InstitutionPage", on_delete=models.PROTECT, related_name="threads"
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    # Last number handed to a contribution in this thread (see Contribution.path).
    last_number = models.PositiveIntegerField(default=0, editable=False)
    # Sequence number of the thread's latest event (see ThreadEvent).
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        constraints = [
            models.UniqueConstraint(
                fields=["translation_key", "section_id"], name="deliberation_thread_unique"
            )
        ]

    def __str__(self):
        return self.key

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @cached_property
    def target(self):
        """What governs the thread's phase and rules: its page (a ``DiscussionPage``), or, for
        an idea sent to an institution outside any consultation or topic, the institution's
        idea box (``InstitutionIdeaBox``)."""
        page = self.page.specific
        if self.kind == ThreadKind.IDEA and not hasattr(page, "thread_kind"):
            from deliberation.models.pages import InstitutionIdeaBox  # pages imports this module

            return InstitutionIdeaBox(page)
        return page

    @property
    def section_anchor(self) -> str:
        return f"section-{self.section_id}" if self.section_id else ""


class Status(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")
    HIDDEN = "hidden", _("Removed by moderation")


class Reason(models.TextChoices):
    """Why something was reported, hidden, rejected or an account suspended: public codes."""

    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Insults, threats or hate")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OTHER = "other", _("Other")
    FLAGGED = "flagged", _("Reported by several readers, awaiting review")


FLAG_REASONS = [choice for choice in Reason.choices if choice[0] != Reason.FLAGGED]


class ContributionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_display_order(self):
        return self.order_by("thread_id", "path")


class Contribution(models.Model):
    """What a citizen wrote, in a thread, possibly in reply to another contribution.

    ``path`` puts a thread in reading order with one index scan: each contribution gets the
    thread's next number (under a lock on the thread row) and its path is its parent's path
    followed by that number, zero-padded to eight digits. Ordering by path lists each
    contribution after its parent and its earlier siblings' replies, oldest first, and no
    existing row ever changes when a reply arrives.
    """

    PATH_STEP = 8

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="contributions")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="descendants"
    )
    path = models.CharField(max_length=PATH_STEP * 4, editable=False)
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    # Empty once the author deleted their account: the contribution stays in the public
    # record as written by a "deleted account" (docs/data-rights.md).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    body = models.TextField(_("text"), help_text=_("Exactly as the citizen wrote it."))
    body_html = models.TextField(editable=False)
    language = models.CharField(_("language"), max_length=8, blank=True)
    draft_version = models.ForeignKey(
        "consultations.DraftVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
        verbose_name=_("draft version"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    official = models.BooleanField(_("official reply of the institution"), default=False)
    # Signed by the institution when first marked as its official reply (when it had a signing
    # certificate); kept when the mark is removed: it was signed. PROTECT: a signed document
    # outlives what it signed.
    signed_document = models.OneToOneField(
        "signatures.SignedDocument",
        verbose_name=_("signed official reply"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="contribution",
    )
    agree_count = models.PositiveIntegerField(default=0, editable=False)
    disagree_count = models.PositiveIntegerField(default=0, editable=False)
    open_flag_count = models.PositiveIntegerField(default=0, editable=False)
    idempotency_key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="deliberation_contribution_idempotent"
            ),
            models.UniqueConstraint(fields=["thread", "path"], name="deliberation_path_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="deliberation_status_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def edited(self) -> bool:
        return self.edited_at is not None


class ThreadEvent(models.Model):
    """A change readers of a thread see live, numbered in the order the changes committed.

    ``seq`` is the thread's next ``last_seq``, taken under the lock of the transaction that
    makes the change, and the row is written in that same transaction: a committed change
    always has its event, and a client that missed some asks for everything after the last
    number it has (docs/realtime.md). ``data`` holds what the frame needs beyond the
    contribution's current state (a reason, counts, a phase).
    """

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=40)
    contribution = models.ForeignKey(
        "Contribution", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thread event")
        verbose_name_plural = _("thread events")
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="deliberation_event_seq_unique")
        ]

    def __str__(self):
        return f"{self.thread_id}#{self.seq} {self.type}"


class ContributionRevision(models.Model):
    """An earlier text of an edited contribution: nothing a citizen wrote is lost."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="revisions"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contribution", "created_at"]


class ReactionKind(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")


class Reaction(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="reactions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "user"], name="deliberation_reaction_unique"
            )
        ]


class Flag(models.Model):
    """A report that a contribution breaks the rules. ``user`` is empty for automatic flags
    (a watched word)."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flags",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FLAG_REASONS)
    note = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="deliberation_flag_unique")
        ]
