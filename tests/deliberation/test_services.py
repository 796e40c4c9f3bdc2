"""Posting, editing, reacting, flagging and moderating through deliberation.services: what
citizens and moderators would notice (what is stored, shown, refused, and written to the log).

Watched words are in test_watched.py, sanitisation in test_markup.py, races in
test_concurrency.py.
"""

import datetime
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from cms.l10n import format_moment
from deliberation import services
from deliberation.models import (
    Contribution,
    ContributionRevision,
    Flag,
    ModerationAction,
    ModerationActionKind as Kind,
    Reaction,
    Reason,
    Status,
    WatchedWord,
)
from deliberation.services import Invalid, RateLimited, Refused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are in the language of the request; these tests read them in English."""
    with translation.override("en"):
        yield


def key() -> uuid.UUID:
    return uuid.uuid4()


@pytest.fixture
def moderator(moderator_of, site):
    return moderator_of(site["institution"]["fr"], display_name="Modérateur")


@pytest.fixture
def author(user_factory, settings):
    """A citizen past the newcomers' pre-moderation."""
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return user_factory(display_name="Karim")


@pytest.fixture
def readers(user_factory):
    return [user_factory(display_name=f"Lecteur {n}", trusted=True) for n in range(5)]


def reload(contribution: Contribution) -> Contribution:
    return Contribution.objects.get(pk=contribution.pk)


def log_for(contribution: Contribution) -> list[ModerationAction]:
    return list(ModerationAction.objects.filter(contribution=contribution).order_by("pk"))


def freeze(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- Posting and the moderation policy ------------------------------------------------------------


def test_post_moderated_contribution_is_published_at_once(author, thread):
    result = services.contribution_post(
        author=author,
        thread=thread,
        body="  L'eau d'abord.\r\n",
        idempotency_key=key(),
        language="fr",
    )
    stored = reload(result.contribution)
    assert result.created
    assert stored.status == Status.PUBLISHED
    assert stored.published_at is not None
    assert stored.body == "L'eau d'abord."
    assert stored.body_html == "<p>L'eau d'abord.</p>"
    assert (stored.depth, stored.parent, stored.language) == (1, None, "fr")
    assert stored.draft_version is not None  # the draft version it was made on


def test_pre_moderated_contribution_waits_until_a_moderator_approves_it(
    author, make_consultation, moderator
):
    thread = services.thread_for_page(page=make_consultation(moderation_mode="pre"))
    contribution = services.contribution_post(
        author=author, thread=thread, body="Mon avis.", idempotency_key=key()
    ).contribution
    assert reload(contribution).status == Status.PENDING
    assert reload(contribution).published_at is None
    assert not Contribution.objects.published().filter(thread=thread).exists()

    services.contribution_moderate(moderator=moderator, contribution=contribution, action="approve")
    approved = reload(contribution)
    assert approved.status == Status.PUBLISHED
    assert approved.published_at is not None


def test_moderators_own_posts_skip_pre_moderation(make_consultation, moderator):
    thread = services.thread_for_page(page=make_consultation(moderation_mode="pre"))
    contribution = services.contribution_post(
        author=moderator, thread=thread, body="Réponse de la municipalité.", idempotency_key=key()
    ).contribution
    assert reload(contribution).status == Status.PUBLISHED


def test_a_new_accounts_first_contributions_wait_even_in_a_post_moderated_thread(
    citizen, thread, moderator, post, settings
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 2
    first = post(citizen, thread, "Premier avis.")
    assert reload(first).status == Status.PENDING
    services.contribution_moderate(moderator=moderator, contribution=first, action="approve")
    second = post(citizen, thread, "Deuxième avis.")
    assert reload(second).status == Status.PENDING
    services.contribution_moderate(moderator=moderator, contribution=second, action="approve")
    third = post(citizen, thread, "Troisième avis.")
    assert reload(third).status == Status.PUBLISHED


def test_a_rejected_contribution_does_not_count_towards_the_newcomers_quota(
    citizen, thread, moderator, post, settings
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 1
    first = post(citizen, thread, "Achetez mes montres.")
    services.contribution_moderate(
        moderator=moderator, contribution=first, action="reject", reason=Reason.SPAM
    )
    assert reload(post(citizen, thread, "Un vrai avis.")).status == Status.PENDING


def test_empty_or_too_long_text_is_refused_and_nothing_is_saved(author, thread, settings):
    settings.DELIBERATION_MAX_LENGTH = 20
    with pytest.raises(Invalid) as empty:
        services.contribution_post(
            author=author, thread=thread, body=" \n\t ", idempotency_key=key()
        )
    assert empty.value.field == "body"
    with pytest.raises(Invalid) as long:
        services.contribution_post(
            author=author, thread=thread, body="x" * 21, idempotency_key=key()
        )
    assert "20" in long.value.message and "21" in long.value.message
    assert not Contribution.objects.exists()


# --- Replies --------------------------------------------------------------------------------------


def test_replies_nest_three_deep_and_no_deeper(author, user_factory, thread, post):
    other = user_factory()
    top = post(author, thread, "Avis.")
    reply = post(other, thread, "Réponse.", parent=top)
    reply_to_reply = post(author, thread, "Réponse à la réponse.", parent=reply)
    assert (top.depth, reply.depth, reply_to_reply.depth) == (1, 2, 3)
    assert reply.root == top and reply_to_reply.root == top
    assert reply_to_reply.path.startswith(reply.path) and reply.path.startswith(top.path)

    with pytest.raises(Invalid) as error:
        post(other, thread, "Trop profond.", parent=reply_to_reply)
    assert error.value.field == "parent"
    assert Contribution.objects.count() == 3


def test_reading_order_puts_each_reply_under_its_parent(author, user_factory, thread, post):
    other = user_factory()
    first = post(author, thread, "Premier.")
    second = post(author, thread, "Second.")
    late_reply_to_first = post(other, thread, "Réponse au premier.", parent=first)
    order = list(Contribution.objects.filter(thread=thread).in_display_order())
    assert order == [first, late_reply_to_first, second]


def test_a_reply_must_answer_a_published_contribution_of_the_same_thread(
    author, user_factory, thread, make_consultation, post, moderator
):
    other = user_factory()
    hidden = post(author, thread, "Avis.")
    services.contribution_moderate(
        moderator=moderator, contribution=hidden, action="hide", reason=Reason.ABUSE
    )
    with pytest.raises(Invalid):
        post(other, thread, "Réponse.", parent=reload(hidden))
    elsewhere = post(author, services.thread_for_page(page=make_consultation()), "Ailleurs.")
    with pytest.raises(services.NotFound) as refused:
        post(other, thread, "Réponse.", parent=elsewhere)
    assert refused.value.field == "parent"
    assert Contribution.objects.count() == 2


# --- Where nobody can post ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens_in", "closes_in", "words"),
    [(-10, -1, "not open"), (2, 10, "not open")],
    ids=["closed", "upcoming"],
)
def test_nobody_can_post_outside_the_open_phase(
    author, moderator, make_consultation, opens_in, closes_in, words
):
    page = make_consultation(opens_in=opens_in, closes_in=closes_in)
    thread = services.thread_for_page(page=page)
    for person in (author, moderator):
        with pytest.raises(Refused) as error:
            services.contribution_post(
                author=person, thread=thread, body="Avis.", idempotency_key=key()
            )
        assert words in error.value.message
    assert not Contribution.objects.exists()


def test_nobody_can_post_or_reply_in_a_locked_thread(author, user_factory, thread, post, moderator):
    top = post(author, thread, "Avis.")
    services.thread_lock(moderator=moderator, thread=thread, locked=True, note="Débat clos.")
    thread.refresh_from_db()
    with pytest.raises(Refused) as error:
        post(author, thread, "Encore un avis.")
    assert "locked" in error.value.message
    with pytest.raises(Refused):
        post(user_factory(), thread, "Réponse.", parent=top)
    assert Contribution.objects.count() == 1

    services.thread_lock(moderator=moderator, thread=thread, locked=False)
    thread.refresh_from_db()
    assert post(author, thread, "Encore un avis.").status == Status.PUBLISHED


def test_anonymous_visitors_cannot_post(thread):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Refused) as error:
        services.contribution_post(
            author=AnonymousUser(), thread=thread, body="Avis.", idempotency_key=key()
        )
    assert "Log in" in error.value.message


# --- Idempotency ----------------------------------------------------------------------------------


def test_the_same_key_twice_creates_one_contribution(author, thread):
    same = key()
    first, again = (
        services.contribution_post(author=author, thread=thread, body="Avis.", idempotency_key=same)
        for _ in range(2)
    )
    assert first.created and not again.created
    assert again.contribution.pk == first.contribution.pk
    assert Contribution.objects.count() == 1


def test_a_key_is_per_author_and_cannot_be_reused_in_another_thread(
    author, user_factory, thread, make_consultation
):
    same = key()
    services.contribution_post(author=author, thread=thread, body="Avis.", idempotency_key=same)
    other = services.contribution_post(
        author=user_factory(), thread=thread, body="Autre.", idempotency_key=same
    )
    assert other.created
    with pytest.raises(Invalid):
        services.contribution_post(
            author=author,
            thread=services.thread_for_page(page=make_consultation()),
            body="Avis.",
            idempotency_key=same,
        )
    assert Contribution.objects.count() == 2


# --- Editing --------------------------------------------------------------------------------------


def test_the_author_can_edit_within_the_grace_period_and_the_old_text_is_kept(author, thread, post):
    contribution = post(author, thread, "Avis avec une fote.")
    later = contribution.created_at + datetime.timedelta(minutes=10)
    services.contribution_edit(
        contribution=contribution, editor=author, body="Avis corrigé.", now=later
    )
    edited = reload(contribution)
    assert edited.body == "Avis corrigé."
    assert edited.body_html == "<p>Avis corrigé.</p>"
    assert edited.edited_at == later and edited.edited
    revisions = ContributionRevision.objects.filter(contribution=contribution)
    assert list(revisions.values_list("body", flat=True)) == ["Avis avec une fote."]


def test_editing_an_approved_contribution_in_a_premoderated_thread_needs_approval_again(
    author, make_consultation, moderator_of, post, user_factory
):
    thread = services.thread_for_page(page=make_consultation(moderation_mode="pre"))
    moderator = moderator_of(thread.institution)
    contribution = post(author, thread, "Texte anodin")
    services.contribution_moderate(moderator=moderator, contribution=contribution, action="approve")

    services.contribution_edit(contribution=contribution, editor=author, body="Tout autre chose")

    contribution.refresh_from_db()
    assert contribution.status == Status.PENDING
    assert contribution.body == "Tout autre chose"
    assert log_for(contribution)[-1].action == Kind.AUTO_HOLD
    assert contribution.revisions.get().body == "Texte anodin"  # nothing lost either way


def test_editing_is_refused_after_the_grace_period(author, thread, post, settings):
    settings.DELIBERATION_EDIT_GRACE_MINUTES = 15
    contribution = post(author, thread, "Avis.")
    too_late = contribution.created_at + datetime.timedelta(minutes=16)
    with pytest.raises(Refused) as error:
        services.contribution_edit(
            contribution=contribution, editor=author, body="Autre.", now=too_late
        )
    assert "15" in error.value.message
    assert reload(contribution).body == "Avis." and not reload(contribution).edited
    assert not ContributionRevision.objects.exists()


def test_editing_after_the_grace_period_is_refused_by_the_clock_too(
    author, thread, post, monkeypatch
):
    contribution = post(author, thread, "Avis.")
    freeze(monkeypatch, contribution.created_at + datetime.timedelta(hours=1))
    with pytest.raises(Refused):
        services.contribution_edit(contribution=contribution, editor=author, body="Autre.")
    assert reload(contribution).body == "Avis."


def test_nobody_else_can_edit_a_contribution(author, user_factory, moderator, thread, post):
    contribution = post(author, thread, "Avis.")
    for someone in (user_factory(), moderator):
        with pytest.raises(Refused):
            services.contribution_edit(contribution=contribution, editor=someone, body="Piraté.")
    assert reload(contribution).body == "Avis."


def test_a_hidden_contribution_cannot_be_edited(author, thread, post, moderator):
    contribution = post(author, thread, "Avis.")
    services.contribution_moderate(
        moderator=moderator, contribution=contribution, action="hide", reason=Reason.OFF_TOPIC
    )
    with pytest.raises(Refused):
        services.contribution_edit(contribution=reload(contribution), editor=author, body="Autre.")
    assert reload(contribution).body == "Avis."


# --- Reactions ------------------------------------------------------------------------------------


def test_reactions_are_one_per_person_changeable_and_removable(author, readers, thread, post):
    contribution = post(author, thread, "Avis.")
    first, second, third = readers[:3]
    services.contribution_react(user=first, contribution=contribution, kind="agree")
    services.contribution_react(user=first, contribution=contribution, kind="agree")
    services.contribution_react(user=second, contribution=contribution, kind="agree")
    services.contribution_react(user=third, contribution=contribution, kind="disagree")
    counts = reload(contribution)
    assert (counts.agree_count, counts.disagree_count) == (2, 1)

    services.contribution_react(user=second, contribution=contribution, kind="disagree")
    counts = reload(contribution)
    assert (counts.agree_count, counts.disagree_count) == (1, 2)

    services.contribution_react(user=third, contribution=contribution, kind=None)
    counts = reload(contribution)
    assert (counts.agree_count, counts.disagree_count) == (1, 1)
    assert Reaction.objects.filter(contribution=contribution).count() == 2


def test_nobody_reacts_to_their_own_contribution(author, thread, post):
    contribution = post(author, thread, "Avis.")
    with pytest.raises(Refused) as error:
        services.contribution_react(user=author, contribution=contribution, kind="agree")
    assert "own" in error.value.message
    assert reload(contribution).agree_count == 0 and not Reaction.objects.exists()


def test_unknown_reactions_and_pending_contributions_take_no_reaction(
    citizen, readers, thread, post
):
    pending = post(citizen, thread, "Avis d'un nouveau.")
    assert pending.status == Status.PENDING
    with pytest.raises(Refused):
        services.contribution_react(user=readers[0], contribution=pending, kind="agree")
    with pytest.raises(Invalid):
        services.contribution_react(user=readers[0], contribution=pending, kind="love")
    assert not Reaction.objects.exists()


def test_reactions_close_with_the_consultation(
    author, readers, make_consultation, post, monkeypatch
):
    thread = services.thread_for_page(page=make_consultation(closes_in=1))
    contribution = post(author, thread, "Avis.")
    freeze(monkeypatch, timezone.now() + datetime.timedelta(days=2))
    thread = type(thread).objects.get(pk=thread.pk)  # a later request
    with pytest.raises(Refused):
        services.contribution_react(
            user=readers[0], contribution=reload(contribution), kind="agree"
        )
    assert not Reaction.objects.exists()


# --- Flags and the threshold ----------------------------------------------------------------------


def test_reaching_the_flag_threshold_hides_the_contribution_pending_review(
    author, readers, thread, post, settings
):
    settings.DELIBERATION_FLAG_THRESHOLD = 3
    contribution = post(author, thread, "Avis contesté.")
    services.contribution_flag(user=readers[0], contribution=contribution, reason=Reason.SPAM)
    services.contribution_flag(
        user=readers[1], contribution=contribution, reason=Reason.ABUSE, note="Insulte."
    )
    assert reload(contribution).status == Status.PUBLISHED
    assert reload(contribution).open_flag_count == 2
    assert not log_for(contribution)

    services.contribution_flag(user=readers[2], contribution=contribution, reason=Reason.OFF_TOPIC)
    hidden = reload(contribution)
    assert (hidden.status, hidden.reason, hidden.open_flag_count) == (
        Status.HIDDEN, Reason.FLAGGED, 3
    )
    [entry] = log_for(contribution)
    assert (entry.action, entry.actor, entry.reason) == (Kind.AUTO_HIDE, None, Reason.FLAGGED)
    assert entry.subject == author and entry.thread == thread


def test_reports_from_new_or_unverified_accounts_do_not_hide_but_reach_the_queue(
    author, thread, post, user_factory, moderator, settings
):
    from deliberation.selectors import Queue, moderation_queue

    settings.DELIBERATION_FLAG_THRESHOLD = 3
    settings.DELIBERATION_FLAG_TRUSTED_ACCOUNT_DAYS = 7
    contribution = post(author, thread, "Avis dérangeant mais légitime.")
    old = timezone.now() - datetime.timedelta(days=30)
    brigade = [
        user_factory(),  # made a second ago, address not confirmed
        user_factory(email_verified=True),  # confirmed, but made a second ago
        user_factory(date_joined=old),  # old, never confirmed its address
    ]
    for reporter in brigade:
        services.contribution_flag(user=reporter, contribution=contribution, reason=Reason.SPAM)
    reported = reload(contribution)
    assert reported.status == Status.PUBLISHED
    assert reported.open_flag_count == 3
    assert list(moderation_queue(user=moderator, queue=Queue.FLAGGED)) == [reported]
    assert not log_for(contribution)


def test_three_reports_from_trusted_accounts_hide(author, thread, post, user_factory, settings):
    settings.DELIBERATION_FLAG_THRESHOLD = 3
    contribution = post(author, thread, "Avis.")
    for _ in range(3):
        services.contribution_flag(
            user=user_factory(trusted=True), contribution=contribution, reason=Reason.SPAM
        )
    assert reload(contribution).status == Status.HIDDEN


def test_each_person_reports_a_contribution_once(author, readers, thread, post, settings):
    settings.DELIBERATION_FLAG_THRESHOLD = 2
    contribution = post(author, thread, "Avis.")
    services.contribution_flag(user=readers[0], contribution=contribution, reason=Reason.SPAM)
    with pytest.raises(Invalid) as error:
        services.contribution_flag(user=readers[0], contribution=contribution, reason=Reason.SPAM)
    assert "already" in error.value.message
    assert Flag.objects.count() == 1
    assert reload(contribution).status == Status.PUBLISHED


def test_reports_need_a_reason_and_cannot_target_ones_own_text(author, readers, thread, post):
    contribution = post(author, thread, "Avis.")
    for reason in ("", "boring", Reason.FLAGGED):
        with pytest.raises(Invalid):
            services.contribution_flag(user=readers[0], contribution=contribution, reason=reason)
    with pytest.raises(Refused):
        services.contribution_flag(user=author, contribution=contribution, reason=Reason.SPAM)
    assert not Flag.objects.exists()


def test_an_automatic_flag_does_not_count_as_a_readers_report(
    author, readers, thread, post, settings
):
    settings.DELIBERATION_FLAG_THRESHOLD = 2
    WatchedWord.objects.create(phrase="arnaque", action="flag")
    contribution = post(author, thread, "C'est une arnaque.")
    assert reload(contribution).open_flag_count == 1
    services.contribution_flag(user=readers[0], contribution=contribution, reason=Reason.SPAM)
    assert reload(contribution).status == Status.PUBLISHED
    services.contribution_flag(user=readers[1], contribution=contribution, reason=Reason.SPAM)
    assert reload(contribution).status == Status.HIDDEN


# --- Suspension -----------------------------------------------------------------------------------


def test_a_suspended_citizen_cannot_post_or_react_is_told_why_and_until_when_and_can_after(
    author, readers, thread, post, moderator, monkeypatch
):
    mine = post(author, thread, "Insultes.")
    theirs = post(readers[0], thread, "Un autre avis.")
    suspension = services.user_suspend(
        moderator=moderator,
        user=author,
        days=3,
        reason=Reason.ABUSE,
        note="Récidive.",
        contribution=mine,
    )
    assert suspension.ends_at - suspension.starts_at == datetime.timedelta(days=3)
    [entry] = log_for(mine)
    assert (entry.action, entry.actor, entry.subject, entry.reason, entry.note) == (
        Kind.SUSPEND, moderator, author, Reason.ABUSE, "Récidive."
    )

    with pytest.raises(Refused) as refused_post:
        post(author, thread, "Encore.")
    until = format_moment(suspension.ends_at, django_settings.TIME_ZONE)
    assert until in refused_post.value.message
    assert str(Reason.ABUSE.label) in refused_post.value.message
    with pytest.raises(Refused) as refused_reaction:
        services.contribution_react(user=author, contribution=theirs, kind="disagree")
    assert until in refused_reaction.value.message
    assert Contribution.objects.filter(author=author).count() == 1
    assert not Reaction.objects.exists()

    freeze(monkeypatch, suspension.ends_at + datetime.timedelta(minutes=1))
    assert post(author, thread, "De retour, poliment.").status == Status.PUBLISHED
    services.contribution_react(user=author, contribution=theirs, kind="disagree")
    assert reload(theirs).disagree_count == 1


def test_a_suspension_applies_to_the_account_object_already_in_use(author, thread, post, moderator):
    """A request that already checked the author's rights must not keep a stale answer."""
    first = post(author, thread, "Avis.")
    services.user_suspend(
        moderator=moderator, user=author, days=1, reason=Reason.SPAM, contribution=first
    )
    with pytest.raises(Refused):
        post(author, thread, "Encore.")


def test_a_suspension_needs_a_reason_and_a_sensible_length(author, thread, post, moderator):
    contribution = post(author, thread, "Avis.")
    for reason, days in (("", 3), (Reason.FLAGGED, 3), (Reason.SPAM, 0), (Reason.SPAM, 400)):
        with pytest.raises(Invalid):
            services.user_suspend(
                moderator=moderator,
                user=author,
                days=days,
                reason=reason,
                contribution=contribution,
            )
    assert not author.suspensions.exists()
    assert not ModerationAction.objects.exists()


def test_moderators_and_administrators_cannot_be_suspended(
    moderator, moderator_of, admin_user, site
):
    global_moderators, _ = Group.objects.get_or_create(name="Deliberation moderators")
    admin_user.groups.add(global_moderators)
    colleague = moderator_of(site["institution"]["fr"])
    for person in (colleague, admin_user, moderator):
        with pytest.raises(Refused):
            services.user_suspend(moderator=admin_user, user=person, days=1, reason=Reason.ABUSE)
    assert not ModerationAction.objects.exists()


def test_only_platform_wide_moderators_suspend_without_a_contribution(
    author, moderator, admin_user
):
    with pytest.raises(Refused):
        services.user_suspend(moderator=moderator, user=author, days=1, reason=Reason.SPAM)
    suspension = services.user_suspend(
        moderator=admin_user, user=author, days=1, reason=Reason.SPAM
    )
    [entry] = ModerationAction.objects.all()
    assert (entry.action, entry.actor, entry.subject, entry.contribution) == (
        Kind.SUSPEND, admin_user, author, None
    )
    assert "1" in entry.note
    assert suspension.user == author


# --- Moderator actions and the audit log ----------------------------------------------------------


@pytest.fixture
def pending(author, make_consultation):
    thread = services.thread_for_page(page=make_consultation(moderation_mode="pre"))
    return services.contribution_post(
        author=author, thread=thread, body="En attente.", idempotency_key=key()
    ).contribution


@pytest.fixture
def published(author, thread, post):
    return post(author, thread, "Publié.")


def _audit_is(contribution, moderator, action, reason="", note=""):
    [entry] = log_for(contribution)
    assert entry.actor == moderator
    assert entry.action == action
    assert entry.contribution == contribution
    assert entry.thread_id == contribution.thread_id
    assert entry.subject_id == contribution.author_id
    assert entry.reason == reason
    assert entry.note == note
    assert entry.created_at is not None


def test_approve(pending, moderator):
    services.contribution_moderate(
        moderator=moderator, contribution=pending, action="approve", note="Conforme."
    )
    assert reload(pending).status == Status.PUBLISHED
    _audit_is(pending, moderator, Kind.APPROVE, note="Conforme.")


def test_reject_needs_a_reason(pending, moderator):
    with pytest.raises(Invalid) as error:
        services.contribution_moderate(moderator=moderator, contribution=pending, action="reject")
    assert error.value.field == "reason"
    assert reload(pending).status == Status.PENDING and not log_for(pending)

    services.contribution_moderate(
        moderator=moderator, contribution=pending, action="reject", reason=Reason.PERSONAL_DATA,
        note="Numéro de téléphone.",
    )
    rejected = reload(pending)
    assert (rejected.status, rejected.reason) == (Status.REJECTED, Reason.PERSONAL_DATA)
    assert rejected.published_at is None
    _audit_is(pending, moderator, Kind.REJECT, Reason.PERSONAL_DATA, "Numéro de téléphone.")


def test_hide_needs_a_public_reason(published, moderator):
    for reason in ("", Reason.FLAGGED, "rude"):
        with pytest.raises(Invalid):
            services.contribution_moderate(
                moderator=moderator, contribution=published, action="hide", reason=reason
            )
    assert reload(published).status == Status.PUBLISHED and not log_for(published)

    services.contribution_moderate(
        moderator=moderator, contribution=published, action="hide", reason=Reason.ABUSE
    )
    hidden = reload(published)
    assert (hidden.status, hidden.reason) == (Status.HIDDEN, Reason.ABUSE)
    assert hidden.moderated_at is not None
    _audit_is(published, moderator, Kind.HIDE, Reason.ABUSE)


def test_restore_after_flags_clears_them(published, readers, moderator, settings):
    settings.DELIBERATION_FLAG_THRESHOLD = 2
    for reader in readers[:2]:
        services.contribution_flag(user=reader, contribution=published, reason=Reason.SPAM)
    assert reload(published).status == Status.HIDDEN
    services.contribution_moderate(
        moderator=moderator, contribution=published, action="restore", note="Faux signalements."
    )
    restored = reload(published)
    assert (restored.status, restored.reason, restored.open_flag_count) == (Status.PUBLISHED, "", 0)
    assert not Flag.objects.filter(contribution=published, reviewed_at__isnull=True).exists()
    assert log_for(published)[-1].action == Kind.RESTORE
    assert log_for(published)[-1].actor == moderator


def test_dismiss_flags_keeps_the_contribution_and_closes_the_reports(published, readers, moderator):
    services.contribution_flag(user=readers[0], contribution=published, reason=Reason.OFF_TOPIC)
    services.contribution_moderate(
        moderator=moderator, contribution=published, action="dismiss_flags"
    )
    after = reload(published)
    assert (after.status, after.open_flag_count) == (Status.PUBLISHED, 0)
    assert Flag.objects.get().reviewed_at is not None
    _audit_is(published, moderator, Kind.DISMISS_FLAGS)


def test_pin_and_unpin(published, moderator):
    services.contribution_moderate(moderator=moderator, contribution=published, action="pin")
    assert reload(published).pinned
    services.contribution_moderate(moderator=moderator, contribution=published, action="unpin")
    assert not reload(published).pinned
    assert [entry.action for entry in log_for(published)] == [Kind.PIN, Kind.UNPIN]
    assert {entry.actor for entry in log_for(published)} == {moderator}


def test_mark_and_unmark_official(moderator, thread, post):
    answer = post(moderator, thread, "La municipalité répond.")
    services.contribution_moderate(moderator=moderator, contribution=answer, action="mark_official")
    assert reload(answer).official
    services.contribution_moderate(
        moderator=moderator, contribution=answer, action="unmark_official"
    )
    assert not reload(answer).official
    assert [entry.action for entry in log_for(answer)] == [Kind.MARK_OFFICIAL, Kind.UNMARK_OFFICIAL]


def test_lock_and_unlock_are_logged_against_the_thread(thread, moderator):
    services.thread_lock(moderator=moderator, thread=thread, locked=True, note="Hors de contrôle.")
    thread.refresh_from_db()
    assert thread.locked
    services.thread_lock(moderator=moderator, thread=thread, locked=False)
    thread.refresh_from_db()
    assert not thread.locked
    lock, unlock = ModerationAction.objects.order_by("pk")
    assert (lock.action, lock.actor, lock.thread, lock.contribution, lock.note) == (
        Kind.LOCK, moderator, thread, None, "Hors de contrôle."
    )
    assert (unlock.action, unlock.thread) == (Kind.UNLOCK, thread)


@pytest.mark.parametrize(
    ("fixture", "action", "reason"),
    [
        ("published", "approve", ""),
        ("published", "reject", Reason.SPAM),
        ("pending", "hide", Reason.SPAM),
        ("published", "restore", ""),
        ("pending", "pin", ""),
        ("pending", "mark_official", ""),
        ("published", "unpin", ""),
        ("published", "unmark_official", ""),
        ("published", "dismiss_flags", ""),
    ],
)
def test_an_action_that_does_not_apply_is_refused_and_changes_nothing(
    request, moderator, fixture, action, reason
):
    contribution = request.getfixturevalue(fixture)
    before = reload(contribution)
    with pytest.raises(Invalid):
        services.contribution_moderate(
            moderator=moderator, contribution=contribution, action=action, reason=reason
        )
    after = reload(contribution)
    assert (after.status, after.reason, after.pinned, after.official, after.moderated_at) == (
        before.status, before.reason, before.pinned, before.official, before.moderated_at
    )
    assert not ModerationAction.objects.exists()


def test_acting_twice_is_refused_the_second_time(published, moderator, moderator_of, site):
    colleague = moderator_of(site["institution"]["fr"])
    services.contribution_moderate(
        moderator=moderator, contribution=published, action="hide", reason=Reason.SPAM
    )
    with pytest.raises(Invalid) as error:
        # A colleague acting from the same (now stale) queue page.
        services.contribution_moderate(
            moderator=colleague, contribution=published, action="hide", reason=Reason.ABUSE
        )
    assert "Another moderator" in error.value.message
    assert reload(published).reason == Reason.SPAM
    assert len(log_for(published)) == 1


def test_pinning_twice_is_refused(published, moderator):
    services.contribution_moderate(moderator=moderator, contribution=published, action="pin")
    with pytest.raises(Invalid):
        services.contribution_moderate(moderator=moderator, contribution=published, action="pin")
    assert len(log_for(published)) == 1


def test_locking_a_locked_thread_or_unlocking_an_open_one_is_refused(thread, moderator):
    with pytest.raises(Invalid):
        services.thread_lock(moderator=moderator, thread=thread, locked=False)
    services.thread_lock(moderator=moderator, thread=thread, locked=True)
    with pytest.raises(Invalid):
        services.thread_lock(moderator=moderator, thread=thread, locked=True)
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [Kind.LOCK]


def test_unknown_actions_are_refused(published, moderator):
    for action in ("delete", "lock", "suspend", ""):
        with pytest.raises(Invalid):
            services.contribution_moderate(
                moderator=moderator, contribution=published, action=action
            )
    assert not ModerationAction.objects.exists()


# --- Who may moderate -----------------------------------------------------------------------------


def test_a_citizen_cannot_moderate(published, readers, thread):
    citizen = readers[0]
    for action, reason in (("hide", Reason.SPAM), ("pin", ""), ("mark_official", "")):
        with pytest.raises(Refused):
            services.contribution_moderate(
                moderator=citizen, contribution=published, action=action, reason=reason
            )
    with pytest.raises(Refused):
        services.thread_lock(moderator=citizen, thread=thread, locked=True)
    with pytest.raises(Refused):
        services.user_suspend(
            moderator=citizen,
            user=published.author,
            days=1,
            reason=Reason.SPAM,
            contribution=published,
        )
    assert reload(published).status == Status.PUBLISHED and not reload(published).pinned
    assert not ModerationAction.objects.exists()
    thread.refresh_from_db()
    assert not thread.locked


def test_a_moderator_of_one_institution_cannot_act_on_another(
    moderator, other_thread, author, post
):
    theirs = post(author, other_thread, "Avis à Sfax.")
    with pytest.raises(Refused):
        services.contribution_moderate(
            moderator=moderator, contribution=theirs, action="hide", reason=Reason.SPAM
        )
    with pytest.raises(Refused):
        services.thread_lock(moderator=moderator, thread=other_thread, locked=True)
    with pytest.raises(Refused):
        services.user_suspend(
            moderator=moderator, user=author, days=1, reason=Reason.SPAM, contribution=theirs
        )
    assert reload(theirs).status == Status.PUBLISHED
    assert not ModerationAction.objects.exists()


def test_platform_wide_moderators_act_everywhere(
    user_factory, other_thread, author, post
):
    platform = user_factory(is_staff=True)
    platform.groups.add(Group.objects.create(name="Deliberation moderators"))
    theirs = post(author, other_thread, "Avis à Sfax.")
    services.contribution_moderate(
        moderator=platform, contribution=theirs, action="hide", reason=Reason.SPAM
    )
    assert reload(theirs).status == Status.HIDDEN


def test_a_moderator_cannot_suspend_someone_for_another_persons_contribution(
    author, readers, thread, post, moderator
):
    contribution = post(author, thread, "Avis.")
    with pytest.raises(Invalid):
        services.user_suspend(
            moderator=moderator,
            user=readers[0],
            days=1,
            reason=Reason.SPAM,
            contribution=contribution,
        )
    assert not readers[0].suspensions.exists()


# --- Rate limits ----------------------------------------------------------------------------------


def test_posting_too_fast_from_one_account_is_refused_with_a_wait(author, thread, post, settings):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["2/minute"]
    post(author, thread, "Un.")
    post(author, thread, "Deux.")
    with pytest.raises(RateLimited) as error:
        post(author, thread, "Trois.")
    assert 0 < error.value.retry_after <= 61
    assert f"{error.value.retry_after} seconds" in error.value.message
    assert error.value.status == 429
    assert Contribution.objects.count() == 2


def test_posting_too_fast_from_one_address_is_refused(user_factory, thread, post, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    settings.DELIBERATION_POST_RATE_PER_IP = ["2/minute"]
    people = [user_factory() for _ in range(3)]
    post(people[0], thread, "Un.", ip_address="203.0.113.7")
    post(people[1], thread, "Deux.", ip_address="203.0.113.7")
    with pytest.raises(RateLimited) as error:
        post(people[2], thread, "Trois.", ip_address="203.0.113.7")
    assert error.value.retry_after > 0
    assert Contribution.objects.count() == 2
    post(people[2], thread, "Trois.", ip_address="198.51.100.1")  # another address is fine
    assert Contribution.objects.count() == 3


def test_reacting_too_fast_is_refused(author, readers, thread, post, settings):
    settings.DELIBERATION_REACT_RATE_PER_ACCOUNT = ["2/minute"]
    contribution = post(author, thread, "Avis.")
    services.contribution_react(user=readers[0], contribution=contribution, kind="agree")
    services.contribution_react(user=readers[0], contribution=contribution, kind="disagree")
    with pytest.raises(RateLimited) as error:
        services.contribution_react(user=readers[0], contribution=contribution, kind=None)
    assert error.value.retry_after > 0
    assert reload(contribution).disagree_count == 1


# --- The audit log --------------------------------------------------------------------------------


def test_the_audit_log_cannot_be_changed_or_deleted(published, moderator):
    services.contribution_moderate(
        moderator=moderator, contribution=published, action="hide", reason=Reason.SPAM, note="Pub."
    )
    entry = ModerationAction.objects.get()
    entry.note = "Rien à voir."
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ModerationAction.objects.filter(pk=entry.pk).update(note="Effacé.")
    with pytest.raises(TypeError):
        ModerationAction.objects.all().delete()
    stored = ModerationAction.objects.get()
    assert (stored.note, stored.reason, stored.actor) == ("Pub.", Reason.SPAM, moderator)
