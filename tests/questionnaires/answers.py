"""Responses to the every-kind questionnaire made straight in the database (bulk), with the
tally the results must give computed here, in Python, as they are made."""

import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.utils import timezone

from accounts.governorates import Governorate
from questionnaires.models import Answer, Response, ReviewStatus

GOVERNORATES = [Governorate.KEF, Governorate.TUNIS, Governorate.SFAX, ""]


def responses_make(page, n: int, *, seed: int = 1, drafts: int = 3, users=()) -> dict:
    """``n`` submitted responses (and ``drafts`` drafts, which must not count) to ``page``
    (the EVERY_KIND questionnaire), in its translations; returns the expected tally."""
    rng = random.Random(seed)
    now = timezone.now()
    tally = {
        "responses": n,
        "answered": Counter(),
        "options": defaultdict(Counter),
        "cross": defaultdict(Counter),
        "scale": Counter(),
        "rank_points": Counter(),
        "rank_first": Counter(),
        "ages": [],
        "approved": defaultdict(list),
    }
    users = list(users)
    responses = []
    for i in range(n + drafts):
        responses.append(
            Response(
                questionnaire_key=page.translation_key,
                questionnaire=page,
                user=users[i] if i < len(users) else None,
                anonymous_token="" if i < len(users) else f"token-{seed}-{i}",
                governorate=GOVERNORATES[i % len(GOVERNORATES)],
                language=("ar", "fr", "en")[i % 3],
                is_draft=i >= n,
                submitted_at=None if i >= n else now,
            )
        )
    responses = Response.objects.bulk_create(responses)
    answers = []
    for response in responses:
        counted = not response.is_draft
        code = response.governorate

        def add(question, **values):
            answers.append(Answer(response=response, question_key=question, **values))

        age = rng.randint(15, 90)
        add("q-age", number=Decimal(age))
        mode = rng.choice(["q-mode-1", "q-mode-2", "q-mode-3"])
        add("q-mode", option_key=mode)
        if mode == "q-mode-1":
            approved = rng.random() < 0.5
            text = f"bus {response.pk}"
            add(
                "q-why",
                text=text,
                review_status=ReviewStatus.APPROVED if approved else ReviewStatus.PENDING,
            )
            if counted:
                tally["answered"]["q-why"] += 1
                if approved:
                    tally["approved"]["q-why"].append(text)
        needs = [o for o in ("q-needs-1", "q-needs-2", "q-needs-3") if rng.random() < 0.5]
        for option in needs:
            add("q-needs", option_key=option)
        trust = rng.randint(1, 5)
        add("q-trust", number=Decimal(trust))
        order = ["q-rank-1", "q-rank-2", "q-rank-3"]
        rng.shuffle(order)
        for rank, option in enumerate(order, start=1):
            add("q-rank", option_key=option, rank=rank)
        if not counted:
            continue
        tally["ages"].append(age)
        for question in ("q-age", "q-mode", "q-trust", "q-rank"):
            tally["answered"][question] += 1
        tally["options"]["q-mode"][mode] += 1
        tally["cross"]["q-mode"][(code, mode)] += 1
        if needs:
            tally["answered"]["q-needs"] += 1
        for option in needs:
            tally["options"]["q-needs"][option] += 1
            tally["cross"]["q-needs"][(code, option)] += 1
        tally["scale"][trust] += 1
        tally["cross"]["q-trust"][(code, str(trust))] += 1
        for rank, option in enumerate(order, start=1):
            tally["rank_points"][option] += 3 - rank
        tally["rank_first"][order[0]] += 1
    Answer.objects.bulk_create(answers)
    return tally
