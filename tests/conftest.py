"""Fixtures shared by the whole suite.

The settings are the real ones (config.settings, driven by the environment, so CI runs the
suite on SQLite and again on PostgreSQL + Redis); only slow parts are swapped here.
"""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone

from cms.services import locales_ensure
from tests.factories import UserFactory
from consultations.models import ConsultationPage
from tests.pages import build_site, draft


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Consumers reach the database from worker threads; persistent connections there would
    # outlive the test database and block its teardown on PostgreSQL.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def citizen(db):
    return UserFactory(display_name="Amira", preferred_language="ar")


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True, display_name="Admin")


@pytest.fixture
def locales(db):
    return locales_ensure()


@pytest.fixture
def site(locales):
    """A home page per language, one institution with one policy page and an about page,
    each translated into ar, fr and en (Arabic is the source)."""
    return build_site()


@pytest.fixture
def make_consultation(site):
    """A live consultation under the test institution (French by default)."""

    def make(
        *,
        language="fr",
        slug=None,
        opens_in=-1,
        closes_in=10,
        sections=(("Principes", "Le texte."), ("Priorités", "L'eau d'abord.")),
        topics=("eau",),
        **fields,
    ) -> ConsultationPage:
        now = timezone.now()
        parent = site["institution"][language].specific_class.objects.get(
            pk=site["institution"][language].pk
        )
        page = parent.add_child(
            instance=ConsultationPage(
                title=fields.pop("title", "Projet de code"),
                slug=slug or f"c-{uuid.uuid4().hex[:8]}",
                summary=fields.pop("summary", "Un résumé."),
                opens_at=now + datetime.timedelta(days=opens_in),
                closes_at=now + datetime.timedelta(days=closes_in),
                draft=draft(*sections),
                **fields,
            )
        )
        page.topics.set(list(topics))
        page.save_revision().publish()
        return ConsultationPage.objects.get(pk=page.pk)

    return make
