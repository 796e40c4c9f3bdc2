"""Signing keys for the demo: the demo CA ("Majlis DEMO CA — not valid outside the demo") and
one certificate per demo institution, from ``signatures.services.demo_certificates_ensure``,
made before the discussions and requests so that the official reply and the answers are
signed as the site signs them (``deliberation``'s moderation, ``citizen_requests``'
``answer_send``). The keys go to the key directory (``SIGNATURES_KEY_DIR``, by default
``var/signing-keys``, which git ignores); production refuses demo certificates.
"""

import datetime

from django.utils import timezone

from cms.models import InstitutionPage
from signatures import conf
from signatures.services import demo_certificates_ensure

# The demo's answers and replies are dated up to two months back (``conditions.clock_at``):
# its certificates are valid from before the oldest of them.
VALID_FOR_DAYS_BEFORE = 365


def signing_seed(*, institutions: list[InstitutionPage], report) -> None:
    valid_from = timezone.now() - datetime.timedelta(days=VALID_FOR_DAYS_BEFORE)
    certificates = demo_certificates_ensure(institutions=institutions, valid_from=valid_from)
    report(
        f"Demo CA and {len(certificates)} demo signing certificates (not valid outside the demo); "
        f"keys in {conf.key_dir()}"
    )
