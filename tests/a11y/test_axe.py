"""Every page a citizen sees passes axe-core without serious or critical violations,
in Arabic (RTL), French and English. Runs Debian's Chromium through Playwright."""


import pytest

from tests.a11y.axe_checks import axe_problems, browser_context
from tests.pages import draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages(site, make_consultation):
    consultation = {}
    for language in ("ar", "fr", "en"):
        page = make_consultation(language=language, slug="draft-law")
        page.draft = draft(("Un", "Premier, corrigé."), ("Deux", "Second."), ids=[s.id for s in page.sections])
        page.change_note = "v2"
        page.save_revision().publish()
        consultation[language] = page
    _discussion(consultation["ar"])
    return consultation


def _discussion(page):
    """A thread with a reply, a hidden contribution, an official reply and a section thread,
    and a forum topic, so every state of a contribution is on the pages checked."""
    import uuid

    from django.test.utils import override_settings

    from deliberation.models import ForumTopicPage
    from deliberation.services import contribution_moderate, contribution_post, thread_for_page
    from tests.factories import UserFactory

    author, other, admin = UserFactory(), UserFactory(), UserFactory(is_superuser=True, is_staff=True)

    def post(thread, body, user=author, parent=None):
        return contribution_post(
            author=user, thread=thread, body=body, parent_id=parent.pk if parent else None,
            idempotency_key=uuid.uuid4(),
        ).contribution

    with override_settings(DELIBERATION_NEW_ACCOUNT_PREMODERATED=0):
        thread = thread_for_page(page=page)
        first = post(thread, "رأيي في المشروع:\n\n- النقطة الأولى\n- https://example.tn")
        post(thread, "Je suis d'accord.", other, first)
        official = post(thread, "Réponse de l'institution.", admin, first)
        contribution_moderate(moderator=admin, contribution=official, action="mark_official")
        hidden = post(thread, "0612345678", other)
        contribution_moderate(moderator=admin, contribution=hidden, action="hide", reason="personal_data")
        post(thread_for_page(page=page, section_id=page.sections[0].id), "Sur la section un.")
        for language, institution in (("ar", page.get_parent()),):
            topic = institution.add_child(
                instance=ForumTopicPage(title="منتدى", slug="forum-topic", summary="نقاش")
            )
            topic.save_revision().publish()
            post(thread_for_page(page=topic), "مساهمة في المنتدى")


PATHS = [
    "",
    "el-kef/",
    "el-kef/budget/",
    "about/",
    "el-kef/draft-law/",
    "el-kef/draft-law/versions/",
    "el-kef/draft-law/moderation-log/",
    "consultations/",
    "consultations/?phase=nonsense",
    "accounts/sign-up/",
    "accounts/sign-up/sent/",
    "accounts/login/",
    "accounts/password-reset/",
    "search/?q=projet",
    "search/?q=introuvable&kind=decision",
]


def violations(browser, url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(url)
        return axe_problems(page)
    finally:
        page.close()


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_pages_pass_axe(browser, live_server, pages, language):
    found = {}
    page = pages[language]
    section = f"el-kef/draft-law/sections/{page.sections[0].id}/"
    for path in PATHS + [section] + (["el-kef/forum-topic/"] if language == "ar" else []):
        url = f"{live_server.url}/{language}/{path}"
        problems = violations(browser, url)
        if problems:
            found[path] = problems
    assert found == {}


def test_sign_up_with_errors_passes_axe(browser, live_server, pages):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/ar/accounts/sign-up/")
        page.fill("#id_email", "not-an-email")
        page.click("main button[type=submit]")  # (the header has a search button too)
        page.wait_for_selector(".form-errors")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert axe_problems(page) == []
    finally:
        page.close()


def test_thread_pages_of_a_signed_in_citizen_pass_axe(browser, live_server, pages):
    """The forms a citizen uses: posting, reacting, replying, reporting, editing (Arabic, RTL)."""
    from deliberation.models import Contribution
    from tests.factories import UserFactory

    citizen = UserFactory(display_name="سلمى")
    own = Contribution.objects.filter(body="0612345678").first()
    first = Contribution.objects.filter(parent__isnull=True, depth=1).order_by("pk").first()
    context = browser_context(browser, live_server, citizen, viewport={"width": 1280, "height": 720})
    found = {}
    try:
        for path in (
            "el-kef/draft-law/",
            f"deliberation/contributions/{first.pk}/reply/",
            f"deliberation/contributions/{first.pk}/flag/",
        ):
            tab = context.new_page()
            tab.goto(f"{live_server.url}/ar/{path}")
            assert tab.locator("html").get_attribute("dir") == "rtl"
            problems = axe_problems(tab)
            if problems:
                found[path] = problems
            tab.close()
    finally:
        context.close()
    assert own is not None
    assert found == {}
