"""``manage.py restore <archive>``: put a backup's database and media files back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from operations import databases
from operations.services import (
    BackupError,
    backup_manifest,
    backup_restore,
    backup_restore_refusal,
)


class Command(BaseCommand):
    help = (
        "Replace the database and MEDIA_ROOT with those of a backup made by `manage.py backup`, "
        "apply the migrations it lacks and rebuild the search index. Stop the servers first "
        "(docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The backup archive (.tar).")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Ask nothing.",
        )
        parser.add_argument(
            "--force-production", action="store_true",
            help="Restore even though DJANGO_ENV=production.",
        )
        parser.add_argument(
            "--no-safety-backup", action="store_true",
            help="Do not back up the current state before replacing it.",
        )
        parser.add_argument(
            "--ignore-running-servers", action="store_true",
            help="Restore even though other sessions use the database (what they write "
            "meanwhile is lost).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Print no progress bar.")

    def handle(self, *args, archive, interactive, force_production, no_safety_backup, **options):
        no_progress = options["no_progress"]
        ignore_running_servers = options["ignore_running_servers"]
        path = Path(archive)
        self._describe(path, force_production, ignore_running_servers)
        if interactive:
            self._confirm()

        def bar():
            return tqdm(
                desc=_("Search index"), unit=" docs", disable=no_progress, file=self.stderr._out
            )

        try:
            restored = backup_restore(
                path=path,
                force_production=force_production,
                ignore_running_servers=ignore_running_servers,
                safety_directory=None if no_safety_backup else path.parent,
                report=self.stderr.write,
                progress=bar,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self._report(restored)

    def _describe(self, path: Path, force_production: bool, ignore_running_servers: bool) -> None:
        """Refuse what must not be restored here; say what the backup is, and warn of the
        sessions whose writes will be lost."""
        try:
            manifest = backup_manifest(path=path)
            refusal = backup_restore_refusal(
                manifest=manifest,
                force_production=force_production,
                ignore_running_servers=ignore_running_servers,
            )
            if refusal:
                raise BackupError(refusal)
            others = databases.other_connections(connection) if ignore_running_servers else 0
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            ngettext(
                "Backup of %(when)s: %(engine)s database, %(files)d media file.",
                "Backup of %(when)s: %(engine)s database, %(files)d media files.",
                manifest["media"]["files"],
            )
            % {
                "when": manifest["created_at"],
                "engine": manifest["database"]["engine"],
                "files": manifest["media"]["files"],
            }
        )
        if others:
            self.stderr.write(
                self.style.WARNING(
                    ngettext(
                        "%(count)d other connection uses this database: what it writes during "
                        "the restore is lost.",
                        "%(count)d other connections use this database: what they write during "
                        "the restore is lost.",
                        others,
                    )
                    % {"count": others}
                )
            )

    def _confirm(self) -> None:
        try:
            answer = input(
                _(
                    "This replaces the database and the media files with the backup's. "
                    "Type 'yes' to continue: "
                )
            )
        except EOFError:  # no terminal to ask: --noinput is for that
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError(_("Restore cancelled: nothing was changed."))

    def _report(self, restored) -> None:
        if restored.safety_backup:
            self.stdout.write(
                _("The state before the restore is kept in %(path)s.")
                % {"path": restored.safety_backup}
            )
        if restored.migrated:
            self.stdout.write(_("Migrations the backup lacked were applied."))
        self.stdout.write(
            ngettext(
                "Search index rebuilt: %(count)d document.",
                "Search index rebuilt: %(count)d documents.",
                restored.documents,
            )
            % {"count": restored.documents}
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored. Now start (or restart) every daphne process, and the cron jobs "
                    "(send_closing_reminders). Pages open in browsers reload by themselves."
                )
            )
        )
