"""Watched words: what moderators list is blocked, held or flagged, however it is spelt."""

import datetime
import uuid

import pytest

from deliberation import services
from deliberation.models import (
    Contribution,
    Flag,
    ModerationAction,
    ModerationActionKind as Kind,
    Reason,
    Status,
    WatchedWord,
    WatchedWordAction,
)
from deliberation.services import Blocked
from deliberation.watched import watched_words_match

pytestmark = pytest.mark.django_db


def watch(phrase: str, action: str = WatchedWordAction.HOLD, language: str = "") -> WatchedWord:
    return WatchedWord.objects.create(phrase=phrase, action=action, language=language)


def matched(text: str, language: str = "ar") -> tuple[str, ...]:
    match = watched_words_match(text=text, language=language)
    return match.phrases if match else ()


# --- Matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "أنت أحمق",  # as listed
        "أنت احمق",  # bare alef
        "أنت إحمق",  # hamza below
        "أنت آحمق",  # madda
        "أنت ٱحمق",  # alef wasla
        "أنتَ أَحْمَقُ",  # diacritics
        "أنت أحـــمق",  # tatweel
        "أحمق!",  # punctuation, start of text
        "قال: «أحمق»",  # quotes, end of text
    ],
)
def test_arabic_alef_hamza_forms_diacritics_and_tatweel_are_one_spelling(text):
    watch("أحمق")
    assert matched(text) == ("أحمق",)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("كلمة بذيئة", "هذه كلمه بذيئه حقا"),  # taa marbuta written as haa
        ("كلمه بذيئه", "هذه كلمة بذيئة حقا"),  # and the other way round
        ("فوضى", "هذه فوضي"),  # alef maqsura written as yaa
        ("كلمة بذيئة", "هذه كلمة\n  بذيئة"),  # any run of spaces between the words
    ],
)
def test_taa_marbuta_alef_maqsura_and_spacing_are_folded(phrase, text):
    watch(phrase)
    assert matched(text) == (phrase,)


@pytest.mark.parametrize(
    "text", ["C'est une ARNAQUE.", "arnaque", "Arnaque, vraiment", "une arnâque"]
)
def test_latin_case_and_accents_are_ignored(text):
    watch("Arnaque")
    assert matched(text, "fr") == ("Arnaque",)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("idiot", "Une idiotie administrative."),
        ("idiot", "Les idiots."),
        ("حمق", "أنت أحمق"),  # inside a longer word
        ("أحمق", "الأحمقون"),
        ("bad word", "badword"),
    ],
)
def test_only_whole_words_match(phrase, text):
    watch(phrase)
    assert matched(text, "fr") == ()
    assert matched(text, "ar") == ()


def test_entries_apply_to_their_language_or_to_all():
    watch("arnaque", language="fr")
    watch("scam", language="")
    watch("mabrouk", language="ar")  # an Arabic-list entry in Latin letters
    assert matched("une arnaque", "fr") == ("arnaque",)
    # French written from the Arabic page is still French: its script says so.
    assert matched("une arnaque", "ar") == ("arnaque",)
    # The Arabic list applies to Arabic pages and Arabic letters, not to Latin text elsewhere.
    assert matched("mabrouk", "ar") == ("mabrouk",)
    assert matched("mabrouk", "fr") == ()
    for language in ("ar", "fr", "en", ""):
        assert matched("a scam", language) == ("scam",)


def test_the_most_severe_action_wins_and_names_its_words():
    watch("pub", WatchedWordAction.FLAG)
    watch("spam", WatchedWordAction.HOLD)
    watch("escroc", WatchedWordAction.BLOCK)
    watch("voleur", WatchedWordAction.BLOCK)
    match = watched_words_match(text="pub spam escroc voleur", language="fr")
    assert match.action == WatchedWordAction.BLOCK
    assert set(match.phrases) == {"escroc", "voleur"}
    assert watched_words_match(text="pub spam", language="fr").action == WatchedWordAction.HOLD
    assert watched_words_match(text="pub", language="fr").action == WatchedWordAction.FLAG
    assert watched_words_match(text="rien", language="fr") is None


def test_phrases_with_regex_characters_are_matched_literally():
    watch("$$$", WatchedWordAction.FLAG)
    watch("a.b", WatchedWordAction.FLAG)
    assert matched("gagnez $$$ vite", "fr") == ("$$$",)
    assert matched("axb", "fr") == ()


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("escroc", "un esc\u200broc"),  # zero-width space
        ("escroc", "un es\u00adcroc"),  # soft hyphen
        ("escroc", "un escr\u200doc"),  # zero-width joiner
        ("escroc", "un \u202eescroc"),  # right-to-left override
        ("أحمق", "أنت أح\u200cمق"),  # zero-width non-joiner
    ],
)
def test_invisible_characters_do_not_hide_a_word(phrase, text):
    watch(phrase, WatchedWordAction.BLOCK)
    assert matched(text, "fr") == (phrase,)


# --- Through posting ------------------------------------------------------------------------------


@pytest.fixture
def author(user_factory, settings):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    return user_factory(display_name="Karim")


@pytest.fixture
def moderator(moderator_of, site):
    return moderator_of(site["institution"]["fr"])


def test_a_blocked_word_refuses_the_contribution_and_saves_nothing(author, thread, post, settings):
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["1/minute"]
    watch("escroc", WatchedWordAction.BLOCK)
    with pytest.raises(Blocked) as error:
        post(author, thread, "Le maire est un ESCROC.")
    assert "escroc" in error.value.message
    assert error.value.field == "body" and error.value.status == 400
    assert not Contribution.objects.exists()
    assert not ModerationAction.objects.exists()
    # The refused attempt did not use up the author's posting allowance either.
    assert post(author, thread, "Le maire devrait rendre des comptes.").status == Status.PUBLISHED


def test_a_blocked_arabic_word_is_caught_in_any_spelling(author, thread, post):
    watch("أحمق", WatchedWordAction.BLOCK, language="ar")
    with pytest.raises(Blocked):
        post(author, thread, "أنتَ إحْمَق", language="ar")
    # Arabic letters are Arabic whatever page they are posted from.
    with pytest.raises(Blocked):
        post(author, thread, "أنت إحمق", language="fr")


def test_a_held_word_waits_for_a_moderator_and_is_logged(author, thread, post):
    watch("pot-de-vin", WatchedWordAction.HOLD, language="fr")
    contribution = post(author, thread, "On parle de pot-de-vin ici.")
    assert Contribution.objects.get(pk=contribution.pk).status == Status.PENDING
    [entry] = ModerationAction.objects.all()
    assert (entry.action, entry.actor, entry.contribution, entry.note) == (
        Kind.AUTO_HOLD, None, contribution, "pot-de-vin"
    )
    assert entry.subject == author and entry.thread == thread


def test_a_moderators_own_text_is_not_held(moderator, thread, post):
    watch("pot-de-vin", WatchedWordAction.HOLD)
    contribution = post(moderator, thread, "Aucun pot-de-vin n'a été versé.")
    assert contribution.status == Status.PUBLISHED
    assert not ModerationAction.objects.exists()


def test_a_flagged_word_is_published_with_an_open_flag_and_logged(author, thread, post):
    watch("arnaque", WatchedWordAction.FLAG)
    contribution = post(author, thread, "Ce projet est une arnaque.")
    stored = Contribution.objects.get(pk=contribution.pk)
    assert (stored.status, stored.open_flag_count) == (Status.PUBLISHED, 1)
    [flag] = Flag.objects.all()
    assert (flag.user, flag.reason, flag.note, flag.reviewed_at) == (
        None, Reason.OTHER, "arnaque", None
    )
    [entry] = ModerationAction.objects.all()
    assert (entry.action, entry.actor, entry.contribution, entry.note) == (
        Kind.AUTO_FLAG, None, contribution, "arnaque"
    )


def test_a_clean_text_triggers_nothing(author, thread, post):
    watch("arnaque", WatchedWordAction.FLAG)
    watch("escroc", WatchedWordAction.BLOCK)
    contribution = post(author, thread, "Un avis nuancé sur les arnaques financières.")
    assert contribution.status == Status.PUBLISHED
    assert not Flag.objects.exists() and not ModerationAction.objects.exists()


# --- Through editing ------------------------------------------------------------------------------


def _edit(contribution, body):
    return services.contribution_edit(
        contribution=contribution,
        editor=contribution.author,
        body=body,
        now=contribution.created_at + datetime.timedelta(minutes=1),
    )


def test_an_edit_with_a_blocked_word_is_refused_and_the_text_kept(author, thread, post):
    watch("escroc", WatchedWordAction.BLOCK)
    contribution = post(author, thread, "Avis.")
    with pytest.raises(Blocked):
        _edit(contribution, "Avis: escroc.")
    assert Contribution.objects.get(pk=contribution.pk).body == "Avis."
    assert not contribution.revisions.exists()


def test_an_edit_with_a_held_word_takes_the_contribution_back_to_moderation(author, thread, post):
    watch("pot-de-vin", WatchedWordAction.HOLD)
    contribution = post(author, thread, "Avis.")
    _edit(contribution, "Avis: pot-de-vin.")
    assert Contribution.objects.get(pk=contribution.pk).status == Status.PENDING
    assert ModerationAction.objects.get().action == Kind.AUTO_HOLD


def test_an_edit_with_a_flagged_word_is_flagged_like_a_new_post(author, thread, post):
    watch("arnaque", WatchedWordAction.FLAG)
    contribution = post(author, thread, "Avis.")
    _edit(contribution, "Avis: arnaque.")
    stored = Contribution.objects.get(pk=contribution.pk)
    assert (stored.status, stored.open_flag_count) == (Status.PUBLISHED, 1)
    assert Flag.objects.get().note == "arnaque"
    assert ModerationAction.objects.get().action == Kind.AUTO_FLAG
    # Editing again with the word still there adds no second automatic flag.
    _edit(stored, "Avis: arnaque, vraiment.")
    assert Flag.objects.count() == 1
    assert Contribution.objects.get(pk=contribution.pk).open_flag_count == 1


def test_idempotency_key_is_unaffected_by_watched_words(author, thread):
    watch("arnaque", WatchedWordAction.FLAG)
    same = uuid.uuid4()
    for _ in range(2):
        services.contribution_post(
            author=author, thread=thread, body="Une arnaque.", idempotency_key=same, language="fr"
        )
    assert Contribution.objects.count() == 1
    assert Flag.objects.count() == 1

