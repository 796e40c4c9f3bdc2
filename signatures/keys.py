"""Where private keys come from: never the database, never the repository.

The interface (``KeyProvider``) is what the signing service asks, for a ``SigningCertificate``:

- ``signer_for(certificate)`` → a pyHanko ``Signer`` that makes the PDF's CMS signature;
- ``jws_serialize(certificate, header=, payload=)`` → the JWS compact serialization (RFC 7515)
  of ``payload`` signed with the key (joserfc);
- ``check(certificate)`` → raises ``KeyUnavailable`` unless both would work (the production
  start-up check calls it for every active certificate).

``EnvironmentKeyProvider`` (the default) reads the key from files named in the environment. To
sign with a hardware security module or a cloud KMS, write a subclass whose ``signer_for``
returns e.g. pyHanko's ``pkcs11.PKCS11Signer`` and whose ``jws_serialize`` has the module
sign the JWS signing input, and name
it in ``SIGNATURES_KEY_PROVIDER`` (docs/signatures.md, "Keys").
"""

import os
import re
from functools import lru_cache
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.module_loading import import_string
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signatures import conf
from signatures.certificates import (
    certificate_der,
    certificates_load,
    public_key_matches,
)


class KeyUnavailable(Exception):
    """The private key of a certificate cannot be used; the message says why, for the
    operator (it names files and variables, never the key)."""


def env_name(reference: str) -> str:
    """A key reference as it appears in variable names: upper-cased, every character that is
    not a letter or a digit turned into ``_`` (``el-kef`` → ``EL_KEF``)."""
    return re.sub(r"[^A-Z0-9]", "_", reference.upper())


class KeyProvider:
    """Finds and uses the private key of a signing certificate. Subclass it (override
    ``signer_for``, ``jws_serialize`` and ``check``, or only ``private_key``) to keep keys elsewhere."""

    def private_key(self, certificate):
        """The certificate's private key as a ``cryptography`` key object. Override this alone
        when the key can be loaded into memory from somewhere else."""
        raise NotImplementedError

    def check(self, certificate) -> None:
        key = self.private_key(certificate)
        if not public_key_matches(_x509(certificate), key):
            raise KeyUnavailable(
                f"the private key found for {certificate.key_reference!r} does not match the "
                "certificate's public key"
            )

    def signer_for(self, certificate) -> signers.Signer:
        key = self.private_key(certificate)
        leaf = _x509(certificate)
        if not public_key_matches(leaf, key):
            raise KeyUnavailable(
                f"the private key found for {certificate.key_reference!r} does not match the "
                "certificate's public key"
            )
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        chain = [asn1_x509.Certificate.load(certificate_der(c)) for c in _chain(certificate)]
        return signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(certificate_der(leaf)),
            signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )

    def jws_serialize(self, certificate, *, header: dict, payload: bytes) -> str:
        """The JWS compact serialization of ``payload`` (RFC 7515) signed with the key."""
        key = self.private_key(certificate)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        kind = ECKey if isinstance(key, ec.EllipticCurvePrivateKey) else RSAKey
        return jws.serialize_compact(header, payload, kind.import_key(pem), algorithms=[header["alg"]])


class EnvironmentKeyProvider(KeyProvider):
    """Reads the key of the certificate whose key reference is NAME (as ``env_name`` writes
    it) from, in this order:

    1. ``SIGNATURES_KEY_<NAME>``: the path of a PEM private key (PKCS#8 or traditional), with
       ``SIGNATURES_KEY_PASSPHRASE_<NAME>`` if it is encrypted;
    2. ``SIGNATURES_P12_<NAME>``: the path of a PKCS#12 file, with
       ``SIGNATURES_P12_PASSPHRASE_<NAME>``;
    3. ``<SIGNATURES_KEY_DIR>/<reference>.pem``, then ``<reference>.p12`` (with the same
       passphrase variables), where the demo CA writes its keys.
    """

    def _files(self, reference: str) -> list[tuple[str, Path, str]]:
        name = env_name(reference)
        named = [
            ("pem", os.environ.get(f"SIGNATURES_KEY_{name}", ""), f"SIGNATURES_KEY_PASSPHRASE_{name}"),
            ("p12", os.environ.get(f"SIGNATURES_P12_{name}", ""), f"SIGNATURES_P12_PASSPHRASE_{name}"),
        ]
        found = [(kind, Path(path), passphrase) for kind, path, passphrase in named if path]
        if found:
            return found
        folder = conf.key_dir()
        return [
            ("pem", folder / f"{reference}.pem", f"SIGNATURES_KEY_PASSPHRASE_{name}"),
            ("p12", folder / f"{reference}.p12", f"SIGNATURES_P12_PASSPHRASE_{name}"),
        ]

    def private_key(self, certificate):
        reference = certificate.key_reference
        if not reference or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", reference):
            raise KeyUnavailable(f"the key reference {reference!r} is not a plain name")
        candidates = self._files(reference)
        for kind, path, passphrase_name in candidates:
            if not path.is_file():
                continue
            passphrase = os.environ.get(passphrase_name, "").encode() or None
            try:
                data = path.read_bytes()
                if kind == "pem":
                    return serialization.load_pem_private_key(data, password=passphrase)
                key, _certificate, _others = pkcs12.load_key_and_certificates(data, passphrase)
            except (OSError, ValueError, TypeError) as error:
                raise KeyUnavailable(
                    f"the key file {path} for {reference!r} cannot be read ({error.__class__.__name__}: "
                    f"wrong passphrase in {passphrase_name}, or not a {kind.upper()} key)"
                ) from error
            if key is None:
                raise KeyUnavailable(f"the PKCS#12 file {path} for {reference!r} holds no key")
            return key
        name = env_name(reference)
        places = ", ".join(str(path) for _kind, path, _p in candidates)
        raise KeyUnavailable(
            f"no key for {reference!r}: set SIGNATURES_KEY_{name} (a PEM key file) or "
            f"SIGNATURES_P12_{name} (a PKCS#12 file); nothing found at {places}"
        )


@lru_cache(maxsize=4)
def _provider_class(path: str) -> type[KeyProvider]:
    return import_string(path)


def key_provider() -> KeyProvider:
    """The provider named by ``SIGNATURES_KEY_PROVIDER``."""
    return _provider_class(conf.get("SIGNATURES_KEY_PROVIDER"))()


def key_problem(certificate) -> str | None:
    """Why the certificate's key cannot be used, or None when it can."""
    try:
        key_provider().check(certificate)
    except KeyUnavailable as error:
        return str(error)
    except NotImplementedError:
        return "the key provider cannot load keys"
    return None


def _x509(certificate) -> x509.Certificate:
    return certificates_load(certificate.certificate_pem.encode())[0]


def _chain(certificate) -> list[x509.Certificate]:
    return certificates_load(certificate.chain_pem.encode()) if certificate.chain_pem.strip() else []
