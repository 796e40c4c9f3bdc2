"""An institution's official reply, signed (docs/signatures.md, docs/requests.md "Signed
answers"): when a moderator marks a contribution as the institution's official reply, the
thread's institution signs it if it has an active signing certificate, inside the marking's
transaction: a refusal to sign refuses the marking and changes nothing. Without a certificate
the reply is marked unsigned. A mark removed keeps the document: it was signed."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from deliberation.models import Contribution
from deliberation.selectors import official_reference, thread_page_in
from deliberation.services.errors import Invalid
from signatures.models import DocumentKind, SignedDocument
from signatures.selectors import active_certificate
from signatures.services import SignatureError, document_sign


def _language(contribution: Contribution) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    for language in (contribution.language, contribution.thread.page.locale.language_code):
        if language in codes:
            return language
    return settings.LANGUAGE_CODE


def official_reply_sign(*, contribution: Contribution, moderator) -> SignedDocument | None:
    """``contribution`` (locked, with its thread) signed by its thread's institution, in the
    contribution's language: the discussion page's title as subject, its text, the moderator
    as signer. None when the institution has no active certificate; ``Invalid`` (nothing kept)
    when it cannot sign with it now."""
    thread = contribution.thread
    institution = thread.institution
    if active_certificate(institution) is None:
        return None
    language = _language(contribution)
    with translation.override(language):
        role = _("Moderator")
        subject = thread_page_in(thread, language).title
    try:
        return document_sign(
            institution=institution,
            kind=DocumentKind.OFFICIAL_REPLY,
            reference=official_reference(contribution.pk),
            subject=subject,
            text=contribution.body,
            signer_name=moderator.display_name or role,
            signer_role=role,
            language=language,
            extra={"thread": thread.key},
        )
    except SignatureError as error:
        raise Invalid(
            _("The reply was not marked as official: it could not be signed. %(reason)s")
            % {"reason": error.message}
        ) from error

