"""Wagtail's user admin works with Majlis's user model (display name, no first/last name)."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_admin_creates_a_user_with_a_display_name(client, admin_user):
    client.force_login(admin_user)
    add_url = reverse("wagtailusers_users:add")
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "email": "moderator@example.tn",
            "display_name": "Moderator",
            "preferred_language": "ar",
            "governorate": "",
            "password1": "moderating-at-midnight-1",
            "password2": "moderating-at-midnight-1",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = User.objects.get(email="moderator@example.tn")
    assert created.display_name == "Moderator"
    assert client.get(reverse("wagtailusers_users:edit", args=[created.pk])).status_code == 200
