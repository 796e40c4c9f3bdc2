from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.build.conditions import mail_dropped
from demo.content.people import DEMO_PASSWORD
from demo.seed import demo_seed


def site_addresses() -> str:
    """Where the demo is, at the address the site is served on (``make run PORT=8100`` sets
    WAGTAILADMIN_BASE_URL, which e-mails' links use too)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"Site: {base}/ar/  {base}/fr/  {base}/en/   Admin: {base}/admin/"


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
        self.stdout.write(site_addresses())

    def _step(self, message: str) -> None:
        self.stdout.write(f"  ✓ {message}")
