"""The moderation queue, log and watched words in the Wagtail admin, as moderators use them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from accounts.models import Suspension
from cms.models import InstitutionPage
from cms.services import institution_group_names, moderator_permissions_grant, page_translation_ensure
from consultations.models import ConsultationPage
from deliberation import conf
from deliberation.models import (
    Contribution,
    ModerationAction,
    ModerationActionKind as Kind,
    Reason,
    Status,
    WatchedWord,
)
from deliberation.services import (
    contribution_flag,
    contribution_moderate,
    thread_for_page,
)
from tests.pages import draft

pytestmark = pytest.mark.django_db

QUEUE = reverse("deliberation_moderation_queue")


def admin_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def act_url(contribution):
    return reverse("deliberation_moderation_act", args=(contribution.pk,))


@pytest.fixture
def world(site, make_consultation, user_factory, moderator_of, settings):
    """Institution A (the test site's) and B, their roles, and a moderator of A."""
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    home = site["home"]["fr"]
    b = home.add_child(instance=InstitutionPage(title="Ministère B", slug="ministere-b", kind="ministry"))
    b.save_revision().publish()
    call_command("setup_institutions", stdout=open("/dev/null", "w"))
    a = site["institution"]["fr"]
    consultation_a = make_consultation(title="Plan eau")
    consultation_b = b.add_child(
        instance=ConsultationPage(
            title="Plan B", slug="plan-b", summary="s",
            opens_at=timezone.now() - datetime.timedelta(days=1),
            closes_at=timezone.now() + datetime.timedelta(days=5),
            draft=draft(("Un", "Texte.")),
        )
    )
    consultation_b.save_revision().publish()
    return {
        "a": a,
        "b": InstitutionPage.objects.get(pk=b.pk),
        "thread_a": thread_for_page(page=consultation_a),
        "thread_b": thread_for_page(page=ConsultationPage.objects.get(pk=consultation_b.pk)),
        "consultation_a": consultation_a,
        # The admin speaks the user's Wagtail language (Arabic by default): English here, so
        # that the assertions read the source strings whatever the catalogs hold.
        "moderator": admin_language(
            moderator_of(a, display_name="Modératrice A", email="mod-a@example.tn"), "en"
        ),
        "author": user_factory(display_name="Karim", email="karim.secret@example.tn"),
        "readers": [user_factory() for _ in range(3)],
    }


def published(post, world, body, **kwargs):
    return post(world["author"], world["thread_a"], body, **kwargs)


def pending(post, user, thread, body):
    contribution = post(user, thread, body)
    Contribution.objects.filter(pk=contribution.pk).update(status=Status.PENDING, published_at=None)
    contribution.refresh_from_db()
    return contribution


def page_text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def queue_items(response) -> set[int]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {int(article["id"].removeprefix("contribution-")) for article in soup.select("article.moderation-item")}


def test_queue_lists_pending_flagged_and_hidden_of_the_moderators_institution_only(client, world, post):
    waiting = pending(post, world["author"], world["thread_a"], "Une proposition en attente.")
    elsewhere = pending(post, world["author"], world["thread_b"], "Ailleurs, chez B.")
    reported = published(post, world, "Un avis signalé.")
    contribution_flag(user=world["readers"][0], contribution=reported, reason=Reason.OFF_TOPIC, note="Rien à voir")
    removed = published(post, world, "Un avis retiré.")
    contribution_moderate(moderator=world["moderator"], contribution=removed, action=Kind.HIDE, reason=Reason.SPAM)
    client.force_login(world["moderator"])

    response = client.get(QUEUE)
    assert response.status_code == 200
    assert queue_items(response) == {waiting.pk}
    text = page_text(response)
    assert "Une proposition en attente." in text and "Karim" in text
    assert "karim.secret@example.tn" not in response.content.decode()
    assert "Plan eau" in text

    flagged = client.get(QUEUE, {"queue": "flagged"})
    assert queue_items(flagged) == {reported.pk}
    assert "Off topic" in page_text(flagged) and "Rien à voir" in page_text(flagged)

    hidden = client.get(QUEUE, {"queue": "hidden"})
    assert queue_items(hidden) == {removed.pk}
    assert "Spam or advertising" in page_text(hidden)

    everything = client.get(QUEUE, {"queue": "all"})
    assert elsewhere.pk not in queue_items(everything)
    assert {waiting.pk, reported.pk, removed.pk} <= queue_items(everything)


def test_items_link_to_the_contribution_on_the_site(client, world, post):
    waiting = pending(post, world["author"], world["thread_a"], "À voir sur le site.")
    client.force_login(world["moderator"])
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    link = soup.select_one(f"#contribution-{waiting.pk} a[href*='#contribution-{waiting.pk}']")
    assert link is not None and link.get_text(strip=True) == "Plan eau"
    assert link["href"].startswith(world["consultation_a"].url)


def test_items_in_a_section_thread_name_the_section(client, world, post):
    consultation = world["consultation_a"]
    section = consultation.sections[1]
    section_thread = thread_for_page(page=consultation, section_id=section.id)
    waiting = pending(post, world["author"], section_thread, "Sur la deuxième section.")
    client.force_login(world["moderator"])
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    item = soup.select_one(f"#contribution-{waiting.pk}")
    assert "Section: 2. Priorités" in item.get_text(" ", strip=True)
    link = item.select_one(f"a[href$='#contribution-{waiting.pk}']")
    assert f"/sections/{section.id}/" in link["href"]


def test_only_applicable_buttons_are_offered(client, world, post):
    waiting = pending(post, world["author"], world["thread_a"], "En attente.")
    shown = published(post, world, "Publié.")
    client.force_login(world["moderator"])

    def buttons(queue, contribution):
        soup = BeautifulSoup(client.get(QUEUE, {"queue": queue}).content, "html.parser")
        return {b["value"] for b in soup.select(f"#contribution-{contribution.pk} button[name=action]")}

    assert buttons("pending", waiting) == {"approve", "reject", "lock"}
    assert buttons("all", shown) == {"hide", "pin", "mark_official", "lock"}


def _setup_for(action, post, world):
    """A contribution in the state the action applies to."""
    if action in (Kind.APPROVE, Kind.REJECT):
        return pending(post, world["author"], world["thread_a"], "À modérer.")
    contribution = published(post, world, "À modérer.")
    moderator = world["moderator"]
    if action == Kind.RESTORE:
        contribution_moderate(moderator=moderator, contribution=contribution, action=Kind.HIDE, reason=Reason.ABUSE)
    elif action == Kind.DISMISS_FLAGS:
        contribution_flag(user=world["readers"][0], contribution=contribution, reason=Reason.SPAM)
    elif action == Kind.UNPIN:
        contribution_moderate(moderator=moderator, contribution=contribution, action=Kind.PIN)
    elif action == Kind.UNMARK_OFFICIAL:
        contribution_moderate(moderator=moderator, contribution=contribution, action=Kind.MARK_OFFICIAL)
    contribution.refresh_from_db()
    return contribution


EXPECTED = {
    Kind.APPROVE: lambda c: c.status == Status.PUBLISHED,
    Kind.REJECT: lambda c: c.status == Status.REJECTED and c.reason == Reason.PERSONAL_DATA,
    Kind.HIDE: lambda c: c.status == Status.HIDDEN and c.reason == Reason.PERSONAL_DATA,
    Kind.RESTORE: lambda c: c.status == Status.PUBLISHED and c.reason == "",
    Kind.DISMISS_FLAGS: lambda c: c.status == Status.PUBLISHED and c.open_flag_count == 0,
    Kind.PIN: lambda c: c.pinned,
    Kind.UNPIN: lambda c: not c.pinned,
    Kind.MARK_OFFICIAL: lambda c: c.official,
    Kind.UNMARK_OFFICIAL: lambda c: not c.official,
}


@pytest.mark.parametrize("action", list(EXPECTED))
def test_each_button_acts_and_writes_the_audit_log(client, world, post, action):
    contribution = _setup_for(action, post, world)
    client.force_login(world["moderator"])
    back = f"{QUEUE}?queue=all&reason=&older_than="
    page = client.get(back)
    assert action.value in {b["value"] for b in BeautifulSoup(page.content, "html.parser").select(
        f"#contribution-{contribution.pk} button[name=action]"
    )}

    response = client.post(
        act_url(contribution),
        {"action": action.value, "reason": Reason.PERSONAL_DATA, "note": "Vu en réunion", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    contribution.refresh_from_db()
    assert EXPECTED[action](contribution)
    entry = ModerationAction.objects.filter(action=action).get()
    assert entry.actor == world["moderator"]
    assert entry.contribution == contribution
    assert entry.note == "Vu en réunion"
    assert entry.reason == (Reason.PERSONAL_DATA if action in (Kind.REJECT, Kind.HIDE) else "")
    with translation.override("en"):
        message = f"Contribution #{contribution.pk}: {action.label}."
    assert message in page_text(client.get(back))


def test_lock_and_unlock_the_thread(client, world, post):
    contribution = published(post, world, "Dans le fil.")
    client.force_login(world["moderator"])
    lock = reverse("deliberation_moderation_lock", args=(world["thread_a"].pk,))

    client.post(lock, {"action": "lock", "note": "Trop de messages", "next": QUEUE})
    world["thread_a"].refresh_from_db()
    assert world["thread_a"].locked
    entry = ModerationAction.objects.get(action=Kind.LOCK)
    assert entry.actor == world["moderator"] and entry.thread == world["thread_a"]
    assert entry.note == "Trop de messages"
    assert "Thread locked" in page_text(client.get(QUEUE))

    soup = BeautifulSoup(client.get(QUEUE, {"queue": "all"}).content, "html.parser")
    assert soup.select_one(f"#contribution-{contribution.pk} button[value=unlock]") is not None
    client.post(lock, {"action": "unlock", "next": QUEUE})
    world["thread_a"].refresh_from_db()
    assert not world["thread_a"].locked
    assert ModerationAction.objects.filter(action=Kind.UNLOCK, actor=world["moderator"]).exists()


def test_suspend_the_author(client, world, post):
    contribution = published(post, world, "Insultant.")
    client.force_login(world["moderator"])
    response = client.post(
        reverse("deliberation_moderation_suspend", args=(contribution.pk,)),
        {"days": "10", "reason": Reason.ABUSE, "note": "Récidive", "next": QUEUE},
    )
    assert response.status_code == 302
    suspension = Suspension.objects.get(user=world["author"])
    assert suspension.reason == Reason.ABUSE
    assert suspension.ends_at - suspension.starts_at == datetime.timedelta(days=10)
    entry = ModerationAction.objects.get(action=Kind.SUSPEND)
    assert entry.actor == world["moderator"] and entry.contribution == contribution
    assert entry.subject == world["author"] and entry.reason == Reason.ABUSE and entry.note == "Récidive"
    assert "\u2068Karim\u2069 cannot post or react until" in page_text(client.get(QUEUE))


def test_a_refused_action_shows_why_and_changes_nothing(client, world, post):
    waiting = pending(post, world["author"], world["thread_a"], "En attente.")
    client.force_login(world["moderator"])
    response = client.post(act_url(waiting), {"action": "reject", "reason": "", "next": QUEUE}, follow=True)
    assert "Choose the public reason for this decision." in page_text(response)
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING
    assert not ModerationAction.objects.filter(actor=world["moderator"]).exists()

    response = client.post(
        reverse("deliberation_moderation_suspend", args=(waiting.pk,)),
        {"days": "900", "reason": Reason.SPAM, "next": QUEUE},
        follow=True,
    )
    assert "Nothing was changed." in page_text(response)
    assert not Suspension.objects.exists()


def test_acting_on_another_institutions_item_is_refused(client, world, post):
    theirs = pending(post, world["author"], world["thread_b"], "Chez B.")
    client.force_login(world["moderator"])

    response = client.post(act_url(theirs), {"action": "approve", "next": QUEUE}, follow=True)
    assert "You do not moderate this discussion." in page_text(response)
    client.post(reverse("deliberation_moderation_lock", args=(world["thread_b"].pk,)), {"action": "lock"})
    client.post(
        reverse("deliberation_moderation_suspend", args=(theirs.pk,)),
        {"days": "3", "reason": Reason.SPAM},
    )

    theirs.refresh_from_db()
    world["thread_b"].refresh_from_db()
    assert theirs.status == Status.PENDING
    assert not world["thread_b"].locked
    assert not Suspension.objects.exists()
    assert not ModerationAction.objects.exists()


def test_citizens_and_editors_cannot_reach_the_queue(client, world, post, citizen):
    waiting = pending(post, world["author"], world["thread_a"], "En attente.")
    client.force_login(citizen)
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
    client.post(act_url(waiting), {"action": "approve"})

    editor = world["readers"][1]
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name=institution_group_names(world["a"])[0]))
    client.force_login(editor)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "En attente." not in page_text(client.get(QUEUE, follow=True))
    client.post(act_url(waiting), {"action": "approve"})

    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING
    assert not ModerationAction.objects.exists()


def test_the_menu_shows_moderation_to_moderators_only(client, world):
    client.force_login(world["moderator"])
    assert QUEUE in client.get(reverse("wagtailadmin_home")).content.decode()
    editor = world["readers"][1]
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name=institution_group_names(world["a"])[0]))
    client.force_login(editor)
    assert QUEUE not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_queue_works_in_the_arabic_admin(client, world, post):
    pending(post, world["author"], world["thread_a"], "رأي في انتظار المراجعة")
    admin_language(world["moderator"], "ar")
    client.force_login(world["moderator"])
    response = client.get(QUEUE)
    html = BeautifulSoup(response.content, "html.parser").html
    assert html["lang"] == "ar" and html["dir"] == "rtl"
    assert "رأي في انتظار المراجعة" in page_text(response)


def test_filters_by_discussion_reason_and_age(client, world, post, make_consultation):
    other_thread = thread_for_page(page=make_consultation(title="Plan vélo"))
    old = pending(post, world["author"], world["thread_a"], "Ancien.")
    Contribution.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=30))
    recent = pending(post, world["author"], world["thread_a"], "Récent.")
    on_bikes = pending(post, world["readers"][2], other_thread, "Sur le vélo.")
    spam = published(post, world, "Publicité.")
    contribution_flag(user=world["readers"][0], contribution=spam, reason=Reason.SPAM)
    abuse = published(post, world, "Insulte.")
    contribution_flag(user=world["readers"][0], contribution=abuse, reason=Reason.ABUSE)
    client.force_login(world["moderator"])

    assert queue_items(client.get(QUEUE)) == {old.pk, recent.pk, on_bikes.pk}
    by_page = client.get(QUEUE, {"page": str(other_thread.translation_key)})
    assert queue_items(by_page) == {on_bikes.pk}
    assert queue_items(client.get(QUEUE, {"older_than": "24"})) == {old.pk}
    flagged_spam = client.get(QUEUE, {"queue": "flagged", "reason": "spam"})
    assert queue_items(flagged_spam) == {spam.pk}
    # Filtering again stays on the same tab.
    soup = BeautifulSoup(flagged_spam.content, "html.parser")
    assert soup.select_one("form.moderation-filters input[name=queue]")["value"] == "flagged"
    by_institution = client.get(QUEUE, {"institution": str(world["a"].translation_key)})
    assert queue_items(by_institution) == {old.pk, recent.pk, on_bikes.pk}


def test_another_institution_is_not_a_filter_choice(client, world, post):
    pending(post, world["author"], world["thread_a"], "À nous.")
    pending(post, world["author"], world["thread_b"], "Chez B.")
    client.force_login(world["moderator"])
    response = client.get(QUEUE, {"institution": str(world["b"].translation_key)})
    assert queue_items(response) == set()
    assert "Select a valid choice" in page_text(response)
    options = BeautifulSoup(client.get(QUEUE).content, "html.parser").select("select[name=institution] option")
    assert {o.get_text(strip=True) for o in options} == {"All institutions", "El Kef Municipality"}


def test_a_platform_moderator_filters_by_institution(client, world, post, admin_user):
    admin_language(admin_user, "en")
    ours = pending(post, world["author"], world["thread_a"], "À A.")
    theirs = pending(post, world["author"], world["thread_b"], "À B.")
    client.force_login(admin_user)
    assert queue_items(client.get(QUEUE)) == {ours.pk, theirs.pk}
    assert queue_items(client.get(QUEUE, {"institution": str(world["b"].translation_key)})) == {theirs.pk}


def test_the_queue_is_paginated_and_keeps_filters(client, world, post, user_factory):
    authors = [user_factory() for _ in range(5)]
    made = [pending(post, authors[n % 5], world["thread_a"], f"Avis {n}.") for n in range(23)]
    client.force_login(world["moderator"])
    first = client.get(QUEUE, {"queue": "pending", "older_than": ""})
    assert len(queue_items(first)) == 20
    soup = BeautifulSoup(first.content, "html.parser")
    next_link = soup.select_one("nav.pagination li.next a")["href"]
    assert "queue=pending" in next_link
    assert next_link.startswith(QUEUE)
    second = client.get(next_link)
    assert queue_items(first) | queue_items(second) == {c.pk for c in made}


def test_items_name_and_link_the_discussion_in_the_moderators_language(client, world, post):
    consultation = world["consultation_a"]
    english = page_translation_ensure(
        page=consultation, locale=Locale.objects.get(language_code="en"), title="Water plan"
    )
    section = consultation.sections[1]
    on_section = pending(
        post, world["author"], thread_for_page(page=consultation, section_id=section.id), "Section."
    )
    on_whole = pending(post, world["author"], world["thread_a"], "Tout le texte.")
    client.force_login(world["moderator"])  # whose admin speaks English
    soup = BeautifulSoup(client.get(QUEUE).content, "html.parser")
    for contribution in (on_section, on_whole):
        link = soup.select_one(f"#contribution-{contribution.pk} a[href*='#contribution-{contribution.pk}']")
        assert link.get_text(strip=True) == "Water plan"
        assert link["href"].startswith(english.url)
    assert f"/sections/{section.id}/" in soup.select_one(f"#contribution-{on_section.pk} a[target]")["href"]


def test_the_queue_costs_the_same_queries_for_two_discussions_or_ten(
    client, world, post, make_consultation, user_factory
):
    authors = [user_factory() for _ in range(10)]
    consultation = world["consultation_a"]
    two = [world["thread_a"], thread_for_page(page=consultation, section_id=consultation.sections[0].id)]
    ten = []
    for n in range(5):
        page = make_consultation(title=f"Plan {n}")
        ten += [thread_for_page(page=page), thread_for_page(page=page, section_id=page.sections[1].id)]
    client.force_login(world["moderator"])

    def queries_for(threads) -> int:
        Contribution.objects.all().delete()
        made = {pending(post, authors[n], threads[n % len(threads)], f"Avis {n}.").pk for n in range(10)}
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE)
        assert queue_items(response) == made
        return len(queries)

    queries_for(two)  # the first request warms caches (site root paths, sessions)
    assert queries_for(ten) == queries_for(two)


def test_the_moderation_log_lists_what_the_moderator_moderates(client, world, post, admin_user):
    ours = published(post, world, "Chez A.")
    contribution_moderate(
        moderator=world["moderator"], contribution=ours, action=Kind.HIDE, reason=Reason.SPAM, note="lien douteux"
    )
    theirs = post(world["author"], world["thread_b"], "Chez B.")
    contribution_moderate(moderator=admin_user, contribution=theirs, action=Kind.PIN, note="note de B")
    client.force_login(world["moderator"])
    response = client.get(reverse("deliberation_moderation_log"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = [row.get_text(" ", strip=True) for row in soup.select("tbody tr")]
    assert len(rows) == 1
    assert "Modératrice A" in rows[0] and "Hidden" in rows[0] and f"#{ours.pk}" in rows[0]
    assert "Spam or advertising" in rows[0] and "lien douteux" in rows[0]
    assert "note de B" not in response.content.decode()

    client.force_login(admin_language(admin_user, "en"))
    everything = client.get(reverse("deliberation_moderation_log"))
    assert len(BeautifulSoup(everything.content, "html.parser").select("tbody tr")) == 2
    # The filter drawer refreshes the results through the results URL.
    pins = client.get(reverse("deliberation_moderation_log_results"), {"action": "pin"})
    rows = BeautifulSoup(pins.content, "html.parser").select("tbody tr")
    assert len(rows) == 1 and "note de B" in rows[0].get_text()


@pytest.fixture
def platform_moderator(user_factory):
    """A member of the platform-wide moderators group, set up as seed_demo does."""
    group = Group.objects.create(name=conf.get("DELIBERATION_GLOBAL_MODERATORS_GROUP"))
    moderator_permissions_grant(group)
    user = admin_language(user_factory(is_staff=True, display_name="Modérateur national"), "en")
    user.groups.add(group)
    return user


def test_a_platform_moderator_adds_a_watched_word(client, world, platform_moderator):
    client.force_login(platform_moderator)
    assert reverse("watched_words:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(
        reverse("watched_words:add"), {"phrase": "arnaque", "language": "fr", "action": "hold"}
    )
    assert response.status_code == 302
    word = WatchedWord.objects.get(phrase="arnaque")
    assert word.language == "fr" and word.action == "hold"
    client.post(reverse("watched_words:add"), {"phrase": "gratuit", "language": "", "action": "flag"})
    listing = page_text(client.get(reverse("watched_words:index")))
    assert "arnaque" in listing and "Hold for a moderator's approval" in listing
    assert "gratuit" in listing and "All languages" in listing


def test_an_institutions_moderator_cannot_reach_or_edit_watched_words(client, world, platform_moderator):
    """Watched words apply to every institution's discussions, not only to the moderator's."""
    word = WatchedWord.objects.create(phrase="arnaque", language="", action="hold")
    client.force_login(world["moderator"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert QUEUE in home and reverse("watched_words:index") not in home
    assert client.get(reverse("watched_words:index")).status_code == 302
    client.post(reverse("watched_words:add"), {"phrase": "gratuit", "language": "", "action": "block"})
    client.post(reverse("watched_words:edit", args=(word.pk,)), {"phrase": "arnaque", "language": "", "action": "block"})
    client.post(reverse("watched_words:delete", args=(word.pk,)))
    assert list(WatchedWord.objects.values_list("phrase", "action")) == [("arnaque", "hold")]


def test_citizens_cannot_edit_watched_words(client, world, citizen):
    client.force_login(citizen)
    client.post(reverse("watched_words:add"), {"phrase": "arnaque", "language": "", "action": "block"})
    assert not WatchedWord.objects.exists()
