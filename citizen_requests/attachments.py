"""Requests' attachments: how many and how large (the checks themselves: ``uploads.checks``),
and how they are kept with a request."""

import hashlib

from django.core.files.base import ContentFile

from citizen_requests import conf
from citizen_requests.models import RequestAttachment
from uploads.checks import Upload
from uploads.checks import uploads_check as checked


def uploads_check(files) -> tuple[list[Upload], str | None]:
    """The files as uploads within requests' limits, or the first problem with them."""
    return checked(
        files,
        most=conf.get("CITIZEN_REQUESTS_MAX_ATTACHMENTS"),
        largest=conf.get("CITIZEN_REQUESTS_MAX_ATTACHMENT_BYTES"),
    )


def attachments_store(*, request, uploads: list[Upload], event=None) -> list[str]:
    """Keep ``uploads`` with ``request``; returns the names of the files written, for the
    caller to remove if its transaction fails."""
    written = []
    for upload in uploads:
        attachment = RequestAttachment(
            request=request,
            event=event,
            name=upload.name,
            content_type=upload.content_type,
            size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
        )
        attachment.file.save(upload.name, ContentFile(upload.content), save=False)
        written.append(attachment.file.name)
        attachment.save()
    return written
