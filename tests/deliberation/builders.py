"""Large threads built fast (bulk inserts with the same paths the service would give).

Used by the query-count tests and by bench/thread_render.py.
"""

import datetime
import itertools
import uuid

from django.utils import timezone

from deliberation.markup import render_markup
from deliberation.models import Contribution, Reaction, Status, Thread

TEXTS = [
    "الماء حق لكل مواطن، ويجب أن يضمن القانون التزود في المناطق الريفية.",
    "Il faut que les groupements de développement agricole soient associés aux décisions.",
    "The tariff should protect the first cubic metres for every household.",
    "أقترح نشر بيانات استهلاك المياه لكل ولاية بشكل دوري.\n\n- الشفافية\n- المحاسبة",
    "Et pour les périodes de sécheresse, quelles priorités ? https://example.tn/secheresse",
]


def thread_fill(thread: Thread, *, count: int, authors, reactors=(), start=None) -> list[Contribution]:
    """Append ``count`` published contributions to ``thread``: about a third top-level, the rest
    replies at depths 2 and 3, in the order the service would number them."""
    start = start or timezone.now() - datetime.timedelta(days=5)
    authors = itertools.cycle(authors)
    rows, number = [], thread.last_number
    roots, seconds = [], []
    html = {text: render_markup(text) for text in TEXTS}
    for i in range(count):
        number += 1
        step = f"{number:0{Contribution.PATH_STEP}d}"
        text = TEXTS[i % len(TEXTS)]
        kind = i % 3
        parent = None
        if kind == 1 and roots:
            parent = roots[-1]
        elif kind == 2 and seconds:
            parent = seconds[-1]
        when = start + datetime.timedelta(minutes=i)
        row = Contribution(
            thread=thread,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            path=(parent.path if parent else "") + step,
            depth=parent.depth + 1 if parent else 1,
            author=next(authors),
            body=text,
            body_html=html[text],
            language="ar",
            status=Status.PUBLISHED,
            idempotency_key=uuid.uuid4(),
            created_at=when,
            published_at=when,
        )
        # Parents must have ids before their children are inserted: save level by level.
        row.save() if parent is None or kind == 1 else rows.append(row)
        if parent is None:
            roots.append(row)
        elif row.depth == 2:
            seconds.append(row)
    Contribution.objects.bulk_create(rows, batch_size=500)
    thread.last_number = number
    thread.save(update_fields=["last_number"])
    made = list(Contribution.objects.filter(thread=thread))
    if reactors:
        Reaction.objects.bulk_create(
            [Reaction(contribution=c, user=user, kind="agree") for c in made[:50] for user in reactors],
            batch_size=500,
        )
    return made
