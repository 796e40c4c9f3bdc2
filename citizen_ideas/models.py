"""Ideas, their supports and the history of their statuses.

An idea's text lives in deliberation: ``thread`` is the idea's own discussion and
``opening`` its first contribution (the idea's body, as the citizen wrote it), so the
moderation policy, reports, the public moderation log and the live thread are the same as
everywhere (docs/ideas.md). What is here is what only an idea has: its title, where it was
sent, its status, who supports it and the files given with it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.names import author_name
from citizen_ideas.storage import idea_attachment_storage


class IdeaStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_STUDY = "under_study", _("Under study")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not retained")
    IMPLEMENTED = "implemented", _("Implemented")


class IdeaQuerySet(models.QuerySet):
    def visible(self):
        """Ideas whose text is published (not awaiting moderation, rejected or hidden)."""
        return self.filter(opening__status="published")

    def public(self):
        """Visible ideas sent to a page anyone may read (live, no view restriction), of a live
        institution: what a list that does not check each reader may show."""
        return self.visible().filter(
            thread__page__in=Page.objects.live().public().values("pk"), institution__live=True
        )


class Idea(models.Model):
    # Names the idea's thread (section ``idea-<key hex>``) before the idea row exists.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "cms.InstitutionPage",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    topic = models.ForeignKey(
        "deliberation.ForumTopicPage",
        verbose_name=_("forum topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    title = models.CharField(_("title"), max_length=140)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a deleted account's idea stays (docs/data-rights.md)
        related_name="ideas",
    )
    thread = models.OneToOneField(
        "deliberation.Thread", on_delete=models.PROTECT, related_name="idea", editable=False
    )
    # The idea's text: the thread's first contribution. Its status is the idea's moderation.
    opening = models.OneToOneField(
        "deliberation.Contribution",
        verbose_name=_("text"),
        on_delete=models.PROTECT,
        related_name="idea",
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.RECEIVED
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # Kept equal to the number of IdeaSupport rows by the support services.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["institution", "-support_count"], name="idea_inst_support_idx"),
            models.Index(fields=["institution", "-created_at"], name="idea_inst_created_idx"),
            models.Index(fields=["consultation", "-support_count"], name="idea_cons_support_idx"),
            models.Index(fields=["status", "-status_changed_at"], name="idea_status_idx"),
        ]

    @property
    def author_name(self) -> str:
        """The author's display name, or "Deleted account" (docs/data-rights.md)."""
        return author_name(self.author)

    def __str__(self):
        return self.title


class IdeaSupport(models.Model):
    """One account's support of an idea: at most one per account and idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="citizen_ideas_support_unique")
        ]


class IdeaStatusChange(models.Model):
    """A status given to an idea, with its public reason: the idea's history, never edited."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=IdeaStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["idea", "changed_at", "pk"]


def _attachment_path(instance, filename):
    return f"{instance.idea_id}/{uuid.uuid4().hex}"


class IdeaAttachment(models.Model):
    """A file given with an idea, kept outside the public media and served only to those who
    may read the idea (``citizen_ideas.views.idea_attachment``)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=_attachment_path, storage=idea_attachment_storage, max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name
