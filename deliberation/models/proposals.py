"""Forum topics citizens propose: held for a moderator of the institution, who approves them
(the forum topic page is created and published) or rejects them with a public reason."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deliberation.models.threads import Reason


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved: the topic is open")
    REJECTED = "rejected", _("Not accepted")


class TopicProposal(models.Model):
    """A forum topic proposed by a citizen to an institution. Nothing of it is public before a
    moderator approves it; then ``page`` is the ForumTopicPage made from it."""

    institution = models.ForeignKey(
        "cms.InstitutionPage",
        on_delete=models.PROTECT,
        related_name="topic_proposals",
        verbose_name=_("institution"),
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a deleted account's proposal stays (docs/data-rights.md)
        related_name="topic_proposals",
        verbose_name=_("proposed by"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    # Comma-separated theme tags, given to the topic page's ``topics`` on approval.
    topics = models.CharField(_("topics"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    note = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown to the citizen with the decision.")
    )
    # Watched words that held it (for the moderators; every proposal is held anyway).
    watched = models.CharField(_("watched words found"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    page = models.OneToOneField(
        "deliberation.ForumTopicPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
        verbose_name=_("forum topic"),
    )

    class Meta:
        verbose_name = _("topic proposal")
        verbose_name_plural = _("topic proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [name.strip() for name in self.topics.split(",") if name.strip()]
