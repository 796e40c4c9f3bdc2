"""Where attachments are kept: a directory outside MEDIA_ROOT that no web server serves
(``CITIZEN_REQUESTS_ATTACHMENTS_ROOT``); files are read back only through the views that
check who may read their request."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from citizen_requests import conf


class AttachmentStorage(FileSystemStorage):
    """A file system storage with no URL, whose place is read from the settings each time
    (tests and deployments change it)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return conf.get("CITIZEN_REQUESTS_ATTACHMENTS_ROOT") or str(
            Path(settings.BASE_DIR) / "private" / "requests"
        )

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Request attachments have no public URL.")


_storage = AttachmentStorage()


def attachment_storage() -> AttachmentStorage:
    return _storage
