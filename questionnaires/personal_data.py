"""questionnaires' part of a person's data rights (accounts.personal_data;
docs/data-rights.md): their responses and answers.

On deletion drafts go; sent responses stay in the results without the account (the foreign
key empties): the published figures do not change after they were read."""

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import iso, register_eraser, register_exporter
from questionnaires.models import Answer, Response


def export(*, user) -> list[dict]:
    responses = list(
        Response.objects.filter(user=user).select_related("questionnaire").order_by("created_at", "pk")
    )
    answers: dict[int, list] = {}
    for row in Answer.objects.filter(response__in=responses).order_by("pk").values(
        "response_id", "question_key", "option_key", "rank", "number", "text"
    ):
        response_id = row.pop("response_id")
        row["number"] = str(row["number"]) if row["number"] is not None else None
        answers.setdefault(response_id, []).append(row)
    return [
        {
            "questionnaire": response.questionnaire.title if response.questionnaire else "",
            "governorate": response.governorate,
            "language": response.language,
            "draft": response.is_draft,
            "started_at": iso(response.created_at),
            "submitted_at": iso(response.submitted_at),
            "answers": answers.get(response.pk, []),
        }
        for response in responses
    ]


def erase(*, user, remove_contributions: bool) -> None:
    Response.objects.filter(user=user, is_draft=True).delete()


register_exporter("questionnaires", _("Questionnaire responses"), export)
register_eraser("questionnaires", erase)
