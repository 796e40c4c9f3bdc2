"""``/api/consultations/``: the public list and detail, documented in /api/openapi.json."""

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from cms.pagination import BoundedPageNumberPagination
from consultations.forms import PHASE_FILTER_CHOICES, ConsultationFilterForm
from consultations.models import ConsultationPage
from consultations.selectors import consultation_cards, consultation_list, version_list

router = Router(tags=["consultations"])


class InstitutionOut(Schema):
    id: int
    slug: str
    title: str


class ConsultationOut(Schema):
    id: int
    title: str
    slug: str
    url: str
    language: str
    institution: InstitutionOut | None
    phase: str
    actions: list[str]
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    summary: str
    topics: list[str]
    contribution_count: int


class SectionOut(Schema):
    id: str = Field(description="Stable block id: survives new versions of the draft")
    anchor: str = Field(description="Fragment of the section on the consultation page")
    number: int
    heading: str
    html: str


class VersionOut(Schema):
    number: int
    published_at: datetime.datetime
    change_note: str


class ConsultationDetailOut(ConsultationOut):
    context_html: str
    guiding_questions: list[str]
    moderation_mode: str
    participation: str
    sections: list[SectionOut]
    versions: list[VersionOut]


class ConsultationFilters(Schema):
    phase: str | None = Field(
        None,
        description="The phase (empty: any; another value is a 400)",
        json_schema_extra={"enum": ["", *(value for value, _ in PHASE_FILTER_CHOICES)]},
    )
    institution: str | None = Field(
        None, description="Slug of an institution that has consultations (another is a 400)"
    )
    topic: str | None = Field(
        None, description="Slug of a topic of consultations (another is a 400)"
    )
    language: str | None = Field(
        None,
        description="The language (empty: any; another value is a 400)",
        json_schema_extra={"enum": ["", *(code for code, _name in settings.LANGUAGES)]},
    )
    year: int | None = Field(
        None, ge=1, le=9999, description="Year the consultation opened (one that has consultations)"
    )


# Wagtail's page ids are 32-bit integers.
PAGE_ID_MAX = 2**31 - 1


class Error(Schema):
    detail: str


def _out(card: dict, request: HttpRequest) -> dict:
    page = card["page"]
    institution = card["institution"]
    return {
        "id": page.pk,
        "title": page.title,
        "slug": page.slug,
        "url": request.build_absolute_uri(page.get_url(request)),
        "language": page.locale.language_code,
        "institution": (
            {"id": institution.pk, "slug": institution.slug, "title": institution.title}
            if institution
            else None
        ),
        "phase": card["phase"].value,
        "actions": sorted(action.value for action in page.actions),
        "opens_at": page.opens_at,
        "closes_at": page.closes_at,
        "summary": page.summary,
        "topics": [topic.name for topic in card["topics"]],
        "contribution_count": card["contribution_count"],
    }


@router.get(
    "/consultations/",
    response={200: list[ConsultationOut], 400: Error},
    summary="List published consultations",
)
@paginate(BoundedPageNumberPagination, page_size=20)
def list_consultations(request, filters: Query[ConsultationFilters]):
    form = ConsultationFilterForm(
        {name: value for name, value in filters.dict().items() if value is not None},
        language=filters.language,
    )
    if not form.is_valid():
        raise HttpError(400, _errors_message(form))
    cards = consultation_cards(consultation_list(**form.filters()))
    return [_out(card, request) for card in cards]


@router.get(
    "/consultations/{consultation_id}/",
    response={200: ConsultationDetailOut, 404: Error},
    summary="One consultation, with its sections and versions",
)
def get_consultation(request, consultation_id: int = Path(..., ge=1, le=PAGE_ID_MAX)):
    page = get_object_or_404(
        ConsultationPage.objects.live().public().select_related("locale"), pk=consultation_id
    )
    card = consultation_cards([page])[0]
    return {
        **_out(card, request),
        "context_html": page.context,
        "guiding_questions": [block.value for block in page.guiding_questions],
        "moderation_mode": page.moderation_mode,
        "participation": page.participation,
        "sections": [
            {**section.as_dict(), "anchor": section.anchor} for section in page.sections
        ],
        "versions": list(version_list(consultation=page).values("number", "published_at", "change_note")),
    }


def _errors_message(form) -> str:
    return "; ".join(
        f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
    )
