"""Business rules for consultations: recording draft versions, following."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from accounts.models import User
from consultations.models import ConsultationFollow, ConsultationPage, DraftVersion
from deliberation.phases import Phase


@transaction.atomic
def draft_version_record(
    *,
    consultation: ConsultationPage,
    revision: Revision | None = None,
    now: datetime.datetime | None = None,
) -> DraftVersion | None:
    """Record the draft as just published. Returns the version it is now, or None if unchanged.

    Version 1 is made at the first publication and follows every publication until the
    consultation opens (the draft is still being prepared). From then on, each publication
    whose sections differ from the latest version becomes the next numbered version.
    """
    now = now or timezone.now()
    # Serialise concurrent publications of one consultation (no duplicate numbers).
    ConsultationPage.objects.select_for_update().filter(pk=consultation.pk).first()
    snapshot = [section.as_dict() for section in consultation.sections]
    latest = consultation.versions.order_by("-number").first()
    note = consultation.change_note.strip()
    fields = {"sections": snapshot, "published_at": now, "revision": revision}

    if latest is None:
        return DraftVersion.objects.create(
            consultation=consultation, number=1, change_note=note, **fields
        )
    if latest.sections == snapshot:
        return None
    if consultation.phase_at(now) == Phase.UPCOMING:
        for name, value in {**fields, "change_note": note}.items():
            setattr(latest, name, value)
        latest.save()
        return latest
    return DraftVersion.objects.create(
        consultation=consultation,
        number=latest.number + 1,
        # An editor who did not touch the note did not describe this version.
        change_note="" if note == latest.change_note else note,
        **fields,
    )


def consultation_follow(*, user: User, consultation: ConsultationPage) -> ConsultationFollow:
    follow, _ = ConsultationFollow.objects.get_or_create(user=user, consultation=consultation)
    return follow


def consultation_unfollow(*, user: User, consultation: ConsultationPage) -> None:
    ConsultationFollow.objects.filter(user=user, consultation=consultation).delete()
