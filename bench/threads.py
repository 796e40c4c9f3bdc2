"""Data for the benchmarks, built without the tests package: a translated site and large threads
built fast (bulk inserts with the same paths the service would give). The query-count tests
build their large threads with ``thread_fill`` too.
"""

import datetime
import itertools
import uuid

from django.utils import timezone

from wagtail.models import Locale

from cms.models import InstitutionPage, PolicyPage, StandardPage
from cms.services import home_page_ensure, locales_ensure, page_translation_ensure
from deliberation.markup import render_markup
from deliberation.models import Contribution, Reaction, Status, Thread

TEXTS = [
    "الماء حق لكل مواطن، ويجب أن يضمن القانون التزود في المناطق الريفية.",
    "Il faut que les groupements de développement agricole soient associés aux décisions.",
    "The tariff should protect the first cubic metres for every household.",
    "أقترح نشر بيانات استهلاك المياه لكل ولاية بشكل دوري.\n\n- الشفافية\n- المحاسبة",
    "Et pour les périodes de sécheresse, quelles priorités ? https://example.tn/secheresse",
]

SITE_TITLES = {
    "home": {"ar": "الرئيسية", "fr": "Accueil", "en": "Home"},
    "institution": {"ar": "بلدية الكاف", "fr": "Municipalité du Kef", "en": "El Kef Municipality"},
    "policy": {
        "ar": "الميزانية التشاركية", "fr": "Budget participatif", "en": "Participatory budget"
    },
    "about": {"ar": "عن المنصة", "fr": "À propos", "en": "About"},
}


def _body(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def site_build() -> InstitutionPage:
    """A home page, an institution with a policy page and an about page in the menu, each
    translated into fr and en (Arabic is the source); returns the Arabic institution."""
    locales_ensure()
    home = home_page_ensure(title=SITE_TITLES["home"]["ar"])
    institution = home.add_child(
        instance=InstitutionPage(
            title=SITE_TITLES["institution"]["ar"], slug="el-kef", kind="municipality",
            contact_email="baladiya@example.tn",
        )
    )
    policy = institution.add_child(
        instance=PolicyPage(
            title=SITE_TITLES["policy"]["ar"], slug="budget", summary="ملخص",
            body=_body("نص السياسة"),
        )
    )
    policy.topics.add("الماء")
    about = home.add_child(
        instance=StandardPage(
            title=SITE_TITLES["about"]["ar"], slug="about", show_in_menus=True, body=_body("عن")
        )
    )
    sources = {"home": home, "institution": institution, "policy": policy, "about": about}
    for key in ("institution", "policy", "about"):
        sources[key].save_revision().publish()
    for code in ("fr", "en"):
        locale = Locale.objects.get(language_code=code)
        for key, source in sources.items():
            page_translation_ensure(page=source, locale=locale, title=SITE_TITLES[key][code])
    return institution.specific


def section_draft(heading: str, text: str) -> list[dict]:
    """A consultation draft of one section."""
    return [
        {
            "type": "section",
            "id": str(uuid.uuid4()),
            "value": {"heading": heading, "body": f"<p>{text}</p>", "paragraphs": []},
        }
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
