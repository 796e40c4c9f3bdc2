"""Fixtures of the ideas tests."""

import uuid

import pytest

from citizen_ideas.services import idea_propose


@pytest.fixture
def institution(site):
    return site["institution"]["fr"]


@pytest.fixture
def propose(db):
    """propose(author, institution, title=..., body=..., **kw) through the service."""

    def make(author, institution, title="Des bancs au jardin", body="Installer des bancs.", **kw):
        kw.setdefault("idempotency_key", uuid.uuid4())
        kw.setdefault("language", "fr")
        return idea_propose(author=author, institution=institution, title=title, body=body, **kw)

    return make
