"""A citizen's appeal against a moderator's decision about them: a hidden contribution, or a
suspension of their account. One per decision; another moderator decides it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models.threads import Contribution


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")


class Appeal(models.Model):
    """Exactly one of ``contribution`` (hidden) or ``suspension`` is set; ``decision`` is the
    moderation-log entry appealed against (its actor may not decide the appeal)."""

    # The appeal is the citizen's own words: it goes with their account (docs/data-rights.md);
    # the log entries about it stay, unlinked.
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="appeals",
        verbose_name=_("citizen"),
    )
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    suspension = models.ForeignKey(
        "accounts.Suspension",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="appeals",
    )
    decision = models.ForeignKey(
        "deliberation.ModerationAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision appealed"),
    )
    text = models.TextField(_("appeal"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("explanation"), blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contribution__isnull=False, suspension__isnull=True)
                | models.Q(contribution__isnull=True, suspension__isnull=False),
                name="deliberation_appeal_one_subject",
            ),
            models.UniqueConstraint(
                fields=["contribution"],
                condition=models.Q(contribution__isnull=False),
                name="deliberation_appeal_once_per_contribution",
            ),
            models.UniqueConstraint(
                fields=["suspension"],
                condition=models.Q(suspension__isnull=False),
                name="deliberation_appeal_once_per_suspension",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="deliberation_appeal_queue")]

    def __str__(self):
        return f"appeal #{self.pk}"
