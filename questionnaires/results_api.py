"""``GET /api/questionnaires/{id}/results/``: a questionnaire's results in a language, to whoever
may see its results page (``questionnaires.view_results``: the institution's editors, everyone
once public). The same figures as the page: counts in SQL (questionnaires.results), the
cross-tab by governorate suppressed (cms/disclosure.py), only approved free texts."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from cms.disclosure import disclosure_threshold
from questionnaires.blocks import Kind
from questionnaires.presentation import labels_of
from questionnaires.results import cross_tab_published, questionnaire_results
from questionnaires.schemas import KINDS, ResponseErrorOut, StructureQuery
from questionnaires.selectors import questionnaire_in_language

router = Router(tags=["questionnaires"])


class OptionResultOut(Schema):
    key: str = Field(description="An option's key, or a scale value (1 to 5)")
    label: str
    count: int | None = Field(None, description="Single, multiple choice and scale: responses")
    percent: float | None = Field(None, description="Of the responses that answered the question")
    score: int | None = Field(None, description="Ranking: Borda score (n − rank points each)")
    first: int | None = Field(None, description="Ranking: responses that ranked it first")


class CrossCellOut(Schema):
    governorate: str = Field(description="ISO 3166-2:TN code, empty when not given")
    option: str
    count: int | None = Field(description="None when hidden (small-number suppression)")
    suppressed: str | None = Field(description="small, complementary, or None when shown")


class QuestionResultOut(Schema):
    key: str
    number: int
    kind: str = Field(json_schema_extra={"enum": KINDS})
    text: str
    answered: int = Field(description="Responses that answered the question")
    options: list[OptionResultOut]
    mean: float | None = Field(None, description="Scale and number questions")
    min: float | None = Field(None, description="Number questions")
    max: float | None = Field(None, description="Number questions")
    approved_texts: list[str] = Field(description="Text questions: approved by a moderator")
    governorates: list[CrossCellOut] = Field(description="Cross-tab by governorate")


class ResultsOut(Schema):
    id: int
    translation_key: str
    title: str
    language: str
    responses: int = Field(description="Sent responses, in every translation (drafts excluded)")
    taken_at: datetime.datetime
    questions: list[QuestionResultOut]


def _question(row: dict, labels: dict, threshold: int) -> dict:
    options = []
    kind = row["kind"]
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        options = [
            {"key": o["key"], "label": labels["options"].get(o["key"], ""), "count": o["count"], "percent": o["percent"]}
            for o in row["options"]
        ]
    elif kind == Kind.SCALE:
        options = [
            {"key": str(d["value"]), "label": str(d["value"]), "count": d["count"], "percent": d["percent"]}
            for d in row["distribution"]
        ]
    elif kind == Kind.RANKING:
        options = [
            {"key": o["key"], "label": labels["options"].get(o["key"], ""), "score": o["score"], "first": o["first"]}
            for o in row["options"]
        ]
    cells = []
    if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE) and row.get("governorates"):
        table = cross_tab_published(row, threshold=threshold)
        cells = [
            {"governorate": code, "option": option, "count": cell.value, "suppressed": cell.suppressed}
            for code, counts in table["rows"]
            for option, cell in zip(table["options"], counts)
        ]
    return {
        "key": row["key"],
        "number": row["number"],
        "kind": kind,
        "text": labels["questions"].get(row["key"], ""),
        "answered": row["answered"],
        "options": options,
        "mean": row.get("mean"),
        "min": row.get("min"),
        "max": row.get("max"),
        "approved_texts": row.get("approved", []),
        "governorates": cells,
    }


@router.get(
    "/questionnaires/{questionnaire_id}/results/",
    response={200: ResultsOut, 404: ResponseErrorOut},
    summary="A questionnaire's results in a language",
    description="Counts and percentages per option, scale distribution and mean, ranking "
    "scores (Borda), number statistics, approved free texts and the cross-tab by governorate "
    "(small counts hidden). 404 when the questionnaire does not exist or its results are not "
    "visible to the caller (not public, and not one of its institution's editors).",
)
def questionnaire_results_detail(request, questionnaire_id: int, params: Query[StructureQuery]):
    page = questionnaire_in_language(questionnaire_id, params.language)
    if page is None or not request.user.has_perm("questionnaires.view_results", page):
        return Status(404, {"code": "not_found", "message": _("These results do not exist or are not public.")})
    results = questionnaire_results(page=page)
    labels = labels_of(page)
    threshold = disclosure_threshold()
    return Status(
        200,
        {
            "id": page.pk,
            "translation_key": str(page.translation_key),
            "title": page.title,
            "language": page.locale.language_code,
            "responses": results["responses"],
            "taken_at": results["taken_at"],
            "questions": [_question(row, labels, threshold) for row in results["questions"]],
        },
    )
