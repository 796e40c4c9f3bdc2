"""Fixtures of the questionnaires tests: a questionnaire with every question kind, in ar/fr/en.

``EVERY_KIND`` is the questionnaire the browser test answers (and qres's live-results part):
question 3 ("why by bus?") is shown only when question 2 is answered with "bus".
"""

import datetime
import uuid

import pytest
from django.utils import timezone
from wagtail.models import Locale

from cms.services import page_translation_ensure
from questionnaires.models import QuestionnairePage


def question(kind, text, *, options=(), required=False, key=None, option_keys=None, **extra):
    """Raw StreamField data of one question, with fixed keys when given."""
    option_keys = option_keys or [f"{key or 'o'}-{n}" for n in range(1, len(options) + 1)]
    return {
        "type": "question",
        "id": key or str(uuid.uuid4()),
        "value": {
            "kind": kind,
            "text": text,
            "help_text": extra.pop("help_text", ""),
            "required": required,
            "options": [
                {"type": "item", "id": option_key, "value": label}
                for option_key, label in zip(option_keys, options, strict=True)
            ],
            "min_value": extra.pop("min_value", None),
            "max_value": extra.pop("max_value", None),
            "max_length": extra.pop("max_length", None),
            "show_if_question": extra.pop("show_if_question", None),
            "show_if_options": extra.pop("show_if_options", ""),
        },
    }


# Arabic first (the site's source language); keys are the same in every translation.
EVERY_KIND = [
    ("q-age", "number", "كم عمرك؟", (), dict(required=True, min_value="15", max_value="120")),
    ("q-mode", "single", "كيف تتنقل إلى العمل؟", ("الحافلة", "السيارة", "على القدمين"),
     dict(required=True)),
    ("q-why", "short_text", "لماذا الحافلة؟", (),
     dict(required=True, show_if_question=2, show_if_options="1", max_length=50)),
    ("q-needs", "multiple", "ما الذي ينقص حيك؟", ("الإنارة", "الأرصفة", "الحدائق"), {}),
    ("q-trust", "scale", "ما مدى ثقتك في البلدية؟", (), dict(required=True)),
    ("q-rank", "ranking", "رتب الأولويات", ("الماء", "الطرقات", "النظافة"), {}),
    ("q-ideas", "long_text", "أفكار أخرى", (), {}),
]

LABELS = {
    "fr": {
        "q-age": "Quel âge avez-vous ?",
        "q-mode": "Comment allez-vous au travail ?",
        "q-why": "Pourquoi le bus ?",
        "q-needs": "Que manque-t-il à votre quartier ?",
        "q-trust": "Quelle confiance dans la municipalité ?",
        "q-rank": "Classez les priorités",
        "q-ideas": "Autres idées",
    },
}


def every_kind_questions() -> list[dict]:
    return [
        question(kind, text, options=options, key=key, **dict(extra))
        for key, kind, text, options, extra in EVERY_KIND
    ]


@pytest.fixture
def make_questionnaire(site):
    """A live questionnaire: under ``parent`` (a consultation) or, by default, on its own under
    the test institution in Arabic, translated into fr and en (same question keys)."""

    def make(*, parent=None, questions=None, opens_in=-1, closes_in=10, translate=True, **fields):
        now = timezone.now()
        standalone = parent is None
        if standalone:
            parent = site["institution"]["ar"]
            fields.setdefault("opens_at", now + datetime.timedelta(days=opens_in))
            fields.setdefault("closes_at", now + datetime.timedelta(days=closes_in))
        parent = parent.specific_class.objects.get(pk=parent.pk)
        page = parent.add_child(
            instance=QuestionnairePage(
                title=fields.pop("title", "استبيان التنقل"),
                slug=fields.pop("slug", f"q-{uuid.uuid4().hex[:8]}"),
                questions=questions if questions is not None else every_kind_questions(),
                **fields,
            )
        )
        page.save_revision().publish()
        page = QuestionnairePage.objects.get(pk=page.pk)
        if standalone and translate:
            for code, title in (("fr", "Questionnaire mobilité"), ("en", "Mobility survey")):
                page_translation_ensure(
                    page=page, locale=Locale.objects.get(language_code=code), title=title
                )
        return page

    return make


@pytest.fixture
def questionnaire(make_questionnaire):
    """The every-kind questionnaire in Arabic, open, translated into fr and en."""
    return make_questionnaire()


def translation(page, code) -> QuestionnairePage:
    return QuestionnairePage.objects.get(
        translation_key=page.translation_key, locale__language_code=code
    )


@pytest.fixture
def answering(make_questionnaire, citizen):
    """The browser tests' world: the every-kind questionnaire (Arabic source, fr and en
    translations), open, and an Arabic-speaking citizen of Le Kef who has not answered yet.
    (The live-results part adds an editor watching the results to it.)"""
    citizen.governorate = "TN-33"
    citizen.save()
    return {"questionnaire": make_questionnaire(), "citizen": citizen}
