"""Ideas' settings, each overridable in Django settings under the same name (docs/ideas.md)."""

from django.conf import settings

DEFAULTS = {
    # Attachments: how many per idea and the largest one, in bytes (the same limits as a
    # request's attachments, docs/requests.md).
    "CITIZEN_IDEAS_MAX_ATTACHMENTS": 5,
    "CITIZEN_IDEAS_MAX_ATTACHMENT_BYTES": 5 * 1024 * 1024,
    # Where they are kept: outside MEDIA_ROOT, never served by the web server, read back only
    # through the idea's attachment view ("": <BASE_DIR>/private/ideas).
    "CITIZEN_IDEAS_ATTACHMENTS_ROOT": "",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
