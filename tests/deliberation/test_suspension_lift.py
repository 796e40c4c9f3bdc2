"""Lifting a suspension: written on the suspension, logged, e-mailed once in the citizen's
language, and the citizen may post again at once. Permanent suspensions never expire."""

import datetime

import pytest
from django.utils import timezone, translation

from deliberation import services
from deliberation.models import ModerationAction, Reason, Status
from deliberation.models import ModerationActionKind as Kind
from deliberation.services import Invalid, Refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(moderator_of, site):
    return moderator_of(site["institution"]["fr"], display_name="Modérateur")


@pytest.fixture
def author(user_factory, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return user_factory(display_name="Karim", preferred_language="fr")


def test_lifting_lets_the_citizen_post_again_is_logged_and_mailed_once_in_their_language(
    author, thread, post, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    contribution = post(author, thread, "Avis.")
    suspension = services.user_suspend(
        moderator=moderator, user=author, days=30, reason=Reason.ABUSE, contribution=contribution
    )
    with pytest.raises(Refused):
        post(author, thread, "Encore.")
    with django_capture_on_commit_callbacks(execute=True):
        lifted = services.user_suspension_lift(
            moderator=moderator, suspension=suspension, reason="Malentendu."
        )
    assert lifted.lifted_at is not None
    assert (lifted.lifted_by, lifted.lift_reason) == (moderator, "Malentendu.")
    entry = ModerationAction.objects.get(action=Kind.LIFT)
    assert (entry.actor, entry.subject, entry.suspension, entry.note) == (
        moderator, author, suspension, "Malentendu."
    )
    [mail] = mailoutbox
    assert mail.to == [author.email]
    with translation.override("fr"):
        assert translation.gettext("Your account's suspension is lifted") == mail.subject
    assert "Malentendu." in mail.body
    assert post(author, thread, "De retour.").status == Status.PUBLISHED

    with pytest.raises(Invalid):
        services.user_suspension_lift(moderator=moderator, suspension=suspension, reason="Deux fois.")
    assert ModerationAction.objects.filter(action=Kind.LIFT).count() == 1


def test_lifting_needs_a_reason_and_the_right_moderator(
    author, thread, post, moderator, other_thread, moderator_of
):
    contribution = post(author, thread, "Avis.")
    suspension = services.user_suspend(
        moderator=moderator, user=author, days=3, reason=Reason.SPAM, contribution=contribution
    )
    with pytest.raises(Invalid):
        services.user_suspension_lift(moderator=moderator, suspension=suspension, reason="  ")
    with pytest.raises(Refused):
        services.user_suspension_lift(
            moderator=moderator_of(other_thread.institution), suspension=suspension, reason="Non."
        )
    suspension.refresh_from_db()
    assert suspension.lifted_at is None
    assert not ModerationAction.objects.filter(action=Kind.LIFT).exists()


def test_a_permanent_suspension_never_expires(author, thread, post, admin_user, monkeypatch):
    suspension = services.user_suspend(
        moderator=admin_user, user=author, permanent=True, reason=Reason.SPAM
    )
    assert suspension.ends_at is None and suspension.permanent
    later = timezone.now() + datetime.timedelta(days=3650)
    monkeypatch.setattr(timezone, "now", lambda: later)
    author.refresh_from_db()
    with translation.override("en"), pytest.raises(Refused) as refused:
        post(author, thread, "Dix ans après.")
    assert "suspended permanently" in refused.value.message
