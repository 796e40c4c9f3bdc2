"""Certificates in the Wagtail admin: upload, revoke (final, with a date and reason), make
active (rotation); only for superusers and holders of ``signatures.manage_certificates``."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from signatures.models import SigningCertificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def keeper(db):
    """A staff account in a group given ``manage_certificates`` (and the admin)."""
    group = Group.objects.create(name="Certificate keepers")
    group.permissions.add(
        Permission.objects.get(codename="manage_certificates"),
        Permission.objects.get(codename="access_admin"),
    )
    user = _english(UserFactory(is_staff=True))
    user.groups.add(group)
    return user


@pytest.fixture
def editor(db):
    """A staff account with the admin but not the permission."""
    user = _english(UserFactory(is_staff=True))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_upload_a_certificate_with_its_chain_and_activate_it(client, keeper, institution, signing_pki):
    client.force_login(keeper)

    response = client.post(reverse("signing_certificates:add"), {
        "institution": institution.pk,
        "label": "El Kef 2026",
        "certificate": SimpleUploadedFile("kef.pem", signing_pki.certificates["kef-2026"]),
        "chain": SimpleUploadedFile("ca.pem", signing_pki.ca_pem),
        "key_reference": "kef-2026",
        "activate": "on",
    })

    assert response.status_code == 302
    certificate = SigningCertificate.objects.get()
    assert certificate.is_active and certificate.label == "El Kef 2026"
    listing = client.get(reverse("signing_certificates:index")).content.decode()
    assert "El Kef 2026" in listing and certificate.fingerprint[:16] in listing
    assert "Active" in listing


def test_a_bad_upload_says_why_and_stores_nothing(client, keeper, institution):
    client.force_login(keeper)

    response = client.post(reverse("signing_certificates:add"), {
        "institution": institution.pk, "label": "x",
        "certificate": SimpleUploadedFile("kef.pem", b"not a certificate"),
        "key_reference": "kef",
    })

    assert response.status_code == 400
    assert "This file is not an X.509 certificate (PEM or DER)." in response.content.decode()
    assert not SigningCertificate.objects.exists()


def test_revoke_needs_confirmation_and_is_final(client, keeper, institution, register_certificate):
    certificate = register_certificate(institution)
    client.force_login(keeper)
    url = reverse("signing_certificates:revoke", args=[certificate.pk])

    unconfirmed = client.post(url, {"revoked_at": "2026-01-05T10:00", "reason": "key_compromise"})
    assert unconfirmed.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    client.post(url, {"revoked_at": "2026-01-05T10:00", "reason": "key_compromise", "note": "Laptop stolen", "confirm": "on"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and not certificate.is_active
    assert certificate.revocation_reason == "key_compromise"
    assert certificate.revocation_note == "Laptop stolen"
    again = client.get(url, follow=True)
    assert "This certificate is already revoked." in again.content.decode()


def test_rotate_by_making_another_active(client, keeper, institution, register_certificate):
    old = register_certificate(institution, "kef-2026")
    new = register_certificate(institution, "kef-2027", activate=False)
    client.force_login(keeper)

    confirm = client.get(reverse("signing_certificates:activate", args=[new.pk]))
    assert "what it signed still verifies" in confirm.content.decode()
    client.post(reverse("signing_certificates:activate", args=[new.pk]))

    old.refresh_from_db()
    new.refresh_from_db()
    assert new.is_active and not old.is_active


def test_without_the_permission_nothing_is_reachable(client, editor, institution, register_certificate):
    certificate = register_certificate(institution)
    client.force_login(editor)

    for url in (
        reverse("signing_certificates:index"),
        reverse("signing_certificates:add"),
        reverse("signing_certificates:revoke", args=[certificate.pk]),
        reverse("signing_certificates:activate", args=[certificate.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    client.post(reverse("signing_certificates:revoke", args=[certificate.pk]), {"revoked_at": "2026-01-05T10:00", "reason": "superseded", "confirm": "on"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_superuser_may_and_nobody_deletes(client, admin_user, institution, register_certificate):
    certificate = register_certificate(institution)
    client.force_login(_english(admin_user))

    assert client.get(reverse("signing_certificates:index")).status_code == 200
    assert client.get(reverse("signing_certificates:inspect", args=[certificate.pk])).status_code == 200
    client.post(reverse("signing_certificates:delete", args=[certificate.pk]))
    assert SigningCertificate.objects.filter(pk=certificate.pk).exists()
