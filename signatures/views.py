"""The public verification page, and the signed PDF's download answer for the apps that decide
who may have a document."""

from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.text import slugify

from accounts.ratelimits import client_ip
from signatures import conf
from signatures.forms import ReferenceForm, UploadForm
from signatures.models import SignedDocument
from signatures.verification import (
    RateLimited,
    verification_rate_limit,
    verify_pdf,
    verify_reference,
)
from uploads.storage import private_file_response


def signed_pdf_response(document: SignedDocument, *, filename: str | None = None) -> FileResponse:
    """The signed PDF as a download, never cached nor sniffed. The caller has decided that the
    reader may have it (e.g. the request's author)."""
    name = filename or f"{slugify(document.reference) or 'document'}-signed.pdf"
    return private_file_response(document.pdf.open("rb"), name=name, content_type="application/pdf")


def verify(request):
    """Upload a PDF, or give a reference and its verification code (the QR code's link fills
    them in and checks at once)."""
    upload_form = UploadForm()
    reference_form = ReferenceForm()
    result, refusal, status = None, "", 200
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "GET" and "reference" in request.GET:
        reference_form = ReferenceForm(request.GET)
        action = "reference"
    elif action == "upload":
        upload_form = UploadForm(request.POST, request.FILES)
    elif action == "reference":
        reference_form = ReferenceForm(request.POST)
    if action == "upload" and upload_form.is_valid():
        try:
            verification_rate_limit(client_ip=client_ip(request))
        except RateLimited as limited:
            refusal, status = limited.message, 429
        else:
            upload = upload_form.cleaned_data["file"]
            result = verify_pdf(upload.read(conf.get("SIGNATURES_MAX_PDF_BYTES") + 1))
    elif action == "reference" and reference_form.is_valid():
        reference = reference_form.cleaned_data["reference"]
        try:
            verification_rate_limit(client_ip=client_ip(request), reference=reference)
        except RateLimited as limited:
            refusal, status = limited.message, 429
        else:
            result = verify_reference(reference=reference, code=reference_form.cleaned_data["code"])
    elif action in ("upload", "reference"):
        status = 400
    response = TemplateResponse(
        request,
        "signatures/verify.html",
        {
            "upload_form": upload_form,
            "reference_form": reference_form,
            "result": result,
            "refusal": refusal,
            "action": action,
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response
