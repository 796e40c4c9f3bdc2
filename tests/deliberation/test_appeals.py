"""Appeals: a citizen appeals a hidden contribution or a suspension once, with a text; another
moderator than the one who decided upholds or reverses it; the log, the e-mail and the public
moderation log show it."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from deliberation import services
from deliberation.models import (
    Appeal,
    AppealStatus,
    Contribution,
    ModerationAction,
    Reason,
    Status,
)
from deliberation.models import ModerationActionKind as Kind
from deliberation.selectors import moderation_log_counts
from deliberation.services import Invalid, RateLimited, Refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def moderator(moderator_of, site):
    return moderator_of(site["institution"]["fr"], display_name="Modérateur")


@pytest.fixture
def colleague(moderator_of, site):
    return moderator_of(site["institution"]["fr"], display_name="Collègue")


@pytest.fixture
def author(user_factory, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return user_factory(display_name="Karim", preferred_language="ar")


@pytest.fixture
def hidden(author, thread, post, moderator):
    contribution = post(author, thread, "Un avis vif.")
    return services.contribution_moderate(
        moderator=moderator, contribution=contribution, action=Kind.HIDE, reason=Reason.ABUSE
    )


def _appeal(author, contribution, text="Ce n'était pas une insulte."):
    return services.contribution_appeal(
        user=author, contribution=contribution, text=text, ip_address="192.0.2.1"
    )


def test_the_author_appeals_a_hidden_contribution_once_and_it_is_logged(author, hidden, moderator):
    appeal = _appeal(author, hidden)
    assert (appeal.status, appeal.appellant, appeal.contribution, appeal.text) == (
        AppealStatus.PENDING, author, hidden, "Ce n'était pas une insulte."
    )
    assert appeal.decision.action == Kind.HIDE and appeal.decision.actor == moderator
    entry = ModerationAction.objects.get(action=Kind.APPEAL)
    assert (entry.appeal, entry.subject, entry.contribution) == (appeal, author, hidden)

    with pytest.raises(Invalid) as twice:
        _appeal(author, hidden, "Encore une fois.")
    assert "once" in twice.value.message
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_appeal_stores_nothing(author, hidden, text):
    with pytest.raises(Invalid) as refused:
        _appeal(author, hidden, text)
    assert refused.value.field == "text" and refused.value.message
    assert not Appeal.objects.exists()
    assert not ModerationAction.objects.filter(action=Kind.APPEAL).exists()


def test_nobody_appeals_someone_elses_contribution_or_one_that_is_not_hidden(
    author, hidden, user_factory, thread, post
):
    stranger = user_factory(display_name="Sami")
    with pytest.raises(Refused):
        _appeal(stranger, hidden)
    published = post(author, thread, "Un avis publié.")
    with pytest.raises(Invalid) as not_hidden:
        _appeal(author, published)
    assert "removed by moderation" in not_hidden.value.message
    assert not Appeal.objects.exists()


def test_appeals_are_rate_limited(author, thread, post, moderator, settings):
    settings.DELIBERATION_APPEAL_RATE_PER_ACCOUNT = ["1/hour"]
    first, second = (
        services.contribution_moderate(
            moderator=moderator, contribution=post(author, thread, f"Avis {n}."),
            action=Kind.HIDE, reason=Reason.SPAM,
        )
        for n in (1, 2)
    )
    _appeal(author, first)
    with pytest.raises(RateLimited):
        _appeal(author, second)
    assert Appeal.objects.count() == 1


def test_the_moderator_who_hid_it_cannot_decide_the_appeal(author, hidden, moderator):
    appeal = _appeal(author, hidden)
    with pytest.raises(Refused) as refused:
        services.appeal_decide(moderator=moderator, appeal=appeal, outcome="reverse")
    assert "another moderator" in refused.value.message
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING
    assert Contribution.objects.get(pk=hidden.pk).status == Status.HIDDEN


def test_a_moderator_of_another_institution_cannot_decide(author, hidden, other_thread, moderator_of):
    outsider = moderator_of(other_thread.institution)
    appeal = _appeal(author, hidden)
    with pytest.raises(Refused):
        services.appeal_decide(moderator=outsider, appeal=appeal, outcome="reverse")
    assert Appeal.objects.get().status == AppealStatus.PENDING


def test_another_moderator_reverses_the_contribution_is_restored_logged_mailed_once_and_counted(
    author, hidden, colleague, thread, mailoutbox, django_capture_on_commit_callbacks
):
    appeal = _appeal(author, hidden)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.appeal_decide(
            moderator=colleague, appeal=appeal, outcome="reverse", note="Critique vive, pas insulte."
        )
    assert (decided.status, decided.decided_by) == (AppealStatus.REVERSED, colleague)
    assert Contribution.objects.get(pk=hidden.pk).status == Status.PUBLISHED
    actions = list(
        ModerationAction.objects.filter(contribution=hidden).order_by("pk").values_list("action", "actor")
    )
    assert actions[-2:] == [(Kind.RESTORE, colleague.pk), (Kind.APPEAL_REVERSE, colleague.pk)]
    assert len(mailoutbox) == 1  # the appeal's outcome, not also "restored"
    mail = mailoutbox[0]
    assert mail.to == [author.email]
    with translation.override("ar"):
        assert translation.gettext("Your appeal: the decision is reversed") in mail.subject
    assert "Critique vive, pas insulte." in mail.body

    counts = moderation_log_counts(translation_key=thread.page.translation_key)
    assert (counts["appeals_total"], counts["reversed_total"]) == (1, 1)

    with pytest.raises(Invalid):
        services.appeal_decide(moderator=colleague, appeal=appeal, outcome="uphold")


def test_upholding_keeps_the_contribution_hidden_and_says_so(
    author, hidden, colleague, thread, mailoutbox, django_capture_on_commit_callbacks
):
    appeal = _appeal(author, hidden)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(moderator=colleague, appeal=appeal, outcome="uphold")
    assert Contribution.objects.get(pk=hidden.pk).status == Status.HIDDEN
    assert ModerationAction.objects.filter(action=Kind.APPEAL_UPHOLD, appeal=appeal).exists()
    assert len(mailoutbox) == 1
    counts = moderation_log_counts(translation_key=thread.page.translation_key)
    assert (counts["appeals_total"], counts["reversed_total"]) == (1, 0)


def test_an_unknown_outcome_changes_nothing(author, hidden, colleague):
    appeal = _appeal(author, hidden)
    with pytest.raises(Invalid):
        services.appeal_decide(moderator=colleague, appeal=appeal, outcome="delete")
    assert Appeal.objects.get().status == AppealStatus.PENDING


# --- Suspensions --------------------------------------------------------------------------------


@pytest.fixture
def global_moderators(user_factory):
    group, _ = Group.objects.get_or_create(name="Deliberation moderators")
    first, second = (user_factory(is_staff=True, display_name=n) for n in ("Hédi", "Lina"))
    for person in (first, second):
        person.groups.add(group)
    return first, second


def test_a_suspension_is_appealed_once_and_reversing_lifts_it(
    author, thread, post, global_moderators, mailoutbox, django_capture_on_commit_callbacks
):
    suspender, other = global_moderators
    suspension = services.user_suspend(
        moderator=suspender, user=author, permanent=True, reason=Reason.SPAM
    )
    appeal = services.suspension_appeal(user=author, suspension=suspension, text="Je n'ai rien fait.")
    assert appeal.decision.actor == suspender
    with pytest.raises(Invalid):
        services.suspension_appeal(user=author, suspension=suspension, text="Encore.")
    with pytest.raises(Refused):
        services.appeal_decide(moderator=suspender, appeal=appeal, outcome="reverse")

    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(moderator=other, appeal=appeal, outcome="reverse")
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and suspension.lifted_by == other
    assert ModerationAction.objects.filter(action=Kind.LIFT, suspension=suspension).exists()
    assert len(mailoutbox) == 1
    author.refresh_from_db()
    assert post(author, thread, "De retour.").status == Status.PUBLISHED


def test_nobody_appeals_someone_elses_or_a_lifted_suspension(author, user_factory, global_moderators):
    suspender, _ = global_moderators
    suspension = services.user_suspend(moderator=suspender, user=author, days=3, reason=Reason.SPAM)
    with pytest.raises(Refused):
        services.suspension_appeal(
            user=user_factory(display_name="Sami"), suspension=suspension, text="Pour lui."
        )
    services.user_suspension_lift(moderator=suspender, suspension=suspension, reason="Erreur.")
    with pytest.raises(Invalid):
        services.suspension_appeal(user=author, suspension=suspension, text="Trop tard.")
    assert not Appeal.objects.exists()
