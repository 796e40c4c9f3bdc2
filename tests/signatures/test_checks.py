"""Production refuses demo certificates and active certificates whose keys cannot be loaded:
the system check and the start-up check, each naming the institution and what is wrong."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from signatures.checks import production_certificates_check, startup_check

pytestmark = pytest.mark.django_db


def test_outside_production_nothing_is_refused(institution, register_certificate):
    register_certificate(institution)

    assert production_certificates_check() == []
    startup_check()


def test_production_refuses_a_demo_certificate_at_start_up(institution, register_certificate, settings):
    register_certificate(institution)
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured) as refusal:
        startup_check()
    assert "Refusing to start in production mode" in str(refusal.value)
    assert "بلدية الكاف" in str(refusal.value)
    assert "demo certificate" in str(refusal.value)
    [error] = production_certificates_check()
    assert error.id == "signatures.E001"
    with pytest.raises(SystemCheckError, match="demo certificate"):
        call_command("check")


def test_production_refuses_an_active_certificate_whose_key_is_missing(institution, register_certificate, settings, tmp_path):
    certificate = register_certificate(institution)
    certificate.is_demo = False  # as a real certificate would be
    certificate.save()
    settings.PRODUCTION = True
    settings.SIGNATURES_KEY_DIR = str(tmp_path)

    with pytest.raises(ImproperlyConfigured) as refusal:
        startup_check()
    message = str(refusal.value)
    assert "بلدية الكاف" in message
    assert "private key cannot be used" in message
    assert "SIGNATURES_KEY_KEF_2026" in message


def test_production_starts_with_a_real_certificate_whose_key_loads(institution, register_certificate, settings):
    certificate = register_certificate(institution)
    certificate.is_demo = False
    certificate.save()
    settings.PRODUCTION = True

    startup_check()
    assert production_certificates_check() == []


def test_the_asgi_application_does_not_start_in_production_with_a_demo_certificate(
    institution, register_certificate, settings
):
    import importlib

    import config.asgi

    register_certificate(institution)
    settings.PRODUCTION = True
    try:
        with pytest.raises(ImproperlyConfigured, match="demo certificate"):
            importlib.reload(config.asgi)
    finally:
        settings.PRODUCTION = False
        importlib.reload(config.asgi)
