"""A document keeps the dates of a phase that runs by the calendar, read against the moment of
each search, instead of a date past which it had to be indexed again."""

import datetime

from django.db import migrations, models


def fill_phase_dates(apps, schema_editor):
    """The dates of the rows indexed before: a consultation's from its details, a forum
    topic's closing from the date its phase was stored until."""
    SearchDocument = apps.get_model("search", "SearchDocument")
    consultations = SearchDocument.objects.filter(kind="consultation").exclude(status="outcome")
    for row in consultations.iterator():
        extra = row.extra or {}
        if extra.get("opens_at") and extra.get("closes_at"):
            row.opens_at = datetime.datetime.fromisoformat(extra["opens_at"])
            row.closes_at = datetime.datetime.fromisoformat(extra["closes_at"])
            row.save(update_fields=["opens_at", "closes_at"])
    SearchDocument.objects.filter(kind="topic", status_until__isnull=False).update(
        closes_at=models.F("status_until")
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="opens_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="closes_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill_phase_dates, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="searchdocument", name="search_doc_status_until_idx"),
        migrations.RemoveField(model_name="searchdocument", name="status_until"),
    ]
