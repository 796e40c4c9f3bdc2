"""The certificate admin's own forms: upload a certificate, revoke one (final), make one the
active one (rotation). Each view checks the permission, parses its form and calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.models import InstitutionPage
from signatures.forms import CertificateUploadForm, RevokeForm
from signatures.models import SigningCertificate
from signatures.rules import manages_certificates
from signatures.services import (
    SignatureError,
    certificate_activate,
    certificate_add,
    certificate_revoke,
)

INDEX = "signing_certificates:index"


def _check(request):
    if not manages_certificates(request.user):
        raise PermissionDenied


def _form_page(request, *, form, title, submit, intro="", certificate=None, status=200, danger=False):
    return TemplateResponse(
        request,
        "signatures/admin/form.html",
        {
            "form": form,
            "page_title": title,
            "header_title": title,
            "header_icon": "key",
            "submit_label": submit,
            "intro": intro,
            "certificate": certificate,
            "back_url": reverse(INDEX),
            "danger": danger,
        },
        status=status,
    )


def certificate_add_view(request):
    _check(request)
    form = CertificateUploadForm(
        request.POST or None, request.FILES or None, institutions=InstitutionPage.objects.order_by("title")
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                certificate = certificate_add(
                    institution=form.cleaned_data["institution"],
                    label=form.cleaned_data["label"],
                    certificate_data=form.cleaned_data["certificate"],
                    chain_data=form.cleaned_data["chain"],
                    key_reference=form.cleaned_data["key_reference"],
                    activate=form.cleaned_data["activate"],
                )
            except SignatureError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Certificate “%(label)s” added.") % {"label": certificate.label})
                return redirect(INDEX)
    return _form_page(request, form=form, title=_("Add a signing certificate"), submit=_("Add the certificate"), status=status)


def certificate_revoke_view(request, pk: int):
    _check(request)
    certificate = get_object_or_404(SigningCertificate.objects.select_related("institution"), pk=pk)
    if certificate.revoked_at is not None:
        messages.error(request, _("This certificate is already revoked."))
        return redirect(INDEX)
    form = RevokeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                certificate_revoke(
                    certificate=certificate,
                    revoked_at=form.cleaned_data["revoked_at"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except SignatureError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Certificate “%(label)s” revoked.") % {"label": certificate.label})
                return redirect(INDEX)
    intro = _(
        "Revoke “%(label)s” of %(institution)s (SHA-256 %(fingerprint)s). Documents it signed "
        "before the revocation date stay valid; those signed at or after it are shown as revoked."
    ) % {"label": certificate.label, "institution": certificate.institution.title, "fingerprint": certificate.fingerprint}
    return _form_page(
        request, form=form, title=_("Revoke a signing certificate"), submit=_("Revoke the certificate"),
        intro=intro, certificate=certificate, status=status, danger=True,
    )


def certificate_activate_view(request, pk: int):
    _check(request)
    certificate = get_object_or_404(SigningCertificate.objects.select_related("institution"), pk=pk)
    if request.method == "POST":
        try:
            certificate_activate(certificate=certificate)
        except SignatureError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(institution)s now signs with “%(label)s”.")
                % {"institution": certificate.institution.title, "label": certificate.label},
            )
        return redirect(INDEX)
    intro = _(
        "Sign %(institution)s's documents with “%(label)s” from now on? Its current certificate "
        "is deactivated; what it signed still verifies."
    ) % {"institution": certificate.institution.title, "label": certificate.label}
    return _form_page(request, form=None, title=_("Make this certificate active"), submit=_("Sign with this certificate"), intro=intro, certificate=certificate)
