"""What an upload must be: a PDF, JPEG or PNG file (told apart by its first bytes, whatever its
name says), not empty, not too large, and not too many of them. Nothing is stored here."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
# The file picker's hint (the check above decides).
ACCEPTED_TYPES = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


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


def uploads_check(files, *, most: int, largest: int) -> tuple[list[Upload], str | None]:
    """The files (Django ``UploadedFile``s, or (name, bytes) pairs) as uploads, or the first
    problem with them, translated: at most ``most`` files of at most ``largest`` bytes each."""
    files = list(files or [])
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
