from django.core.management.base import BaseCommand

from citizen_requests.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the assignee (or the officers) of each overdue request, at most once a day, "
        "and the institution's approvers once a request is overdue by more than its desk's "
        "reminder_after_days. A second run the same day sends nothing new. Meant to run "
        "daily from cron."
    )

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(
            self.style.SUCCESS(
                f"{sent.overdue} overdue reminder(s) and {sent.escalated} approvers' reminder(s) sent."
            )
        )
