import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from cms.models import HomePage, InstitutionPage, PolicyPage

pytestmark = pytest.mark.django_db


def seed(capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_seed_demo_builds_a_three_language_site_and_prints_its_accounts(client, capsys):
    out = seed(capsys)
    assert DEMO_PASSWORD in out
    for email in ("admin@majlis.test", "moderator@majlis.test", "amira@majlis.test"):
        assert email in out
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert User.objects.filter(email__startswith="editor.").count() == 3
    assert User.objects.filter(email__startswith="approver.").count() == 3
    assert InstitutionPage.objects.filter(locale__language_code="ar").count() == 3
    for code in ("ar", "fr", "en"):
        assert HomePage.objects.filter(locale__language_code=code, live=True).count() == 1
        assert PolicyPage.objects.filter(locale__language_code=code, live=True).count() == 3
        assert client.get(f"/{code}/").status_code == 200
    assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, HomePage)
    assert "El Kef" in client.get("/en/").content.decode()
    assert "بلدية الكاف" in client.get("/ar/").content.decode()


def test_seed_demo_is_idempotent(capsys):
    seed(capsys)
    counts = (Page.objects.count(), User.objects.count(), Group.objects.count())
    seed(capsys)
    assert (Page.objects.count(), User.objects.count(), Group.objects.count()) == counts


def test_seed_demo_editors_may_edit_only_their_institution(capsys):
    seed(capsys)
    editor = User.objects.get(email="editor.el-kef@majlis.test")
    own = InstitutionPage.objects.get(slug="el-kef", locale__language_code="fr")
    other = InstitutionPage.objects.get(slug="agriculture-water", locale__language_code="fr")
    assert own.permissions_for_user(editor).can_edit()
    assert not other.permissions_for_user(editor).can_edit()
    assert not own.permissions_for_user(editor).can_publish()
    approver = User.objects.get(email="approver.el-kef@majlis.test")
    assert own.permissions_for_user(approver).can_publish()
    assert not other.permissions_for_user(approver).can_edit()


def test_seed_demo_adds_open_upcoming_and_closed_consultations_in_three_languages(capsys):
    from consultations.models import ConsultationPage
    from consultations.phases import Phase

    seed(capsys)
    for code in ("ar", "fr", "en"):
        pages = {p.slug: p for p in ConsultationPage.objects.live().filter(locale__language_code=code)}
        assert {p.phase for p in pages.values()} == {Phase.OPEN, Phase.UPCOMING, Phase.CLOSED}
        water = pages["water-code"]
        assert len(water.sections) >= 4
        assert list(water.versions.values_list("number", flat=True)) == [1, 2]
    anchors = {
        code: [s.anchor for s in ConsultationPage.objects.get(slug="water-code", locale__language_code=code).sections]
        for code in ("ar", "fr", "en")
    }
    assert anchors["ar"] == anchors["fr"] == anchors["en"]


def test_seed_demo_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production mode"):
        call_command("seed_demo")
    assert not User.objects.exists()
