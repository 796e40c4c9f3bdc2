from django.core.management.base import BaseCommand, CommandError

from consultations import conf
from consultations.notifications import closing_soon_send


class Command(BaseCommand):
    help = (
        "Email the followers of open consultations that close within N days, once per "
        "follower (a second run sends nothing new). Meant to run from cron, e.g. hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Remind about consultations closing within this many days "
            "(default: the CONSULTATIONS_CLOSING_REMINDER_DAYS setting, "
            f"{conf.get('CONSULTATIONS_CLOSING_REMINDER_DAYS')}).",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        sent = closing_soon_send(days=days)
        self.stdout.write(self.style.SUCCESS(f"{sent} closing reminder(s) sent."))
