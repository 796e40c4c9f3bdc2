from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from signatures.verification import verify_jws, verify_pdf, verify_reference


class Command(BaseCommand):
    help = (
        "Verify a signed PDF (FILE), a JWS (--jws FILE), or a document by its reference and "
        "verification code (--reference, --code). Prints the verdict; exits 1 unless valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="A signed PDF")
        parser.add_argument("--jws", metavar="FILE", help="A file holding a JWS (compact)")
        parser.add_argument("--reference")
        parser.add_argument("--code")
        parser.add_argument("--language", default="en", choices=["ar", "fr", "en"])

    def handle(self, *args, file=None, jws=None, reference=None, code=None, language="en", **options):
        with translation.override(language):
            if file:
                result = verify_pdf(self._read(file))
            elif jws:
                result = verify_jws(self._read(jws).decode("ascii", "replace"))
            elif reference and code:
                result = verify_reference(reference=reference, code=code)
            else:
                raise CommandError("Give a PDF file, --jws FILE, or --reference and --code.")
            self.stdout.write(f"status: {result.status}")
            self.stdout.write(result.message)
            if result.certificate is not None:
                self.stdout.write(f"certificate SHA-256: {result.certificate.fingerprint}")
            if result.signed_at is not None:
                self.stdout.write(f"signed at: {result.signed_at.isoformat()} ({result.time_source})")
            if result.detail:
                self.stdout.write(f"detail: {result.detail}")
            if not result.valid:
                raise CommandError(f"not valid: {result.status}", returncode=1)

    @staticmethod
    def _read(name: str) -> bytes:
        try:
            return Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror}") from error
