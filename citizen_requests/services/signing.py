"""An answer signed by the request's institution (docs/requests.md, "Signed answers").

Sending an answer signs it when the institution has an active signing certificate: the PDF
(PAdES) and the JSON (JWS) of ``signatures.services.document_sign``, made inside the sending's
transaction, so that a refusal to sign refuses the sending and changes nothing. An institution
without a certificate sends its answers unsigned, and the pages say so.
"""

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from citizen_requests.models import CitizenRequest
from citizen_requests.services.errors import Invalid
from citizen_requests.stages import Role
from signatures.models import DocumentKind, SignedDocument
from signatures.selectors import active_certificate
from signatures.services import SignatureError, document_sign


def answer_sign(*, request: CitizenRequest, actor, text: str) -> SignedDocument | None:
    """The answer ``text`` to ``request`` signed by its institution, in the request's language:
    its tracking number, subject, the names and SHA-256 of its attachments, the approver's name
    and role. None when the institution has no active certificate; ``Invalid`` (nothing kept)
    when it has one but cannot sign with it now."""
    institution = request.desk.institution
    if active_certificate(institution) is None:
        return None
    with translation.override(request.language):
        role = capfirst(str(Role.APPROVER.label))
    attachments = [(item.name, item.sha256) for item in request.attachments.order_by("pk")]
    try:
        return document_sign(
            institution=institution,
            kind=DocumentKind.REQUEST_ANSWER,
            reference=request.tracking_number,
            subject=request.subject,
            text=text,
            attachments=attachments,
            signer_name=actor.display_name or role,
            signer_role=role,
            language=request.language,
        )
    except SignatureError as error:
        raise Invalid(
            _("The answer was not sent: it could not be signed. %(reason)s") % {"reason": error.message},
            field="answer",
        ) from error

