"""Emails to citizens: replies, moderation decisions and consultations closing soon.

Each mail is written in the recipient's language. New strings are not yet in the Arabic and
French catalogs, so language is checked on the greeting ("Hello %(name)s,", translated in
all three), on links and on dates (formatted by Babel), and exact wording on English readers.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Locale

from accounts import mail as account_mail
from cms.l10n import format_moment
from cms.services import page_translation_ensure
from consultations.models import ConsultationFollow
from consultations.notifications import closing_soon_send
from consultations.services import consultation_follow
from deliberation.models import Status
from deliberation.services import contribution_flag, contribution_moderate, thread_for_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_newcomer_premoderation(settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0


@pytest.fixture
def amira(user_factory):
    return user_factory(display_name="Amira", preferred_language="ar")


@pytest.fixture
def karim(user_factory):
    return user_factory(display_name="Karim", preferred_language="fr")


@pytest.fixture
def john(user_factory):
    return user_factory(display_name="John", preferred_language="en")


def mails_to(outbox, user):
    return [message for message in outbox if message.to == [user.email]]


# --- Replies -------------------------------------------------------------------------------


def test_a_reply_emails_the_parents_author_once_in_their_language(
    thread, amira, karim, post, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        parent = post(amira, thread, "الماء أولوية في الكاف.")
    assert mailoutbox == []  # a first-level contribution replies to nobody

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        reply = post(
            karim, thread, "Je suis d'accord,\n\nmais   il faut aussi des puits.", parent=parent
        )

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [amira.email]
    assert "Karim" in mail.subject and "\n" not in mail.subject
    assert mail.body.startswith("مرحبًا \u2068Amira\u2069،")  # Amira's language, not the replier's; names isolated
    assert "Je suis d'accord, mais il faut aussi des puits." in mail.body  # the excerpt
    assert f"http://127.0.0.1:8000{thread.page.url}#contribution-{reply.pk}" in mail.body
    assert "http://127.0.0.1:8000/ar/accounts/notifications/" in mail.body
    assert karim.email not in mail.body  # the replier's address is never shown


def test_the_reply_link_leads_to_the_page_in_the_readers_language(
    make_consultation, amira, karim, post, mailoutbox, django_capture_on_commit_callbacks
):
    consultation = make_consultation(language="fr")
    arabic = page_translation_ensure(
        page=consultation, locale=Locale.objects.get(language_code="ar"), title="مشروع المجلة"
    )
    thread = thread_for_page(page=consultation)
    parent = post(amira, thread)
    with django_capture_on_commit_callbacks(execute=True):
        reply = post(karim, thread, parent=parent)
    assert arabic.url.startswith("/ar/")
    assert f"{arabic.url}#contribution-{reply.pk}" in mailoutbox[0].body


def test_long_replies_are_shortened_in_the_email(
    thread, amira, karim, post, mailoutbox, django_capture_on_commit_callbacks
):
    parent = post(amira, thread)
    with django_capture_on_commit_callbacks(execute=True):
        post(karim, thread, "mot " * 400 + "FIN", parent=parent)
    assert "…" in mailoutbox[0].body
    assert "FIN" not in mailoutbox[0].body


def test_replying_to_oneself_sends_nothing(
    thread, karim, post, mailoutbox, django_capture_on_commit_callbacks
):
    parent = post(karim, thread)
    with django_capture_on_commit_callbacks(execute=True):
        post(karim, thread, "Je précise ma pensée.", parent=parent)
    assert mailoutbox == []


def test_no_reply_email_for_who_turned_them_off(
    thread, amira, karim, post, mailoutbox, django_capture_on_commit_callbacks
):
    amira.notify_replies = False
    amira.save()
    parent = post(amira, thread)
    with django_capture_on_commit_callbacks(execute=True):
        post(karim, thread, parent=parent)
    assert mailoutbox == []


def test_a_pending_reply_notifies_nobody_until_approved_then_once(
    make_consultation, amira, karim, post, moderator_of, mailoutbox,
    django_capture_on_commit_callbacks,
):
    thread = thread_for_page(page=make_consultation(moderation_mode="pre"))
    moderator = moderator_of(thread.institution)
    parent = contribution_moderate(
        moderator=moderator, contribution=post(amira, thread), action="approve"
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reply = post(karim, thread, "En attente de modération.", parent=parent)
    assert reply.status == Status.PENDING
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(moderator=moderator, contribution=reply, action="approve")
    assert len(mails_to(mailoutbox, amira)) == 1  # the reply, now public
    assert "Karim" in mails_to(mailoutbox, amira)[0].subject
    assert len(mails_to(mailoutbox, karim)) == 1  # the decision about Karim's own text

    # Hiding and restoring it later does not announce the reply a second time.
    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(moderator=moderator, contribution=reply, action="hide", reason="spam")
        contribution_moderate(moderator=moderator, contribution=reply, action="restore")
    assert len(mails_to(mailoutbox, amira)) == 1


def test_a_rejected_reply_restored_later_is_announced_once(
    make_consultation, amira, karim, post, moderator_of, mailoutbox,
    django_capture_on_commit_callbacks,
):
    thread = thread_for_page(page=make_consultation(moderation_mode="pre"))
    moderator = moderator_of(thread.institution)
    parent = contribution_moderate(
        moderator=moderator, contribution=post(amira, thread), action="approve"
    )
    reply = post(karim, thread, "Refusée puis rétablie.", parent=parent)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(moderator=moderator, contribution=reply, action="reject", reason="off_topic")
    assert mails_to(mailoutbox, amira) == []  # never public: nothing to announce yet

    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(moderator=moderator, contribution=reply, action="restore")
    assert len(mails_to(mailoutbox, amira)) == 1


# --- Moderation decisions ------------------------------------------------------------------


def test_approval_and_rejection_are_emailed_to_the_author(
    make_consultation, john, post, moderator_of, mailoutbox, django_capture_on_commit_callbacks
):
    thread = thread_for_page(page=make_consultation(moderation_mode="pre"))
    moderator = moderator_of(thread.institution)
    accepted = post(john, thread, "Water first.")
    refused = post(john, thread, "Buy cheap watches at example.com")
    assert mailoutbox == []  # waiting for a moderator says nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(moderator=moderator, contribution=accepted, action="approve")
    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(
            moderator=moderator, contribution=refused, action="reject", reason="spam",
            note="internal note, never mailed",
        )

    approved_mail, rejected_mail = mailoutbox
    assert approved_mail.to == rejected_mail.to == [john.email]
    assert approved_mail.subject == "Your contribution is published"
    assert "Water first." in approved_mail.body
    assert f"#contribution-{accepted.pk}" in approved_mail.body
    assert rejected_mail.subject == "Your contribution was not published"
    assert "Reason: Spam or advertising" in rejected_mail.body
    assert "Buy cheap watches at example.com" in rejected_mail.body  # to rephrase it
    assert f"#contribution-{refused.pk}" not in rejected_mail.body  # not in the thread
    assert f"http://127.0.0.1:8000{thread.page.url}" in rejected_mail.body
    assert "internal note" not in rejected_mail.body


def test_hiding_and_restoring_are_emailed_with_the_reason(
    thread, john, post, moderator_of, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = moderator_of(thread.institution)
    contribution = post(john, thread, "You are all idiots.")
    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(
            moderator=moderator, contribution=contribution, action="hide", reason="abuse"
        )
    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(moderator=moderator, contribution=contribution, action="restore")

    hidden_mail, restored_mail = mailoutbox
    assert hidden_mail.subject == "Your contribution was removed by moderation"
    assert "Reason: Insults, threats or hate" in hidden_mail.body
    assert "You are all idiots." in hidden_mail.body
    assert restored_mail.subject == "Your contribution is visible again"
    assert "Reason:" not in restored_mail.body


def test_a_decision_is_written_in_the_authors_language_not_the_moderators(
    thread, karim, post, moderator_of, mailoutbox, django_capture_on_commit_callbacks
):
    moderator = moderator_of(thread.institution, preferred_language="ar")
    contribution = post(karim, thread)
    with translation.override("ar"), django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(
            moderator=moderator, contribution=contribution, action="hide", reason="off_topic"
        )
    assert mailoutbox[0].body.startswith("Bonjour \u2068Karim\u2069,")
    assert "http://127.0.0.1:8000/fr/accounts/notifications/" in mailoutbox[0].body


@pytest.mark.parametrize("action", ["pin", "mark_official", "dismiss_flags"])
def test_other_moderator_actions_send_nothing(
    thread, john, karim, post, moderator_of, mailoutbox, django_capture_on_commit_callbacks,
    action,
):
    contribution = post(john, thread)
    contribution_flag(user=karim, contribution=contribution, reason="off_topic")
    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(
            moderator=moderator_of(thread.institution), contribution=contribution, action=action
        )
    assert mailoutbox == []


def test_no_moderation_email_for_who_turned_them_off(
    thread, john, post, moderator_of, mailoutbox, django_capture_on_commit_callbacks
):
    john.notify_moderation = False
    john.save()
    contribution = post(john, thread)
    with django_capture_on_commit_callbacks(execute=True):
        contribution_moderate(
            moderator=moderator_of(thread.institution), contribution=contribution,
            action="hide", reason="spam",
        )
    assert mailoutbox == []


# --- Consultations closing soon ------------------------------------------------------------


@pytest.fixture
def consultations(make_consultation):
    return {
        "closing": make_consultation(title="Code de l'eau", closes_in=2),
        "later": make_consultation(title="Plus tard", closes_in=10),
        "closed": make_consultation(title="Fermée", opens_in=-10, closes_in=-1),
        "upcoming": make_consultation(title="À venir", opens_in=1, closes_in=2),
    }


def test_followers_of_a_consultation_closing_soon_are_reminded_once(
    consultations, karim, john, user_factory, mailoutbox
):
    quiet = user_factory(notify_closing_soon=False)
    for user in (karim, john, quiet):
        for consultation in consultations.values():
            consultation_follow(user=user, consultation=consultation)

    assert closing_soon_send(days=3) == 2
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([karim.email, john.email])
    mail = mails_to(mailoutbox, karim)[0]
    closing = consultations["closing"]
    assert "Code de l'eau" in mail.subject
    assert mail.body.startswith("Bonjour \u2068Karim\u2069,")
    assert format_moment(closing.closes_at, closing.institution.time_zone, "fr") in mail.body
    assert f"http://127.0.0.1:8000{closing.url}" in mail.body
    assert "http://127.0.0.1:8000/fr/accounts/notifications/" in mail.body

    assert closing_soon_send(days=3) == 0  # a second run sends nothing
    assert len(mailoutbox) == 2


def test_a_follower_who_turns_reminders_back_on_in_time_is_reminded(
    consultations, user_factory, mailoutbox
):
    quiet = user_factory(notify_closing_soon=False)
    consultation_follow(user=quiet, consultation=consultations["closing"])
    assert closing_soon_send(days=3) == 0
    quiet.notify_closing_soon = True
    quiet.save()
    assert closing_soon_send(days=3) == 1


def test_the_reminder_is_in_the_followers_language(make_consultation, amira, mailoutbox):
    consultation = make_consultation(language="fr", title="Code de l'eau", closes_in=2)
    arabic = page_translation_ensure(
        page=consultation, locale=Locale.objects.get(language_code="ar"), title="مجلة المياه"
    )
    consultation_follow(user=amira, consultation=consultation)
    # Following the Arabic translation as well still makes one email.
    consultation_follow(user=amira, consultation=arabic)

    assert closing_soon_send(days=3) == 1
    (mail,) = mailoutbox
    assert "مجلة المياه" in mail.subject
    assert mail.body.startswith("مرحبًا \u2068Amira\u2069،")
    moment = format_moment(consultation.closes_at, consultation.institution.time_zone, "ar")
    assert moment != format_moment(consultation.closes_at, consultation.institution.time_zone, "fr")
    assert moment in mail.body  # Arabic month name
    assert f"http://127.0.0.1:8000{arabic.url}" in mail.body
    assert ConsultationFollow.objects.filter(closing_reminder_sent_at__isnull=True).count() == 0


def test_the_window_is_chosen_in_days(consultations, karim, mailoutbox):
    consultation_follow(user=karim, consultation=consultations["later"])
    assert closing_soon_send(days=3) == 0
    assert closing_soon_send(days=11) == 1
    assert "Plus tard" in mailoutbox[0].subject


def test_a_reminder_that_could_not_be_sent_is_sent_by_the_next_run(
    consultations, karim, john, mailoutbox, monkeypatch
):
    consultation_follow(user=karim, consultation=consultations["closing"])
    consultation_follow(user=john, consultation=consultations["closing"])
    real_send = account_mail.send_mail

    def failing_for_karim(**kwargs):
        if kwargs["recipient_list"] == [karim.email]:
            raise ConnectionError("SMTP server went away")
        return real_send(**kwargs)

    monkeypatch.setattr(account_mail, "send_mail", failing_for_karim)
    assert closing_soon_send(days=3) == 1
    assert [mail.to for mail in mailoutbox] == [[john.email]]

    monkeypatch.setattr(account_mail, "send_mail", real_send)
    assert closing_soon_send(days=3) == 1
    assert [mail.to for mail in mailoutbox] == [[john.email], [karim.email]]


def test_reminder_queries_do_not_multiply_with_followers(consultations, user_factory):
    def run(followers: int) -> int:
        ConsultationFollow.objects.all().delete()
        for _ in range(followers):
            consultation_follow(user=user_factory(), consultation=consultations["closing"])
        with CaptureQueriesContext(connection) as queries:
            assert closing_soon_send(days=3) == followers
        return len(queries)

    small, large = run(2), run(12)
    assert large - small <= 10  # one claim per follower, nothing more


def test_the_cron_command_prints_how_many_were_sent(consultations, karim, mailoutbox):
    consultation_follow(user=karim, consultation=consultations["later"])
    out = io.StringIO()
    call_command("send_closing_reminders", "--days", "11", stdout=out)
    assert "1 closing reminder(s) sent." in out.getvalue()
    out = io.StringIO()
    call_command("send_closing_reminders", "--days", "11", stdout=out)
    assert "0 closing reminder(s) sent." in out.getvalue()
    assert len(mailoutbox) == 1


def test_the_cron_command_uses_the_configured_window(consultations, karim, settings, mailoutbox):
    consultation_follow(user=karim, consultation=consultations["later"])
    call_command("send_closing_reminders", stdout=io.StringIO())
    assert mailoutbox == []  # default: 3 days
    settings.CONSULTATIONS_CLOSING_REMINDER_DAYS = 11
    call_command("send_closing_reminders", stdout=io.StringIO())
    assert len(mailoutbox) == 1


def test_reminders_use_the_time_of_the_run(consultations, karim, mailoutbox):
    consultation_follow(user=karim, consultation=consultations["later"])
    nine_days_on = timezone.now() + datetime.timedelta(days=9)
    assert closing_soon_send(days=3, now=nine_days_on) == 1
    assert ConsultationFollow.objects.get().closing_reminder_sent_at == nine_days_on
