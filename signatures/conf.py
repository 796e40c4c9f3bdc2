"""Signatures' settings, each overridable in Django settings under the same name. Rates are in
``limits``' notation (accounts/conf.py). What each does and why: docs/signatures.md."""

from pathlib import Path

from django.conf import settings

DEFAULTS = {
    # Where the default key provider looks for ``<reference>.pem`` / ``<reference>.p12`` when no
    # SIGNATURES_KEY_<REF> / SIGNATURES_P12_<REF> variable names a file ("": <BASE_DIR>/var/
    # signing-keys, ignored by git). The demo CA writes its keys here.
    "SIGNATURES_KEY_DIR": "",
    # Dotted path of the class that finds private keys (signatures.keys.KeyProvider): replace
    # it to sign with a hardware module or a cloud KMS.
    "SIGNATURES_KEY_PROVIDER": "signatures.keys.EnvironmentKeyProvider",
    # Certificate revocation lists given to the signer so that they are embedded in each
    # signature (long-term validation): every *.crl / *.pem file in this directory ("":
    # <BASE_DIR>/var/signing-crls). The demo CA writes its CRL here.
    "SIGNATURES_CRL_DIR": "",
    # Let the signer fetch CRLs and OCSP answers named in the certificates (off: the servers
    # have no network by default; a real CA's CRL is downloaded by cron into the CRL dir).
    "SIGNATURES_FETCH_REVOCATION": False,
    # An RFC 3161 time-stamp authority: when set, each signature is time-stamped and the
    # document gets a document time stamp (PAdES B-LTA). "" = the server's clock only.
    "SIGNATURES_TSA_URL": "",
    "SIGNATURES_TSA_USERNAME": "",
    "SIGNATURES_TSA_PASSWORD": "",
    # A PEM file of the roots the TSA's certificates chain to, so that verification trusts
    # its time stamps ("": time stamps are checked but their time is not relied on).
    "SIGNATURES_TSA_TRUST_ROOTS": "",
    # Seconds to wait for the TSA or a revocation server.
    "SIGNATURES_NETWORK_TIMEOUT": 10,
    # The site's public address in the QR code and the verification link ("":
    # WAGTAILADMIN_BASE_URL).
    "SIGNATURES_PUBLIC_BASE_URL": "",
    # Where signed PDFs are kept: outside MEDIA_ROOT, never served by the web server ("":
    # <BASE_DIR>/private/signatures).
    "SIGNATURES_DOCUMENTS_ROOT": "",
    # The largest PDF accepted for verification, in bytes.
    "SIGNATURES_MAX_PDF_BYTES": 10 * 1024 * 1024,
    # Verifications per client address (an upload or a reference and code); guesses of one
    # reference's code, from anywhere.
    "SIGNATURES_VERIFY_RATE_PER_IP": ["60/15 minutes", "500/day"],
    "SIGNATURES_VERIFY_RATE_PER_REFERENCE": ["10/hour"],
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def key_dir() -> Path:
    return Path(get("SIGNATURES_KEY_DIR") or Path(settings.BASE_DIR) / "var" / "signing-keys")


def crl_dir() -> Path:
    return Path(get("SIGNATURES_CRL_DIR") or Path(settings.BASE_DIR) / "var" / "signing-crls")


def public_base_url() -> str:
    return (get("SIGNATURES_PUBLIC_BASE_URL") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
