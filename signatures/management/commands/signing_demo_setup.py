from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.models import InstitutionPage
from signatures import conf
from signatures.services import SignatureError, demo_certificates_ensure


class Command(BaseCommand):
    help = (
        "Make the demo CA (\"Majlis DEMO CA — not valid outside the demo\") in the key "
        "directory if it is not there, and give each institution (or those named) an active "
        "demo certificate, its key written to the key directory. Refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--institution", action="append", default=[], metavar="SLUG",
            help="An institution's slug (repeat for several); all institutions when omitted.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Refusing to make demo certificates in production mode.")
        institutions = InstitutionPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        if options["institution"]:
            institutions = institutions.filter(slug__in=options["institution"])
            missing = set(options["institution"]) - set(institutions.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No institution with the slug: {', '.join(sorted(missing))}.")
        try:
            certificates = demo_certificates_ensure(institutions=list(institutions.order_by("path")))
        except SignatureError as error:
            raise CommandError(error.message) from error
        for certificate in certificates:
            self.stdout.write(
                f"{certificate.institution.title}: {certificate.label}, key {certificate.key_reference} "
                f"(SHA-256 {certificate.fingerprint})"
            )
        self.stdout.write(self.style.SUCCESS(
            f"{len(certificates)} institution(s) sign with demo certificates; keys in {conf.key_dir()}."
        ))
