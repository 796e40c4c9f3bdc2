"""A questionnaire's results, counted in the database (docs/questionnaires.md, "Results").

``questionnaire_results(page=…)`` returns plain JSON data, keyed by the translation-stable
question and option keys: every translation's answers count together, drafts never. It is what
the results page draws, what the API returns and what the outcome freezes in its participation
snapshot (with the labels of every translation, ``results_labels``). A fixed number of queries
whatever the number of responses (seven), each an aggregate (``GROUP BY``) over ``Answer``
joined to its submitted response.

Per kind of question:

- single and multiple choice: responses that chose each option (a multiple choice question's
  percentages add up to more than 100: each is of the responses that answered the question);
- scale (1–5): responses per value and the mean;
- ranking: the Borda score of each option (with n options, ranked first is worth n − 1
  points, last 0; the score is the sum over responses) and how often it was ranked first;
- number: how many answered, mean, minimum and maximum;
- short and long text: how many answered, and the texts a moderator approved (``review``).

Cross-tab by governorate (single, multiple choice and scale): the responses per governorate
(from the account, "" when not given) and option. ``results_published`` puts each question's
table through small-number suppression (cms/disclosure.py): the totals per option are shown
beside it, so they are ``known``. Counts of answers over the whole questionnaire are not
suppressed: they single nobody out without a second dimension.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min
from django.utils import timezone

from accounts.governorates import Governorate
from cms.disclosure import TOTAL, table_suppress
from questionnaires.blocks import SCALE_VALUES, Kind
from questionnaires.models import Answer, QuestionnairePage, Response, ReviewStatus

SCHEMA_VERSION = 1
NOT_GIVEN = ""
CROSS_TAB_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE})


def _number(value) -> float | None:
    if value is None:
        return None
    return float(round(Decimal(value), 4))


def _percent(count: int, of: int) -> float | None:
    return round(100 * count / of, 1) if of else None


def questionnaire_results(*, page: QuestionnairePage, now: datetime.datetime | None = None) -> dict:
    """The results of ``page`` (any translation) as they stand: see the module docstring."""
    now = now or timezone.now()
    key = page.translation_key
    questions = page.question_list
    answers = Answer.objects.filter(response__questionnaire_key=key, response__is_draft=False)
    gov = "response__governorate"

    per_governorate = {
        code or NOT_GIVEN: n
        for code, n in Response.objects.filter(questionnaire_key=key, is_draft=False)
        .values_list("governorate")
        .annotate(n=Count("pk"))
        .order_by()
    }
    answered = dict(
        answers.values_list("question_key").annotate(n=Count("response", distinct=True)).order_by()
    )
    chosen: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for question_key, option_key, code, n in (
        answers.filter(rank__isnull=True)
        .exclude(option_key="")
        .values_list("question_key", "option_key", gov)
        .annotate(n=Count("pk"))
        .order_by()
    ):
        chosen[question_key][(code or NOT_GIVEN, option_key)] += n
    scale_keys = [q.key for q in questions if q.kind == Kind.SCALE]
    scales: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for question_key, value, code, n in (
        answers.filter(question_key__in=scale_keys, number__isnull=False)
        .values_list("question_key", "number", gov)
        .annotate(n=Count("pk"))
        .order_by()
    ):
        scales[question_key][(code or NOT_GIVEN, str(int(value)))] += n
    number_keys = [q.key for q in questions if q.kind == Kind.NUMBER]
    numbers = {
        row["question_key"]: row
        for row in answers.filter(question_key__in=number_keys, number__isnull=False)
        .values("question_key")
        .annotate(n=Count("pk"), mean=Avg("number"), low=Min("number"), high=Max("number"))
        .order_by()
    }
    ranks: dict[str, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for question_key, option_key, rank, n in (
        answers.filter(rank__isnull=False)
        .values_list("question_key", "option_key", "rank")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        ranks[question_key][option_key][rank] = n
    text_keys = [q.key for q in questions if q.kind in Kind.TEXT]
    texts: dict[str, list[str]] = defaultdict(list)
    for question_key, text in (
        answers.filter(
            question_key__in=text_keys, review_status=ReviewStatus.APPROVED
        )
        .exclude(text="")
        .order_by("response__submitted_at", "pk")
        .values_list("question_key", "text")
    ):
        texts[question_key].append(text)

    rows = []
    for question in questions:
        n_answered = answered.get(question.key, 0)
        row = {
            "key": question.key,
            "number": question.number,
            "kind": question.kind,
            "answered": n_answered,
        }
        if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            cells = chosen.get(question.key, {})
            row["options"] = [
                {
                    "key": option.key,
                    "count": (count := sum(n for (_, o), n in cells.items() if o == option.key)),
                    "percent": _percent(count, n_answered),
                }
                for option in question.options
            ]
            row["governorates"] = _cross_tab(cells)
        elif question.kind == Kind.SCALE:
            cells = scales.get(question.key, {})
            distribution = {
                value: sum(n for (_, v), n in cells.items() if v == str(value))
                for value in SCALE_VALUES
            }
            total = sum(distribution.values())
            row["distribution"] = [
                {"value": value, "count": n, "percent": _percent(n, total)}
                for value, n in distribution.items()
            ]
            row["mean"] = (
                round(sum(v * n for v, n in distribution.items()) / total, 2) if total else None
            )
            row["governorates"] = _cross_tab(cells)
        elif question.kind == Kind.RANKING:
            size = len(question.options)
            by_option = ranks.get(question.key, {})
            scored = [
                {
                    "key": option.key,
                    "score": sum(
                        (size - rank) * n for rank, n in by_option.get(option.key, {}).items()
                    ),
                    "first": by_option.get(option.key, {}).get(1, 0),
                }
                for option in question.options
            ]
            row["options"] = scored
            row["max_score"] = (size - 1) * n_answered
        elif question.kind == Kind.NUMBER:
            stats = numbers.get(question.key)
            row.update(
                {
                    "count": stats["n"] if stats else 0,
                    "mean": _number(stats["mean"]) if stats else None,
                    "min": _number(stats["low"]) if stats else None,
                    "max": _number(stats["high"]) if stats else None,
                }
            )
        elif question.kind in Kind.TEXT:
            row["approved"] = texts.get(question.key, [])
        rows.append(row)

    return {
        "version": SCHEMA_VERSION,
        "questionnaire_key": str(key),
        "taken_at": now.isoformat(),
        "responses": sum(per_governorate.values()),
        "questions": rows,
    }


def _cross_tab(cells: dict[tuple[str, str], int]) -> list[dict]:
    """[{"code", "option", "count"}] of the non-zero cells, in a stable order."""
    return [
        {"code": code, "option": option, "count": n}
        for (code, option), n in sorted(cells.items())
        if n and (code in Governorate.values or code == NOT_GIVEN)
    ]


def results_labels(*, page: QuestionnairePage) -> dict:
    """{language: {"title", "questions": {key: text}, "options": {key: label}}} of every
    translation of ``page``: frozen with the results in a snapshot, so a later edit of the
    questionnaire does not rename what was counted. One query."""
    labels = {}
    for translation in QuestionnairePage.objects.filter(
        translation_key=page.translation_key
    ).select_related("locale"):
        questions = translation.question_list
        labels[translation.locale.language_code] = {
            "title": translation.title,
            "questions": {q.key: q.text for q in questions},
            "options": {o.key: o.label for q in questions for o in q.options},
        }
    return labels


def cross_tab_published(row: dict, *, threshold: int | None = None) -> dict:
    """One question's cross-tab, suppressed: {"options": [key…], "rows": [(code, [Count…])]}
    for every governorate with answers or a hidden count (``NOT_GIVEN`` last). The totals
    per option are published beside it (``known``)."""
    if row["kind"] == Kind.SCALE:
        options = [str(value) for value in SCALE_VALUES]
    else:
        options = [option["key"] for option in row.get("options", [])]
    codes = [*Governorate.values, NOT_GIVEN]
    counts = {
        (cell["code"], cell["option"]): cell["count"]
        for cell in row.get("governorates", [])
        if cell["code"] in codes and cell["option"] in options
    }
    table = table_suppress(
        [codes, options],
        counts,
        threshold=threshold,
        known=[(TOTAL, option) for option in options] + [(TOTAL, TOTAL)],
    )
    rows = []
    for code in codes:
        cells = [table[(code, option)] for option in options]
        if any(counts.get((code, option)) for option in options) or any(
            not cell.shown for cell in cells
        ):
            rows.append((code, cells))
    return {"options": options, "rows": rows}

