"""Where uploaded files are kept: a directory outside MEDIA_ROOT that no web server serves;
files are read back only through the views that check who may read them
(``private_file_response``)."""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse


class PrivateStorage(FileSystemStorage):
    """A file system storage with no URL, whose place is asked each time (tests and
    deployments change it): ``root()`` gives a directory, or "" for ``<BASE_DIR>/private/<folder>``."""

    def __init__(self, *, root: Callable[[], str], folder: str):
        super().__init__(base_url=None)
        self._root, self._folder = root, folder

    @property
    def base_location(self):
        return self._root() or str(Path(settings.BASE_DIR) / "private" / self._folder)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def private_file_response(file, *, name: str, content_type: str) -> FileResponse:
    """A kept file as a download: under its given name, with the type its first bytes showed,
    never sniffed by the browser nor cached. The caller has decided the reader may have it."""
    response = FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
