from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.build.conditions import mail_dropped
from demo.content.people import DEMO_PASSWORD
from demo.seed import demo_seed


class Command(BaseCommand):
    help = "Build a believable demo in Arabic, French and English, and print its accounts."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (DJANGO_ENV=production): "
                "it creates accounts with a published password."
            )
        # The demo discussion would mail its invented citizens about replies and moderation
        # decisions (to @majlis.test addresses, which do not exist): those emails are dropped.
        with mail_dropped(), transaction.atomic():
            accounts = demo_seed(report=self._step, stdout=self.stdout)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo ready. Accounts (password for all: %s):" % DEMO_PASSWORD))
        width = max(len(email) for _, email in accounts)
        for role, email in accounts:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write("Site: http://127.0.0.1:8000/ar/  /fr/  /en/   Admin: http://127.0.0.1:8000/admin/")

    def _step(self, message: str) -> None:
        self.stdout.write(f"  ✓ {message}")
