"""System checks: settings that the schema cannot honour are refused at start-up."""

from django.core.checks import Error, register

from deliberation import conf
from deliberation.models import Contribution


@register()
def max_depth_fits_the_path(app_configs, **kwargs):
    depth = conf.get("DELIBERATION_MAX_DEPTH")
    room = Contribution._meta.get_field("path").max_length // Contribution.PATH_STEP
    if not isinstance(depth, int) or not 1 <= depth <= room:
        return [
            Error(
                f"DELIBERATION_MAX_DEPTH must be an integer from 1 to {room} (got {depth!r}).",
                hint="Contribution.path stores one 8-digit step per level.",
                id="deliberation.E001",
            )
        ]
    return []
