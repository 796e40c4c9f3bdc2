"""Where ideas' attachments are kept: ``CITIZEN_IDEAS_ATTACHMENTS_ROOT``, outside MEDIA_ROOT
("": <BASE_DIR>/private/ideas); served only by the idea's attachment view, to those who may
read the idea."""

from citizen_ideas import conf
from uploads.storage import PrivateStorage

_storage = PrivateStorage(root=lambda: conf.get("CITIZEN_IDEAS_ATTACHMENTS_ROOT"), folder="ideas")


def idea_attachment_storage() -> PrivateStorage:
    return _storage
