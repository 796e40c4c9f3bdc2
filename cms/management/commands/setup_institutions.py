from django.core.management.base import BaseCommand

from cms.models import InstitutionPage
from cms.services import institution_roles_ensure


class Command(BaseCommand):
    help = (
        "Create or repair each institution's editors, approvers and moderators groups, their "
        "page and collection permissions, and its approval workflow. Safe to run again."
    )

    def handle(self, *args, **options):
        institutions = InstitutionPage.objects.order_by("translation_key", "pk")
        seen = set()
        for institution in institutions:
            if institution.translation_key in seen:
                continue
            seen.add(institution.translation_key)
            roles = institution_roles_ensure(institution=institution)
            self.stdout.write(
                f"  ✓ {institution.slug}: groups “{roles.editors.name}”, “{roles.approvers.name}”, "
                f"“{roles.moderators.name}”; "
                f"workflow “{roles.workflow.name}”"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(seen)} institutions set up."))
