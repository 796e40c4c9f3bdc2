"""Rebuild the search index from what is published, with a progress bar."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from search.backends import get_backend
from search.services import pending_retry, search_index_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every search document from the published pages and contributions and "
        "rebuild the search backend's index (Elasticsearch: a new index swapped in by alias)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only retry the indexing operations that failed earlier.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Print no progress bar.")

    def handle(self, *args, pending=False, no_progress=False, **options):
        backend = get_backend()
        if pending:
            done = pending_retry()
            self.stdout.write(_("%(count)d pending operations indexed.") % {"count": done})
            return
        bar = tqdm(
            desc=_("Indexing"),
            unit=" docs",
            disable=no_progress,
            file=self.stderr._out,
        )
        count = search_index_rebuild(progress=bar)
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d documents in the search index (%(backend)s).")
                % {"count": count, "backend": backend.name}
            )
        )
