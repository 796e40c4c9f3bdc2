"""``manage.py backup``: the database and the media files in one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, SQLite's online backup otherwise) and "
        "MEDIA_ROOT into one .tar archive. The site may keep running meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=str(Path(settings.BASE_DIR) / "backups"),
            help="Where to write the archive (default: backups/ in the project).",
        )

    def handle(self, *args, directory, **options):
        try:
            path = backup_create(directory=Path(directory), report=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(_("Backup written: %(path)s") % {"path": path}))
