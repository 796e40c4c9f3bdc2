"""Where requests' attachments are kept: ``CITIZEN_REQUESTS_ATTACHMENTS_ROOT``, a directory
outside MEDIA_ROOT that no web server serves ("": <BASE_DIR>/private/requests); files are read
back only through the views that check who may read their request."""

from citizen_requests import conf
from uploads.storage import PrivateStorage

_storage = PrivateStorage(
    root=lambda: conf.get("CITIZEN_REQUESTS_ATTACHMENTS_ROOT"), folder="requests"
)


def attachment_storage() -> PrivateStorage:
    return _storage
