"""Reads of citizen requests shared by the ways out (the JSON API, Open311)."""

from django.db.models import QuerySet

from citizen_requests.models import CitizenRequest, Publicity
from citizen_requests.stages import PUBLIC_KINDS


def public_requests() -> QuerySet[CitizenRequest]:
    """What anyone may read: suggestions and notices their author made public, once moderated.
    Complaints, guidance requests and corruption reports never, whatever is stored."""
    return CitizenRequest.objects.filter(
        publicity=Publicity.PUBLIC, kind__in=list(PUBLIC_KINDS)
    ).select_related("desk__institution")
