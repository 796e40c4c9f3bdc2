from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD, seed_accounts
from cms.demo import seed_pages
from cms.services import institution_group_names, moderator_permissions_grant
from consultations.demo import seed_consultations, seed_outcomes
from deliberation import conf as deliberation_conf
from deliberation.demo import seed_deliberation
from cms.services import moderators_group_name
from search.services import search_index_rebuild


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
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            with transaction.atomic():
                accounts = self._seed()

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo ready. Accounts (password for all: %s):" % DEMO_PASSWORD))
        width = max(len(email) for _, email in accounts)
        for role, email in accounts:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        self.stdout.write("Site: http://127.0.0.1:8000/ar/  /fr/  /en/   Admin: http://127.0.0.1:8000/admin/")

    def _seed(self) -> list[tuple[str, str]]:
        pages = seed_pages(report=self._step)
        seed_consultations(report=self._step)
        # Not Wagtail's own "Moderators" group, which may publish any page.
        moderators, _ = Group.objects.get_or_create(
            name=deliberation_conf.get("DELIBERATION_GLOBAL_MODERATORS_GROUP")
        )
        moderator_permissions_grant(moderators)
        call_command("setup_institutions", stdout=self.stdout)
        institution_groups = {
            institution.slug: tuple(
                Group.objects.get(name=name) for name in institution_group_names(institution)
            )
            for institution in pages["institutions"]
        }
        institution_moderators = {
            institution.slug: Group.objects.get_or_create(name=moderators_group_name(institution))[0]
            for institution in pages["institutions"]
        }
        accounts = seed_accounts(
            institution_groups=institution_groups,
            institution_moderators=institution_moderators,
            moderators=moderators,
        )
        self._step(f"{len(accounts)} demo accounts")
        seed_deliberation(report=self._step)
        # After the discussions and accounts: the outcome cites contributions.
        seed_outcomes(report=self._step)
        # The pages and discussions were indexed as they were published; rebuilding here makes
        # the index whole even when the on-commit work has not run yet.
        self._step(f"{search_index_rebuild()} documents in the search index")
        return accounts

    def _step(self, message: str) -> None:
        self.stdout.write(f"  ✓ {message}")
