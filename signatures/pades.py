"""PAdES signing with pyHanko: the signature dictionary, the validation data embedded for
long-term validation, and the optional RFC 3161 time stamps.

What the signer embeds (docs/signatures.md, "Long-term validation"): the signer's certificate and
its issuers up to the root, and the CA's CRL from the CRL directory (``SIGNATURES_CRL_DIR``), in
the document security store (DSS) added after the signature. With a time-stamp authority
(``SIGNATURES_TSA_URL``) the signature carries a signature time stamp and the file ends with a
document time stamp (PAdES B-LTA); without one the signing time is the server's clock (/M)
and the level is PAdES B-LT.
"""

import asyncio
import concurrent.futures
import io
import logging
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator import ValidationContext

from signatures import conf

logger = logging.getLogger(__name__)

FIELD_NAME = "MajlisSignature"


def run(function, *args, **kwargs):
    """Call one of pyHanko's synchronous functions, which start an event loop of their own
    (``asyncio.run``): in a worker thread when this thread already runs a loop (an async view,
    a browser test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def local_crls(folder: Path | None = None) -> list[asn1_crl.CertificateList]:
    """The CRLs in the CRL directory (DER or PEM); an unreadable file is logged and left out."""
    folder = folder or conf.crl_dir()
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".crl", ".pem") or not path.is_file():
            continue
        try:
            data = path.read_bytes()
            if asn1_pem.detect(data):
                _kind, _headers, data = asn1_pem.unarmor(data)
            crl = asn1_crl.CertificateList.load(data)
            _parsed = crl.native  # parse it now, not inside the signer
        except Exception:  # noqa: BLE001 — a bad file must not stop signing
            logger.warning("Unreadable CRL file %s: left out of signatures", path)
            continue
        found.append(crl)
    return found


def signing_validation_context(
    *, root: asn1_x509.Certificate, others: list[asn1_x509.Certificate]
) -> ValidationContext:
    """What the signer checks the certificate against before signing, and embeds: trust in the
    certificate's own root, the local CRLs, fetching only when allowed."""
    fetch = bool(conf.get("SIGNATURES_FETCH_REVOCATION"))
    return ValidationContext(
        trust_roots=[root],
        other_certs=others,
        crls=local_crls(),
        allow_fetching=fetch,
        revocation_mode="soft-fail",
    )


def timestamper() -> timestamps.TimeStamper | None:
    url = conf.get("SIGNATURES_TSA_URL")
    if not url:
        return None
    auth = None
    if conf.get("SIGNATURES_TSA_USERNAME"):
        auth = (conf.get("SIGNATURES_TSA_USERNAME"), conf.get("SIGNATURES_TSA_PASSWORD"))
    return timestamps.HTTPTimeStamper(url, auth=auth, timeout=conf.get("SIGNATURES_NETWORK_TIMEOUT"))


def pdf_sign(
    pdf: bytes,
    *,
    signer: signers.Signer,
    validation_context: ValidationContext | None,
    reason: str,
    location: str = "",
    contact: str = "",
    stamper: timestamps.TimeStamper | None = None,
    embed_validation_info: bool = True,
) -> bytes:
    """``pdf`` signed (PAdES baseline, SHA-256), with the validation data embedded; time-stamped
    and finished with a document time stamp when ``stamper`` is given."""
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        embed_validation_info=embed_validation_info,
        use_pades_lta=stamper is not None and embed_validation_info,
        validation_context=validation_context,
        reason=reason,
        location=location or None,
        contact_info=contact or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(metadata, signer=signer, timestamper=stamper)
    output = run(pdf_signer.sign_pdf, writer)
    return output.getvalue()
