"""consultations' part of a person's data rights (accounts.personal_data;
docs/data-rights.md): the consultations they follow. Following ends with the account (the
foreign key cascades): nothing to strip beforehand."""

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import iso, register_exporter
from consultations.models import ConsultationFollow


def export(*, user) -> list[dict]:
    return [
        {"consultation": title, "page_id": page_id, "since": iso(since)}
        for title, page_id, since in ConsultationFollow.objects.filter(user=user)
        .order_by("created_at", "pk")
        .values_list("consultation__title", "consultation_id", "created_at")
    ]


register_exporter("consultations_followed", _("Consultations followed"), export)
