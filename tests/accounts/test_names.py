"""Display names cannot pass for staff or hide reordering characters (issue 14, item 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import User
from accounts.names import display_name_validate

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "someone@example.tn",
    "preferred_language": "fr",
    "password1": "olive-trees-of-kef-2026",
    "password2": "olive-trees-of-kef-2026",
}

IMITATIONS = [
    "Admin\u202e rotaredoM",  # reads "Admin Moderator"
    "Moderator (official)",
    "M\u043ederator (\u043efficial)",  # Cyrillic о
    "\u041coderator",  # Cyrillic М
    "Administrateur",
    "Modératrice du site",
    "Équipe officielle",
    "A d m i n",
    "Adm1n",
    "ADMIN",
    "مشرف",
    "المشرف العام",
    "إدارة المنصة",
    "الادارة",
    "حساب رسمي",
    "Majlis",
]

ACCEPTED = [
    ("Karim M", "Karim M"),
    ("كريم بن علي", "كريم بن علي"),
    ("Karim كريم", "Karim كريم"),
    ("Leila\u200f B.", "Leila B."),  # a mark: pointless in an isolated name
    ("Badminton fan", "Badminton fan"),
    ("Noureddine\u2066", "Noureddine"),
]


@pytest.mark.parametrize("name", IMITATIONS)
def test_names_that_imitate_staff_or_mix_scripts_are_refused_at_sign_up(client, name):
    with translation.override("en"):
        response = client.post("/en/accounts/sign-up/", {**SIGN_UP, "display_name": name})
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]
    assert not User.objects.exists()


@pytest.mark.parametrize(("name", "kept"), ACCEPTED)
def test_ordinary_names_in_any_script_are_accepted_without_format_characters(client, name, kept):
    response = client.post("/en/accounts/sign-up/", {**SIGN_UP, "display_name": name})
    assert response.status_code == 302
    assert User.objects.get().display_name == kept


def test_the_refusals_say_why():
    with translation.override("en"):
        with pytest.raises(ValidationError) as mixed:
            display_name_validate("M\u043ederator")
        assert "alphabet" in mixed.value.messages[0]
        with pytest.raises(ValidationError) as reserved:
            display_name_validate("Admin")
        assert "staff" in reserved.value.messages[0]


def test_staff_may_be_named_for_their_role_in_the_admin_but_without_bidi_controls(client, admin_user):
    client.force_login(admin_user)
    from django.urls import reverse

    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "mod@example.tn",
            "display_name": "Moderator\u202e rotaredoM",
            "preferred_language": "fr",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "governorate": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.get(email="mod@example.tn").display_name == "Moderator rotaredoM"
