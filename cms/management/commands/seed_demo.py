from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_accounts
from cms.demo import seed_pages
from consultations.demo import seed_consultations
from cms.services import institution_group_names

# Not Wagtail's own "Moderators" group, which may publish any page.
MODERATORS_GROUP = "Deliberation moderators"


class Command(BaseCommand):
    help = "Build a believable demo in Arabic, French and English, and print its accounts."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (DJANGO_ENV=production): "
                "it creates accounts with a published password."
            )
        with transaction.atomic():
            pages = seed_pages(report=self._step)
            seed_consultations(report=self._step)
            moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
            moderators.permissions.add(
                Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
            )
            call_command("setup_institutions", stdout=self.stdout)
            institution_groups = {
                institution.slug: tuple(
                    Group.objects.get(name=name) for name in institution_group_names(institution)
                )
                for institution in pages["institutions"]
            }
            accounts = seed_accounts(institution_groups=institution_groups, moderators=moderators)
            self._step(f"{len(accounts)} demo accounts")

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo ready. Accounts (password for all: %s):" % DEMO_PASSWORD))
        width = max(len(email) for _, email in accounts)
        for role, email in accounts:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write("Site: http://127.0.0.1:8000/ar/  /fr/  /en/   Admin: http://127.0.0.1:8000/admin/")

    def _step(self, message: str) -> None:
        self.stdout.write(f"  ✓ {message}")
