"""What a citizen is told when their request changes: one e-mail per change, in their
language. They may turn off the e-mails they would merely like; the ones the law requires
(the receipt, a question asked of them, where their request went, the answer, and a refusal
as out of scope) are always sent. Anonymous reports have no address: nothing is sent."""

import logging

from django.urls import reverse

from accounts.mail import absolute_url, user_language, user_mail_send
from citizen_requests.models import CitizenRequest, RequestEvent
from citizen_requests.realtime import request_change_publish
from citizen_requests.stages import EventKind, Stage
from signatures.models import SignedDocument
from signatures.services import verification_url

logger = logging.getLogger(__name__)

# Events the citizen caused: they are not told of their own action.
_THEIR_OWN = frozenset({EventKind.CITIZEN_REPLY, EventKind.INFORMATION, EventKind.FEEDBACK, EventKind.REOPENED})


def mail_required(event: RequestEvent) -> bool:
    return event.kind in (EventKind.FILED, EventKind.QUESTION, EventKind.REDIRECTED, EventKind.ANSWER_SENT) or (
        event.kind == EventKind.STAGE and event.stage == Stage.OUT_OF_SCOPE
    )


def mail_due(request: CitizenRequest, event: RequestEvent) -> bool:
    author = request.author
    if author is None or not author.email or not event.public or event.kind in _THEIR_OWN:
        return False
    return mail_required(event) or request.notify


def _verify_link(document: SignedDocument | None, user) -> str:
    """The verification page, filled in, in the citizen's language."""
    if document is None:
        return ""
    return verification_url(
        reference=document.reference, code=document.verification_code, language=user_language(user)
    )


def request_changed(*, request_id: int, event_id: int) -> None:
    """Called once the change is committed (``services._changed``): the open pages are told
    (``realtime``), and the citizen is e-mailed."""
    event = (
        RequestEvent.objects.select_related(
            "request__author", "request__desk__institution", "to_desk__institution", "signed_document"
        )
        .filter(pk=event_id, request_id=request_id)
        .first()
    )
    if event is None:
        return
    request = event.request
    request_change_publish(request=request, from_desk_id=event.from_desk_id)
    if mail_due(request, event):
        try:
            user_mail_send(
                user=request.author,
                folder="citizen_requests/email",
                template="changed",
                context={
                    "request": request,
                    "event": event,
                    "required": mail_required(event),
                    "link": absolute_url(
                        reverse("citizen_requests:detail", args=[request.tracking_number])
                    ),
                    "signed": event.signed_document,
                    "verify_link": _verify_link(event.signed_document, request.author),
                },
            )
        except Exception:  # noqa: BLE001 — the change stands; the mail server is away
            # By its row id: a tracking number in the logs would name a private request.
            logger.exception("Could not e-mail the change of request #%s", request.pk)
