"""``/api/signatures/``: verify a signed PDF, a reference with its verification code, or a JWS;
list the certificates institutions sign with (docs/signatures.md, docs/api.md).

Every verification counts towards the client's limit (and a reference's code guesses towards
the reference's): 429 with ``Retry-After`` past it."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from accounts.ratelimits import RETRY_AFTER_OPENAPI, client_ip
from signatures import conf
from signatures.certificates import certificate_pem, certificates_load
from signatures.schemas import (
    BodyErrorOut,
    CertificateOut,
    JwsIn,
    ReferenceIn,
    VerificationOut,
    VerifyProblemOut,
)
from signatures.selectors import certificates_public, institution_title
from signatures.verification import (
    RateLimited,
    Verification,
    verification_rate_limit,
    verify_jws,
    verify_pdf,
    verify_reference,
)

router = Router(tags=["signatures"])

LIMITED = "429 (`rate_limited`) past the client's limit, with `Retry-After` (seconds)."


def _out(result: Verification, *, with_jws: bool = False) -> dict:
    certificate, document = result.certificate, result.document
    return {
        "status": result.status,
        "message": result.message,
        "institution": result.institution_title() or None,
        "signed_at": result.signed_at,
        "time_source": result.time_source or None,
        "certificate_sha256": certificate.fingerprint if certificate else None,
        "certificate_revoked_at": certificate.revoked_at if certificate else None,
        "reference": document.reference if document else None,
        "kind": document.kind if document else None,
        "jws": result.jws if with_jws and result.jws else None,
        "payload": result.payload,
    }


def _limited(error: RateLimited, response: HttpResponse) -> Status:
    response["Retry-After"] = str(error.retry_after)
    return Status(429, {"code": "rate_limited", "message": error.message})


@router.post(
    "/signatures/verify",
    response={200: VerificationOut, 413: VerifyProblemOut, 429: VerifyProblemOut},
    summary="Verify a signed PDF",
    description=(
        "Multipart, the PDF in `file` (at most SIGNATURES_MAX_PDF_BYTES, 10 MiB by default: "
        "413 `too_large` beyond). Every file gets a verdict (200): a file that does not start "
        "with `%PDF-` is `unreadable`. " + LIMITED
    ),
    openapi_extra={
        "responses": {429: RETRY_AFTER_OPENAPI},
        # An empty file part is no file for Django's parser (ninja's 422): say it.
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "properties": {
                            "file": {
                                "minLength": 1,
                                "description": "The PDF (not empty: an empty part is a 422)",
                            }
                        },
                    }
                }
            },
        },
    },
)
def verify_upload(request, response: HttpResponse, file: File[UploadedFile]):
    limit = conf.get("SIGNATURES_MAX_PDF_BYTES")
    if file.size > limit:
        return Status(413, {"code": "too_large", "message": _("What you sent is too large. Shorten it and try again.")})
    try:
        verification_rate_limit(client_ip=client_ip(request))
    except RateLimited as error:
        return _limited(error, response)
    response["Cache-Control"] = "no-store"
    return Status(200, _out(verify_pdf(file.read(limit + 1))))


@router.post(
    "/signatures/verify/reference",
    response={200: VerificationOut, 400: BodyErrorOut, 429: VerifyProblemOut},
    summary="Verify a document by its reference and verification code",
    description=(
        "The stored PDF is verified again, its SHA-256 compared with the one recorded when it was "
        "signed, and its JWS verified; the answer carries the JWS and its payload. A wrong "
        "reference or code is `not_found` (no hint which). Guesses of one reference's code are "
        "limited too. A body that is not JSON: 400 (ninja's `detail`). " + LIMITED
    ),
    openapi_extra={"responses": {429: RETRY_AFTER_OPENAPI}},
)
def verify_by_reference(request, response: HttpResponse, payload: ReferenceIn):
    try:
        verification_rate_limit(client_ip=client_ip(request), reference=payload.reference)
    except RateLimited as error:
        return _limited(error, response)
    response["Cache-Control"] = "no-store"
    return Status(200, _out(verify_reference(reference=payload.reference, code=payload.code), with_jws=True))


@router.post(
    "/signatures/verify/jws",
    response={200: VerificationOut, 400: BodyErrorOut, 429: VerifyProblemOut},
    summary="Verify a signed answer's JSON form (JWS)",
    description=(
        "The JWS's `kid` is the signing certificate's SHA-256 fingerprint (see "
        "`/api/signatures/certificates/`); the verified payload is returned. "
        "Not a JWS: `unreadable`. A body that is not JSON: 400 (ninja's `detail`). " + LIMITED
    ),
    openapi_extra={"responses": {429: RETRY_AFTER_OPENAPI}},
)
def verify_token(request, response: HttpResponse, payload: JwsIn):
    try:
        verification_rate_limit(client_ip=client_ip(request))
    except RateLimited as error:
        return _limited(error, response)
    response["Cache-Control"] = "no-store"
    return Status(200, _out(verify_jws(payload.token)))


@router.get(
    "/signatures/certificates/",
    response={200: list[CertificateOut]},
    summary="The certificates institutions sign with",
    description=(
        "Every certificate registered, active or not, with its chain and status: verify a "
        "signed PDF elsewhere (`pyhanko sign validate --trust root.pem`) or a JWS "
        "(its `kid` is `fingerprint_sha256`)."
    ),
)
def certificates(request):
    titles: dict[int, str] = {}
    answer = []
    for certificate in certificates_public():
        if certificate.institution_id not in titles:
            titles[certificate.institution_id] = institution_title(certificate.institution)
        chain = certificates_load(certificate.chain_pem.encode()) if certificate.chain_pem.strip() else []
        answer.append({
            "id": certificate.pk,
            "institution": titles[certificate.institution_id],
            "label": certificate.label,
            "fingerprint_sha256": certificate.fingerprint,
            "subject": certificate.subject,
            "issuer": certificate.issuer,
            "serial_number": certificate.serial_number,
            "not_before": certificate.not_before,
            "not_after": certificate.not_after,
            "status": certificate.status(),
            "is_demo": certificate.is_demo,
            "revoked_at": certificate.revoked_at,
            "revocation_reason": certificate.revocation_reason,
            "certificate_pem": certificate.certificate_pem,
            "chain_pem": [certificate_pem(item) for item in chain],
        })
    return Status(200, answer)
