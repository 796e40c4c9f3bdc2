"""A small translated page tree built through the same services editors and seed_demo use."""

import uuid

from wagtail.models import Locale

from cms.models import InstitutionPage, PolicyPage, StandardPage
from cms.services import home_page_ensure, page_translation_ensure

TITLES = {
    "home": {"ar": "الرئيسية", "fr": "Accueil", "en": "Home"},
    "institution": {"ar": "بلدية الكاف", "fr": "Municipalité du Kef", "en": "El Kef Municipality"},
    "policy": {"ar": "الميزانية التشاركية", "fr": "Budget participatif", "en": "Participatory budget"},
    "about": {"ar": "عن المنصة", "fr": "À propos", "en": "About"},
}


def _body(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def build_site() -> dict:
    pages = {key: {} for key in TITLES}
    home = home_page_ensure(title=TITLES["home"]["ar"])
    institution = home.add_child(
        instance=InstitutionPage(
            title=TITLES["institution"]["ar"], slug="el-kef", kind="municipality",
            contact_email="baladiya@example.tn",
        )
    )
    institution.save_revision().publish()
    policy = institution.add_child(
        instance=PolicyPage(
            title=TITLES["policy"]["ar"], slug="budget", summary="ملخص", body=_body("نص السياسة")
        )
    )
    policy.topics.add("الماء")
    policy.save_revision().publish()
    about = home.add_child(
        instance=StandardPage(
            title=TITLES["about"]["ar"], slug="about", show_in_menus=True, body=_body("عن")
        )
    )
    about.save_revision().publish()
    sources = {"home": home, "institution": institution, "policy": policy, "about": about}
    for code in ("ar", "fr", "en"):
        locale = Locale.objects.get(language_code=code)
        for key, source in sources.items():
            if code == "ar":
                pages[key][code] = source.specific
            else:
                pages[key][code] = page_translation_ensure(
                    page=source, locale=locale, title=TITLES[key][code]
                )
    return pages


def draft(*sections: tuple[str, str], ids: list[str] | None = None) -> list[dict]:
    """Raw draft data from (heading, text) pairs; ``ids`` fixes the block ids."""
    ids = ids or [str(uuid.uuid4()) for _ in sections]
    return [
        {
            "type": "section",
            "id": block_id,
            "value": {"heading": heading, "body": f"<p>{text}</p>", "paragraphs": []},
        }
        for block_id, (heading, text) in zip(ids, sections, strict=True)
    ]
