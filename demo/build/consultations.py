"""The demo consultations, published in Arabic (source), French and English; the Water Code
then gets a second version, as an editor's later edit."""

import datetime

from django.utils import timezone

from cms.models import InstitutionPage
from cms.services import locales_ensure, page_translation_ensure
from consultations.models import ConsultationPage
from demo.build.ids import section_id
from demo.build.publishing import child_publish, topics_publish
from demo.content.consultations import CONSULTATIONS


def _draft(slug: str, sections: list[tuple[str, str, str, list[str]]]) -> list[dict]:
    """Raw StreamField data from (key, heading, body html, sub-paragraph htmls)."""
    return [
        {
            "type": "section",
            "id": section_id(slug, key),
            "value": {"heading": heading, "body": body, "paragraphs": paragraphs},
        }
        for key, heading, body, paragraphs in sections
    ]


def _fields(data: dict, language: str) -> dict:
    texts = data[language]
    return {
        "title": texts["title"],
        "summary": texts["summary"],
        "context": texts["context"],
        "guiding_questions": [{"type": "question", "value": q} for q in texts["questions"]],
        "draft": _draft(data["slug"], texts["v1"]),
        "change_note": "",
    }


def _second_version(page: ConsultationPage, data: dict, language: str) -> None:
    """Edit the draft as an editor would: rewrite a section, add one, keep the others' ids."""
    texts = data[language]
    changes = dict(texts["v2"])
    sections = []
    for key, heading, body, paragraphs in texts["v1"]:
        if key in changes:
            heading, body, paragraphs = changes.pop(key)
        sections.append((key, heading, body, paragraphs))
    sections += [(key, *value) for key, value in changes.items()]
    page.draft = _draft(data["slug"], sections)
    page.change_note = texts["change_note"]
    page.save_revision().publish()


def _consultation_publish(
    data: dict, institution: InstitutionPage, now, locales
) -> ConsultationPage:
    page = child_publish(
        parent=institution,
        page=ConsultationPage(
            slug=data["slug"],
            opens_at=now + datetime.timedelta(days=data["opens"]),
            closes_at=now + datetime.timedelta(days=data["closes"]),
            moderation_mode=data["moderation_mode"],
            **_fields(data, "ar"),
        ),
        topics=data["topics"]["ar"],
    )
    pages = {"ar": page}
    for code in ("fr", "en"):
        translation = page_translation_ensure(
            page=page, locale=locales[code], **_fields(data, code)
        )
        topics_publish(translation, data["topics"][code])
        pages[code] = translation
    if "v2" in data["ar"]:
        for code, translation in pages.items():
            _second_version(ConsultationPage.objects.get(pk=translation.pk), data, code)
    return page


def consultations_seed(*, report) -> list[ConsultationPage]:
    """Publish the demo consultations that do not exist yet; returns all of them (Arabic)."""
    locales = locales_ensure()
    now = timezone.now().replace(second=0, microsecond=0)
    made = []
    for data in CONSULTATIONS:
        institution = InstitutionPage.objects.get(slug=data["institution"], locale=locales["ar"])
        page = ConsultationPage.objects.child_of(institution).filter(slug=data["slug"]).first()
        if page is not None:
            made.append(page)
            continue
        page = _consultation_publish(data, institution, now, locales)
        made.append(page)
        report(f"Consultation {data['en']['title']} ({page.phase.label})")
    return made
