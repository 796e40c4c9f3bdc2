"""Attachments: what is accepted (PDF, JPEG, PNG, told apart by their first bytes, never by
their names), how many and how large, and how they are kept."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from citizen_requests import conf
from citizen_requests.models import RequestAttachment

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def uploads_check(files) -> tuple[list[Upload], str | None]:
    """The files (Django ``UploadedFile``s, or (name, bytes) pairs) as uploads, or the first
    problem with them, translated. Nothing is stored here."""
    files = list(files or [])
    most = conf.get("CITIZEN_REQUESTS_MAX_ATTACHMENTS")
    largest = conf.get("CITIZEN_REQUESTS_MAX_ATTACHMENT_BYTES")
    if len(files) > most:
        return [], ngettext(
            "Attach at most %(count)d file.", "Attach at most %(count)d files.", most
        ) % {"count": most}
    uploads = []
    for item in files:
        if isinstance(item, tuple):
            name, content = item
        else:
            if item.size > largest:
                return [], _too_large(item.name, largest)
            name, content = item.name, item.read(largest + 1)
        name = (name or "attachment").replace("/", "_").replace("\\", "_")[-150:]
        if len(content) > largest:
            return [], _too_large(name, largest)
        if not content:
            return [], _("The file “%(name)s” is empty.") % {"name": name}
        content_type = sniff(content[:16])
        if content_type is None:
            return [], _(
                "The file “%(name)s” is not a PDF, JPEG or PNG file (whatever its name says)."
            ) % {"name": name}
        uploads.append(Upload(name=name, content=content, content_type=content_type))
    return uploads, None


def _too_large(name: str, largest: int) -> str:
    return _("The file “%(name)s” is larger than %(size)d MB.") % {
        "name": name, "size": largest // (1024 * 1024),
    }


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
