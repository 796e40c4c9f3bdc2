"""Files given with an idea: the same checks and limits as a request's attachments (PDF, JPEG or
PNG told by their bytes), kept outside the media, downloadable by whoever may read the idea and
no one else, listed on the page and in the API, and never kept when the idea is not."""

import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from citizen_ideas.models import Idea, IdeaAttachment
from deliberation.models import Contribution, Reason
from deliberation.services import contribution_moderate
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):
    settings.CITIZEN_IDEAS_ATTACHMENTS_ROOT = str(tmp_path / "ideas")
    return tmp_path / "ideas"


def _stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _post(client, institution, files, title="Un parc", language="fr"):
    return client.post(
        f"/{language}/ideas/institutions/{institution.slug}/propose/",
        {"title": title, "body": "Avec des arbres.", "idempotency_key": str(uuid.uuid4()),
         "attachments": files},
    )


def test_a_citizen_attaches_files_and_readers_download_them(
    client, trusted_citizen, institution, files_root
):
    client.force_login(trusted_citizen)
    response = _post(
        client, institution,
        [SimpleUploadedFile("plan.pdf", PDF), SimpleUploadedFile("photo du site.png", PNG)],
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert [(a.name, a.content_type, a.size) for a in idea.attachments.all()] == [
        ("plan.pdf", "application/pdf", len(PDF)), ("photo du site.png", "image/png", len(PNG)),
    ]
    assert len(_stored(files_root)) == 2

    client.logout()
    page = client.get(f"/fr/ideas/{idea.pk}/").content.decode()
    first = idea.attachments.first()
    assert f'href="/fr/ideas/{idea.pk}/attachments/{first.pk}/"' in page
    assert "photo du site.png" in page
    download = client.get(f"/fr/ideas/{idea.pk}/attachments/{first.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")


def test_the_form_says_the_limits_and_takes_files(client, trusted_citizen, institution):
    client.force_login(trusted_citizen)
    html = client.get(f"/en/ideas/institutions/{institution.slug}/propose/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="attachments"' in html
    assert "at most 5 files of 5 MB each" in html


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("virus.pdf", b"MZ\x90\x00 not a pdf")], "n’est pas un fichier PDF, JPEG ou PNG"),
        ([("vide.pdf", b"")], "est vide"),
        ([(f"p{n}.pdf", PDF) for n in range(6)], "Joignez au maximum 5 fichiers"),
    ],
)
def test_a_bad_file_is_refused_in_the_readers_language_and_nothing_is_kept(
    client, trusted_citizen, institution, files_root, files, message
):
    client.force_login(trusted_citizen)
    response = _post(client, institution, [SimpleUploadedFile(n, c) for n, c in files])
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Avec des arbres." in html  # what the citizen wrote is drawn again, not lost
    assert not Idea.objects.exists()
    assert not Contribution.objects.exists()
    assert _stored(files_root) == []


def test_a_file_too_large_is_refused(client, trusted_citizen, institution, files_root, settings):
    settings.CITIZEN_IDEAS_MAX_ATTACHMENT_BYTES = 1024 * 1024
    client.force_login(trusted_citizen)
    big = PDF + b"0" * (1024 * 1024)
    response = _post(client, institution, [SimpleUploadedFile("gros.pdf", big)], language="en")
    assert response.status_code == 400
    assert "The file “gros.pdf” is larger than 1 MB." in response.content.decode()
    assert not Idea.objects.exists()
    assert _stored(files_root) == []


def test_files_written_before_a_failure_are_removed_with_the_idea(
    trusted_citizen, institution, propose, files_root, monkeypatch
):
    saves = []
    original = IdeaAttachment.save

    def failing_second(self, *args, **kwargs):
        saves.append(self.name)
        if len(saves) == 2:
            raise RuntimeError("the database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(IdeaAttachment, "save", failing_second)
    with pytest.raises(RuntimeError):
        propose(trusted_citizen, institution, files=[("a.pdf", PDF), ("b.png", PNG)])
    assert not Idea.objects.exists()
    assert _stored(files_root) == []


def test_files_of_an_idea_awaiting_moderation_reach_only_its_author(
    client, citizen, institution, propose
):
    idea = propose(citizen, institution, files=[("plan.pdf", PDF)])
    assert idea.opening.status == "pending"
    url = f"/fr/ideas/{idea.pk}/attachments/{idea.attachments.get().pk}/"
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(trusted=True))
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 200


def test_files_of_a_removed_idea_reach_only_its_author_and_moderators(
    client, trusted_citizen, institution, propose, moderator_of
):
    from django.core.management import call_command

    idea = propose(trusted_citizen, institution, files=[("plan.pdf", PDF)])
    call_command("setup_institutions", stdout=open("/dev/null", "w"))  # the moderators' rights
    moderator = moderator_of(institution)
    contribution_moderate(moderator=moderator, contribution=idea.opening, action="hide", reason=Reason.ABUSE)
    url = f"/fr/ideas/{idea.pk}/attachments/{idea.attachments.get().pk}/"
    assert client.get(url).status_code == 404
    assert "plan.pdf" not in client.get(f"/fr/ideas/{idea.pk}/").content.decode()
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    client.force_login(trusted_citizen)
    assert client.get(url).status_code == 200


def test_a_file_is_found_only_under_its_own_idea(client, trusted_citizen, institution, propose):
    first = propose(trusted_citizen, institution, files=[("plan.pdf", PDF)])
    second = propose(trusted_citizen, institution, title="Autre idée")
    assert client.get(f"/fr/ideas/{second.pk}/attachments/{first.attachments.get().pk}/").status_code == 404


def test_the_api_lists_an_ideas_files_with_their_download_address(
    client, trusted_citizen, institution, propose
):
    idea = propose(trusted_citizen, institution, files=[("plan.pdf", PDF)])
    body = client.get(f"/api/ideas/{idea.pk}/").json()
    item = idea.attachments.get()
    assert body["attachments"] == [
        {"name": "plan.pdf", "content_type": "application/pdf", "size": len(PDF),
         "url": body["url"] + f"attachments/{item.pk}/"},
    ]
    assert client.get(body["attachments"][0]["url"]).status_code == 200
