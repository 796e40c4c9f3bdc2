"""The public verification forms and the admin's certificate forms."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signatures import conf
from signatures.models import RevocationReason


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Signed PDF"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(conf.get("SIGNATURES_MAX_PDF_BYTES"))
        self.fields["file"].help_text = _("A PDF signed on this site, at most %(size)s.") % {"size": limit}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > conf.get("SIGNATURES_MAX_PDF_BYTES"):
            raise forms.ValidationError(
                _("This file is larger than %(size)s.")
                % {"size": filesizeformat(conf.get("SIGNATURES_MAX_PDF_BYTES"))}
            )
        return upload


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference (tracking number)"), max_length=64,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Verification code"), max_length=30,
        help_text=_("Printed on the document, beside its QR code."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
    )


# --- Admin ---------------------------------------------------------------------------------------


class CertificateUploadForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=None)
    label = forms.CharField(label=_("Label"), max_length=200, help_text=_("e.g. “Signing certificate 2026”."))
    certificate = forms.FileField(
        label=_("Certificate"),
        help_text=_("The institution's X.509 certificate, PEM or DER (a PEM file may also hold its issuers)."),
    )
    chain = forms.FileField(
        label=_("Issuer chain"), required=False,
        help_text=_("The issuers' certificates up to the root, PEM (or one DER certificate)."),
    )
    key_reference = forms.CharField(
        label=_("Key reference"), max_length=100,
        help_text=_("The name under which the server finds the private key: SIGNATURES_KEY_<NAME> or SIGNATURES_P12_<NAME> in its environment (docs/signatures.md). The key is never uploaded here."),
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
    )
    activate = forms.BooleanField(
        label=_("Sign with it from now on"), required=False,
        help_text=_("The institution's current certificate is deactivated; what it signed still verifies."),
    )

    MAX_BYTES = 256 * 1024

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions

    def _read(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return b""
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("A certificate file is at most 256 KB."))
        return upload.read()

    def clean_certificate(self):
        return self._read("certificate")

    def clean_chain(self):
        return self._read("chain")


class RevokeForm(forms.Form):
    revoked_at = forms.DateTimeField(
        label=_("Revoked at"),
        help_text=_("When the certificate stopped being trustworthy (the CA's revocation date). What it signed before stays valid."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=RevocationReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("I understand that a revocation is final: this certificate will never sign again."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"revoked_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
