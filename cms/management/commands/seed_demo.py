from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, seed_accounts
from cms.demo import seed_pages
from cms.services import institution_editors_group_name

MODERATORS_GROUP = "Moderators"


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
            moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
            moderators.permissions.add(
                Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
            )
            editor_groups = {
                institution.slug: Group.objects.get(name=institution_editors_group_name(institution))
                for institution in pages["institutions"]
            }
            accounts = seed_accounts(editor_groups=editor_groups, moderators=moderators)
            self._step(f"{len(accounts)} demo accounts")

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo ready. Accounts (password for all: %s):" % DEMO_PASSWORD))
        width = max(len(email) for _, email in accounts)
        for role, email in accounts:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write("Site: http://127.0.0.1:8000/ar/  /fr/  /en/   Admin: http://127.0.0.1:8000/admin/")

    def _step(self, message: str) -> None:
        self.stdout.write(f"  ✓ {message}")
