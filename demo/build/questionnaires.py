"""The demo questionnaire (demo/content/questionnaire.py) beside the water code consultation,
translated, with a few hundred generated responses spread over governorates (bulk_create: no
account behind them; their governorate is drawn as an account's would be). Some free texts are
approved, others wait in the moderators' review."""

import datetime
import random
import uuid
from decimal import Decimal

from django.utils import timezone

from accounts.governorates import Governorate
from cms.services import locales_ensure, page_translation_ensure
from consultations.models import ConsultationPage
from demo.build.publishing import child_publish
from demo.content import questionnaire as content
from questionnaires.models import Answer, QuestionnairePage, Response, ReviewStatus

NAMESPACE = uuid.UUID("a4c1f0e2-5d3b-4c9a-8e7f-2b6d1c0a9f35")


def _key(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def _questions(language: str) -> list[dict]:
    blocks = []
    for key, kind, required, extra, texts, options in content.QUESTIONS:
        blocks.append(
            {
                "type": "question",
                "id": _key(key),
                "value": {
                    "kind": kind,
                    "text": texts[language],
                    "help_text": "",
                    "required": required,
                    "options": [
                        {"type": "item", "id": _key(key, str(n)), "value": label}
                        for n, label in enumerate(options.get(language, []), start=1)
                    ],
                    "min_value": extra.get("min_value"),
                    "max_value": extra.get("max_value"),
                    "max_length": extra.get("max_length"),
                    "show_if_question": extra.get("show_if_question"),
                    "show_if_options": extra.get("show_if_options", ""),
                },
            }
        )
    return blocks


def questionnaires_seed(*, report) -> QuestionnairePage | None:
    locales = locales_ensure()
    consultation = (
        ConsultationPage.objects.filter(slug=content.CONSULTATION, locale=locales["ar"]).first()
    )
    if consultation is None:
        return None
    page = QuestionnairePage.objects.child_of(consultation).filter(slug=content.SLUG).first()
    if page is not None:
        return page
    page = child_publish(
        parent=consultation,
        page=QuestionnairePage(
            title=content.TITLE["ar"],
            slug=content.SLUG,
            intro=content.INTRO["ar"],
            questions=_questions("ar"),
            results_public=True,
        ),
    )
    for code in ("fr", "en"):
        page_translation_ensure(
            page=page,
            locale=locales[code],
            title=content.TITLE[code],
            intro=content.INTRO[code],
            questions=_questions(code),
        )
    n = responses_generate(page=QuestionnairePage.objects.get(pk=page.pk))
    report(f"Questionnaire {content.TITLE['en']}: {n} responses")
    return page


def responses_generate(*, page: QuestionnairePage, count: int = content.RESPONSES) -> int:
    """``count`` sent responses with plausible answers, in two bulk inserts."""
    rng = random.Random(18)
    now = timezone.now()
    # Most answers from the Kef and its neighbours, a few from far away, some without.
    governorates = (
        [Governorate.KEF] * 8 + [Governorate.JENDOUBA] * 3 + [Governorate.SILIANA] * 3
        + [Governorate.TUNIS] * 2 + [Governorate.BEJA, Governorate.SFAX, Governorate.TOZEUR, ""]
    )
    responses = Response.objects.bulk_create(
        Response(
            questionnaire_key=page.translation_key,
            questionnaire=page,
            anonymous_token=_key("response", str(i)).replace("-", ""),
            governorate=rng.choice(governorates),
            language=rng.choice(["ar", "ar", "fr", "en"]),
            is_draft=False,
            submitted_at=now - datetime.timedelta(hours=rng.randint(1, 240)),
        )
        for i in range(count)
    )
    answers = []
    for response in responses:
        def add(key, **values):
            answers.append(Answer(response=response, question_key=_key(key), **values))

        source = rng.choices(["1", "2", "3"], weights=[6, 3, 1])[0]
        add("source", option_key=_key("source", source))
        if source == "1" and rng.random() < 0.3:
            add("cuts", text=rng.choice(content.TEXTS["cuts"]), review_status=_review(rng))
        for n in ("1", "2", "3"):
            if rng.random() < (0.8 if n == "1" else 0.35):
                add("uses", option_key=_key("uses", n))
        add("quality", number=Decimal(rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 4, 3, 1])[0]))
        if rng.random() < 0.7:
            order = ["1", "2", "3"]
            rng.shuffle(order)
            for rank, n in enumerate(order, start=1):
                add("priorities", option_key=_key("priorities", n), rank=rank)
        add("household", number=Decimal(rng.randint(1, 9)))
        if rng.random() < 0.1:
            add("ideas", text=rng.choice(content.TEXTS["ideas"]), review_status=_review(rng))
    Answer.objects.bulk_create(answers)
    return len(responses)


def _review(rng) -> str:
    return ReviewStatus.APPROVED if rng.random() < 0.6 else ReviewStatus.PENDING
