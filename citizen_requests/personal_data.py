"""citizen_requests' part of a person's data rights (accounts.personal_data;
docs/data-rights.md): their requests with the public timeline and the attachments' metadata,
and their supports.

On deletion the institution keeps its record of each request (subject, text, timeline,
answer, files: it may have to answer for them) without the person: the account is unlinked
(the foreign key empties), the address is blanked, the files' names (which often carry a
name) are replaced, e-mails stop. Supports go and the counts drop."""

from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import iso, register_eraser, register_exporter
from citizen_requests.models import CitizenRequest, RequestAttachment, RequestEvent, Support


def export(*, user) -> dict:
    requests = list(CitizenRequest.objects.filter(author=user).select_related("desk").order_by("created_at", "pk"))
    ids = [request.pk for request in requests]
    events: dict[int, list] = {}
    for event in RequestEvent.objects.filter(request_id__in=ids, public=True).order_by("at", "pk"):
        events.setdefault(event.request_id, []).append(
            {
                "kind": event.kind, "at": iso(event.at), "stage": event.stage,
                "by_you": event.by_citizen, "text": event.text,
            }
        )
    files: dict[int, list] = {}
    for attachment in RequestAttachment.objects.filter(request_id__in=ids).order_by("pk"):
        files.setdefault(attachment.request_id, []).append(
            {
                "name": attachment.name, "type": attachment.content_type,
                "size": attachment.size, "sha256": attachment.sha256,
                "added_at": iso(attachment.created_at),
            }
        )
    return {
        "requests": [
            {
                "tracking_number": request.tracking_number,
                "kind": request.kind,
                "language": request.language,
                "subject": request.subject,
                "text": request.text,
                "governorate": request.governorate,
                "municipality": request.municipality,
                "address": request.address,
                "stage": request.stage,
                "publicity": request.publicity,
                "answer": request.answer,
                "useful": request.useful,
                "email_at_each_stage": request.notify,
                "filed_at": iso(request.created_at),
                "timeline": events.get(request.pk, []),
                "attachments": files.get(request.pk, []),
            }
            for request in requests
        ],
        "supports": [
            {"request": number, "at": iso(when)}
            for number, when in Support.objects.filter(user=user)
            .order_by("pk")
            .values_list("request__tracking_number", "created_at")
        ],
    }


def erase(*, user, remove_contributions: bool) -> None:
    CitizenRequest.objects.filter(
        pk__in=Support.objects.filter(user=user).values("request_id")
    ).update(supporters_count=Greatest(F("supporters_count") - 1, 0))
    Support.objects.filter(user=user).delete()
    mine = CitizenRequest.objects.filter(author=user)
    for attachment in RequestAttachment.objects.filter(request__in=mine).only("pk", "name"):
        extension = attachment.name.rsplit(".", 1)[-1][:8] if "." in attachment.name else ""
        attachment.name = f"attachment-{attachment.pk}" + (f".{extension}" if extension else "")
        attachment.save(update_fields=["name"])
    mine.update(address="", notify=False)


register_exporter("citizen_requests", _("Requests and supports"), export)
register_eraser("citizen_requests", erase)
