import datetime
import uuid

import pytest
from django.utils import timezone

from consultations.models import ConsultationPage


def draft(*sections: tuple[str, str], ids: list[str] | None = None) -> list[dict]:
    """Raw draft data from (heading, text) pairs; ``ids`` fixes the block ids."""
    ids = ids or [str(uuid.uuid4()) for _ in sections]
    return [
        {
            "type": "section",
            "id": block_id,
            "value": {"heading": heading, "body": f"<p>{text}</p>", "paragraphs": []},
        }
        for block_id, (heading, text) in zip(ids, sections)
    ]


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
