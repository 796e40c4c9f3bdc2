"""What moderators keep: the words they watch for and the public, append-only log of their
decisions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models.threads import Contribution, Reason, Thread


class WatchedWordAction(models.TextChoices):
    BLOCK = "block", _("Block: refuse the contribution")
    HOLD = "hold", _("Hold for a moderator's approval")
    FLAG = "flag", _("Publish, and flag for review")


class WatchedWord(models.Model):
    """A word or phrase moderators watch for, in one language or all of them."""

    phrase = models.CharField(
        _("word or phrase"),
        max_length=100,
        help_text=_(
            "Matched as whole words, ignoring case, Arabic diacritics and alef/hamza or "
            "taa marbuta spellings."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to watch for it in every language."),
    )
    action = models.CharField(
        _("what happens"), max_length=8, choices=WatchedWordAction.choices
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watched word")
        verbose_name_plural = _("watched words")
        ordering = ["language", "phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["phrase", "language"], name="deliberation_watched_word_unique"
            )
        ]

    def __str__(self):
        return self.phrase


class ModerationActionKind(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    HIDE = "hide", _("Hidden")
    RESTORE = "restore", _("Restored")
    DISMISS_FLAGS = "dismiss_flags", _("Reports dismissed")
    PIN = "pin", _("Pinned")
    UNPIN = "unpin", _("Unpinned")
    MARK_OFFICIAL = "mark_official", _("Marked as official reply")
    UNMARK_OFFICIAL = "unmark_official", _("Official reply mark removed")
    LOCK = "lock", _("Thread locked")
    UNLOCK = "unlock", _("Thread unlocked")
    SUSPEND = "suspend", _("Account suspended")
    LIFT = "lift", _("Suspension lifted")
    APPEAL = "appeal", _("Appeal received")
    APPEAL_UPHOLD = "appeal_uphold", _("Appeal decided: decision upheld")
    APPEAL_REVERSE = "appeal_reverse", _("Appeal decided: decision reversed")
    AUTO_HOLD = "auto_hold", _("Held for review")
    AUTO_FLAG = "auto_flag", _("Flagged by a watched word")
    AUTO_HIDE = "auto_hide", _("Hidden after reports, pending review")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The moderation log is append-only.")

    def delete(self):
        raise TypeError("The moderation log is append-only.")


class ModerationAction(models.Model):
    """The audit log: who did what to which contribution (or thread, account, or proposed
    forum topic), and why.

    Append-only: rows are created by the moderation services and never changed or deleted.
    ``actor`` is empty for what the system did by itself (watched words, flag threshold).
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # SET_NULL: the log keeps the act when an account is deleted, naming nobody
        # (docs/data-rights.md); Django's deletion updates the row without the queryset.
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=16, choices=ModerationActionKind.choices)
    thread = models.ForeignKey(
        Thread, on_delete=models.PROTECT, related_name="moderation_actions", null=True
    )
    contribution = models.ForeignKey(
        Contribution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions_about",
        verbose_name=_("account concerned"),
    )
    proposal = models.ForeignKey(
        "deliberation.TopicProposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
        verbose_name=_("topic proposal"),
    )
    suspension = models.ForeignKey(
        "accounts.Suspension",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=_("suspension"),
    )
    appeal = models.ForeignKey(
        "deliberation.Appeal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=_("appeal"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The moderation log is append-only.")
