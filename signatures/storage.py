"""Where signed PDFs are kept: a directory outside MEDIA_ROOT that no web server serves
(``SIGNATURES_DOCUMENTS_ROOT``); they leave only through views that decide who may have them
(``signatures.views.signed_pdf_response``)."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from signatures import conf


class SignedDocumentStorage(FileSystemStorage):
    """A file system storage with no URL, whose place is read from the settings each time
    (tests and deployments change it)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return conf.get("SIGNATURES_DOCUMENTS_ROOT") or str(
            Path(settings.BASE_DIR) / "private" / "signatures"
        )

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Signed documents have no public URL.")


_storage = SignedDocumentStorage()


def signed_document_storage() -> SignedDocumentStorage:
    return _storage
