"""Official replies signed by the institution: marking a contribution as the institution's
official reply signs it when the thread's institution has a signing certificate (unsigned
when it has none, refused when it cannot sign); the badge links the signed PDF, which anyone
who may read the thread downloads, and the verification page; removing the mark keeps the
document but not the badge; a signed reply can no longer be edited.

Each test signs at most once (a real PDF, a quarter of a second)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from deliberation import services
from deliberation.models import Contribution, ModerationAction
from deliberation.models import ModerationActionKind as Kind
from deliberation.services import Invalid, Refused
from signatures.models import SignedDocument
from signatures.services import demo_certificates_ensure
from signatures.verification import verify_reference

pytestmark = pytest.mark.django_db

REPLY = "La municipalité installera dix fontaines avant l'été."


@pytest.fixture
def moderator(moderator_of, site):
    return moderator_of(site["institution"]["fr"], display_name="Leïla Modératrice")


@pytest.fixture
def documents(settings, tmp_path):
    settings.SIGNATURES_DOCUMENTS_ROOT = str(tmp_path / "signed")
    return tmp_path / "signed"


@pytest.fixture
def certified(thread, documents):
    """The thread's institution with an active demo certificate."""
    return demo_certificates_ensure(institutions=[thread.institution])[0]


def fr(text: str) -> str:
    with translation.override("fr"):
        return escape(gettext(text))


def mark(moderator, contribution, action="mark_official"):
    return services.contribution_moderate(moderator=moderator, contribution=contribution, action=action)


def test_marking_an_official_reply_signs_it_once(moderator, thread, post, certified, settings):
    settings.DELIBERATION_EDIT_GRACE_MINUTES = 60
    reply = post(moderator, thread, REPLY)
    marked = mark(moderator, reply)
    document = marked.signed_document
    assert marked.official and document is not None and document.certificate == certified
    payload = document.payload
    assert (payload["kind"], payload["reference"], payload["language"]) == (
        "official_reply", f"C-{reply.pk}", "fr",
    )
    assert (payload["subject"], payload["text"]) == (thread.page.title, REPLY)
    with translation.override("fr"):
        assert payload["signer"] == {"name": "Leïla Modératrice", "role": gettext("Moderator")}
    assert payload["extra"] == {"thread": thread.key}
    assert verify_reference(reference=f"c-{reply.pk}", code=document.verification_code).valid

    # The author (here the moderator) may no longer edit what the institution signed.
    with translation.override("en"), pytest.raises(Refused) as refused:
        services.contribution_edit(contribution=reply, editor=moderator, body="Autre chose.")
    assert refused.value.message == "This reply was signed by the institution: it can no longer be edited."

    # The mark removed, the document stays; marked again, it is not signed twice.
    unmarked = mark(moderator, reply, "unmark_official")
    assert not unmarked.official and unmarked.signed_document_id == document.pk
    again = mark(moderator, reply)
    assert again.official and again.signed_document_id == document.pk
    assert SignedDocument.objects.count() == 1


def test_without_a_certificate_the_reply_is_marked_unsigned(client, moderator, thread, post):
    reply = post(moderator, thread, REPLY)
    marked = mark(moderator, reply)
    assert marked.official and marked.signed_document is None
    page = client.get(thread.page.url).content.decode()
    assert fr("Official reply of the institution") in page
    assert fr("Signed (PDF)") not in page
    assert Client().get(f"/fr/deliberation/contributions/{reply.pk}/signed/").status_code == 404


def test_a_key_the_server_cannot_load_refuses_the_mark_and_changes_nothing(
    moderator, thread, post, certified, settings, tmp_path
):
    settings.SIGNATURES_KEY_DIR = str(tmp_path / "no-keys")
    reply = post(moderator, thread, REPLY)
    with translation.override("en"), pytest.raises(Invalid) as refused:
        mark(moderator, reply)
    assert refused.value.message.startswith("The reply was not marked as official: it could not be signed.")
    reply = Contribution.objects.get(pk=reply.pk)
    assert not reply.official and reply.signed_document is None
    assert not ModerationAction.objects.filter(contribution=reply, action=Kind.MARK_OFFICIAL).exists()
    assert SignedDocument.objects.count() == 0


def _page(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_badge_links_the_public_signed_pdf_and_its_verification(
    client, moderator, thread, post, trusted_citizen, certified
):
    reply = post(moderator, thread, REPLY)
    post(trusted_citizen, thread, "Merci pour la réponse.", parent=reply)
    url = thread.page.url
    client.get(url)  # caches that do not depend on the thread
    before, _page_before = _page(client, url)

    document = mark(moderator, reply).signed_document
    after, page = _page(client, url)
    assert after == before  # the signature comes with the contributions' one query
    download = f"/fr/deliberation/contributions/{reply.pk}/signed/"
    verify = f"/fr/verify/?reference=C-{reply.pk}&amp;code={document.verification_code}"
    assert f'href="{download}"' in page and f'href="{verify}"' in page
    assert fr("Signed (PDF)") in page and fr("Verify the signature") in page
    assert page.count(download) == 1  # on the official reply only

    # The PDF of a public reply is public: anyone who may read the thread downloads it.
    response = Client().get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    # The mark removed: the badge and its links go, the download with them; the document
    # still verifies.
    mark(moderator, reply, "unmark_official")
    _count, page = _page(client, url)
    assert download not in page and fr("Official reply of the institution") not in page
    assert Client().get(download).status_code == 404
    assert verify_reference(reference=f"C-{reply.pk}", code=document.verification_code).valid

    # Marked again and then hidden by a moderator: no download either.
    mark(moderator, reply)
    assert Client().get(download).status_code == 200
    services.contribution_moderate(moderator=moderator, contribution=reply, action="hide", reason="other")
    assert Client().get(download).status_code == 404
