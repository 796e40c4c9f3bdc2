"""The search document: one row per thing a journalist can find, in one language.

The rows are the source of truth for both backends. The database backend searches them
directly (a full-text index over ``title_words`` / ``body_words`` is added per database by
migration 0002: an FTS5 table kept by triggers on SQLite, a generated ``tsvector`` column with
a GIN index on PostgreSQL); the Elasticsearch backend mirrors them into its index.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DECISION = "decision", _("Decision")
    OUTCOME = "outcome", _("Outcome")
    CONSULTATION = "consultation", _("Consultation")
    POLICY = "policy", _("Policy")
    FORUM_TOPIC = "topic", _("Forum topic")
    CONTRIBUTION = "contribution", _("Contribution")
    REQUEST = "request", _("Public suggestion or notice")
    IDEA = "idea", _("Citizen's idea")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")


class SearchDocument(models.Model):
    key = models.CharField(max_length=40, unique=True)  # "page-12", "contribution-7"
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500)
    institution = models.CharField(_("institution"), max_length=255, blank=True)  # its slug
    institution_name = models.CharField(max_length=255, blank=True)
    # A consultation's or forum topic's phase, a decision's status; empty for other kinds.
    # ``status`` is the one at indexing. A phase that runs by the calendar also keeps its dates:
    # a search reads it as open from ``opens_at`` and closed from ``closes_at`` (``now`` being
    # the search's moment), so no row is written again when a date passes.
    status = models.CharField(_("status"), max_length=20, blank=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=255, blank=True)
    # Topic names as editors typed them, in the document's language (a list: a facet).
    topics = models.JSONField(_("topics"), default=list, blank=True)
    date = models.DateTimeField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    # Kind-specific details shown with a result (author, number, consultation, closes_at…).
    extra = models.JSONField(default=dict, blank=True)
    # What the full-text indexes read: folded words (search/text.py), space-separated.
    title_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        indexes = [
            models.Index(fields=["date"], name="search_doc_date_idx"),
            models.Index(fields=["kind", "date"], name="search_doc_kind_date_idx"),
            # Institution names for the facet labels, in the reader's language.
            models.Index(fields=["institution", "language"], name="search_doc_institution_idx"),
        ]

    def __str__(self):
        return f"{self.key} ({self.language}): {self.title}"


class PendingIndexOperation(models.Model):
    """A source whose indexing failed (the search engine was down, say): retried by the next
    indexing call and by ``rebuild_search_index --pending``, never lost silently."""

    key = models.CharField(max_length=40, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.key} ({self.attempts})"
