"""The institution's staff give an idea a status with a reason: dated in its history, e-mailed
once to the author and each supporter in their language; refused to anyone else and without
a reason, nothing stored."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from accounts.refusals import Invalid, Refused
from citizen_ideas.models import Idea, IdeaStatus, IdeaStatusChange
from citizen_ideas.services import idea_support
from citizen_ideas.statuses import idea_status_change, is_idea_staff
from cms.services import institution_group_names, moderators_group_name
from tests.factories import UserFactory


@pytest.fixture
def staff_of(db):
    """An account among the editors (or approvers) of ``institution``."""

    def make(institution, *, approver=False, **fields):
        name = institution_group_names(institution)[1 if approver else 0]
        group, _ = Group.objects.get_or_create(name=name)
        user = UserFactory(is_staff=True, **fields)
        user.groups.add(group)
        return user

    return make


@pytest.fixture
def idea(trusted_citizen, institution, propose):
    return propose(trusted_citizen, institution)


def _change(idea, status, reason, by, capture):
    with capture(execute=True):
        return idea_status_change(idea=idea, status=status, reason=reason, by=by)


def test_a_status_is_dated_and_emailed_once_to_the_author_and_each_supporter(
    idea, institution, staff_of, django_capture_on_commit_callbacks
):
    editor = staff_of(institution)
    arabic = UserFactory(preferred_language="ar")
    french = UserFactory(preferred_language="fr")
    idea_support(user=arabic, idea=idea)
    idea_support(user=french, idea=idea)
    idea_support(user=idea.author, idea=idea)  # the author also supports it: one e-mail
    mail.outbox.clear()

    change = _change(
        idea, IdeaStatus.UNDER_STUDY, "Le service technique étudie le coût.", editor,
        django_capture_on_commit_callbacks,
    )

    stored = Idea.objects.get(pk=idea.pk)
    assert stored.status == IdeaStatus.UNDER_STUDY
    assert stored.status_reason == "Le service technique étudie le coût."
    assert stored.status_changed_at == change.changed_at
    assert list(stored.status_changes.values_list("status", "reason", "changed_by")) == [
        ("under_study", "Le service technique étudie le coût.", editor.pk)
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [idea.author.email, arabic.email, french.email]
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    # In each recipient's language: the status named in Arabic for an Arabic reader.
    assert by_address[arabic.email].subject == "الفكرة «Des bancs au jardin»: قيد الدراسة"
    assert by_address[french.email].subject == "Idée « Des bancs au jardin » : À l’étude"
    assert "Le service technique étudie le coût." in by_address[french.email].body
    author_mail = by_address[idea.author.email].body
    assert "فكرتك" in author_mail  # told as the author (Arabic, the author's language)
    assert "التي تساندها" in by_address[arabic.email].body  # told as a supporter

    # The same status saved again: nothing new in the history, nobody e-mailed.
    mail.outbox.clear()
    again = _change(
        idea, IdeaStatus.UNDER_STUDY, "Le service technique étudie le coût (devis demandé).",
        editor, django_capture_on_commit_callbacks,
    )
    assert again is None
    assert mail.outbox == []
    assert IdeaStatusChange.objects.filter(idea=idea).count() == 1
    assert Idea.objects.get(pk=idea.pk).status_reason.endswith("(devis demandé).")


def test_notification_settings_are_respected(
    idea, institution, staff_of, django_capture_on_commit_callbacks
):
    quiet = UserFactory(notify_outcomes=False)
    idea_support(user=quiet, idea=idea)
    mail.outbox.clear()

    _change(idea, IdeaStatus.ACCEPTED, "Retenue au budget 2027.", staff_of(institution, approver=True),
            django_capture_on_commit_callbacks)

    assert [m.to[0] for m in mail.outbox] == [idea.author.email]


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_status_without_a_reason_is_refused_and_nothing_stored(
    idea, institution, staff_of, reason, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with pytest.raises(Invalid) as refused:
        _change(idea, IdeaStatus.REJECTED, reason, staff_of(institution),
                django_capture_on_commit_callbacks)

    assert refused.value.field == "reason"
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.RECEIVED
    assert not IdeaStatusChange.objects.exists()
    assert mail.outbox == []


def test_an_unknown_status_is_refused(idea, institution, staff_of):
    with pytest.raises(Invalid):
        idea_status_change(idea=idea, status="done", reason="Fait.", by=staff_of(institution))
    assert not IdeaStatusChange.objects.exists()


def test_only_the_institutions_staff_may_change_a_status(
    idea, institution, staff_of, moderator_of, site, django_capture_on_commit_callbacks
):
    other_institution = UserFactory(is_staff=True)
    other_institution.groups.add(Group.objects.create(name="Editors: another-institution"))
    outsiders = [
        idea.author,
        UserFactory(),
        moderator_of(institution),  # moderators moderate the text; staff answer it
        other_institution,
    ]
    mail.outbox.clear()
    for outsider in outsiders:
        assert not is_idea_staff(outsider, institution)
        with pytest.raises(Refused):
            _change(idea, IdeaStatus.ACCEPTED, "D'accord.", outsider,
                    django_capture_on_commit_callbacks)
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.RECEIVED
    assert not IdeaStatusChange.objects.exists()
    assert mail.outbox == []

    # The staff of any translation of the institution, and a superuser, may.
    arabic = site["institution"]["ar"]
    assert is_idea_staff(staff_of(arabic), institution)
    assert is_idea_staff(UserFactory(is_superuser=True), institution)
    assert moderators_group_name(institution) not in institution_group_names(institution)
