"""Production refuses demo certificates and certificates it cannot sign with.

Two ways in, one list of problems (``certificate_problems``): the Django system check
``signatures.E001`` (``manage.py check``, ``migrate``, ``runserver``) and ``startup_check``,
which ``config/asgi.py`` calls before serving and which raises ``ImproperlyConfigured``. Both
do nothing outside production (``settings.PRODUCTION``)."""

import logging

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.db.models import Q

from signatures.keys import key_problem
from signatures.models import SigningCertificate

logger = logging.getLogger(__name__)


def certificate_problems() -> list[str]:
    """What production refuses, one sentence each naming the institution and the certificate:
    any demo certificate, and each active certificate whose private key cannot be used."""
    problems = []
    certificates = SigningCertificate.objects.select_related("institution").filter(
        Q(is_demo=True) | Q(is_active=True)
    )
    for certificate in certificates.order_by("pk"):
        where = f"institution {certificate.institution.title!r} (certificate {certificate.pk} {certificate.label!r})"
        if certificate.is_demo:
            problems.append(
                f"{where}: a demo certificate (Majlis DEMO CA) is refused in production; "
                "delete it from Signing certificates and add the institution's real certificate"
            )
        elif certificate.is_active:
            problem = key_problem(certificate)
            if problem:
                problems.append(f"{where}: its private key cannot be used: {problem}")
    return problems


def _problems_or_none() -> list[str] | None:
    try:
        return certificate_problems()
    except DatabaseError as error:  # not migrated yet, or the database is away
        logger.warning("Signing certificates not checked: %s", error)
        return None


def production_certificates_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not settings.PRODUCTION:
        return []
    return [
        checks.Error(
            f"Signing certificate refused in production: {problem}.",
            hint="docs/signatures.md, \"Installing an institution's certificate\".",
            id="signatures.E001",
        )
        for problem in _problems_or_none() or []
    ]


def startup_check() -> None:
    """Raise ``ImproperlyConfigured`` (the server does not start) when production has demo
    certificates or active certificates whose keys cannot be loaded."""
    if not settings.PRODUCTION:
        return
    problems = _problems_or_none() or []
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode: " + "; ".join(problems) + "."
        )
