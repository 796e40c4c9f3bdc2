"""Sanitisation: whatever a citizen types, the stored text is theirs and the HTML is harmless.

Each payload is checked on the renderer and posted through ``contribution_post``; the thread
page's rendering of the same payloads is tested with the views.
"""

import re
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from deliberation import services
from deliberation.markup import LINK_REL, normalise_text, render_markup
from deliberation.models import Contribution
from tests.deliberation.payloads import XSS_PAYLOADS

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# Any "<" in the output must open or close one of the allowed tags.
TAG_START = re.compile(r"<(?!/?(?:p|br|ul|ol|li|a)[\s>])")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)

    def unknown_decl(self, data):
        self.comments.append(data)


def assert_harmless(html: str) -> None:
    assert TAG_START.search(html) is None, html
    assert "<script" not in html.lower(), html
    parser = _Collector()
    parser.feed(html)
    parser.close()
    assert not parser.comments, html
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, html
        names = {name for name, _ in attrs}
        assert names <= ({"href", "rel"} if tag == "a" else set()), html
        for name, value in attrs:
            if name == "href":
                assert urlsplit(value.strip()).scheme.lower() in SAFE_SCHEMES, html
            if name == "rel":
                assert value == LINK_REL, html


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p><a href="javascript:alert(1)">x</a></p>',
        '<p><a href="https://ok.example" onclick="alert(1)">x</a></p>',
        '<p title="x">x</p>',
        "<p><!-- <script> --></p>",
        "<svg onload=alert(1)>",
    ],
)
def test_the_check_itself_catches_dangerous_html(html):
    with pytest.raises(AssertionError):
        assert_harmless(html)


def test_there_are_at_least_thirty_payloads():
    assert len(set(XSS_PAYLOADS)) >= 30


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_renders_harmless(payload):
    assert_harmless(render_markup(payload))


@pytest.mark.django_db
def test_payloads_posted_are_stored_as_written_and_rendered_harmless(
    thread, user_factory, settings
):
    settings.DELIBERATION_NEW_ACCOUNT_PREMODERATED = 0
    settings.DELIBERATION_POST_RATE_PER_ACCOUNT = ["1000/minute"]
    author = user_factory(display_name="<script>alert('name')</script>")
    for payload in XSS_PAYLOADS:
        result = services.contribution_post(
            author=author, thread=thread, body=payload, idempotency_key=uuid.uuid4(), language="fr"
        )
        stored = Contribution.objects.get(pk=result.contribution.pk)
        assert stored.body == normalise_text(payload), payload
        assert stored.body, payload  # never lost
        assert_harmless(stored.body_html)
    assert Contribution.objects.filter(thread=thread).count() == len(XSS_PAYLOADS)


def test_text_that_looks_like_html_is_shown_as_text():
    assert render_markup("<b>gras</b> & <i>co</i>") == (
        "<p>&lt;b&gt;gras&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;</p>"
    )


def test_null_bytes_and_control_characters_are_dropped_line_breaks_normalised():
    assert normalise_text("  un\x00 deux\x07\r\ntrois   \r\n\r\n") == "un deux\ntrois"


# --- What the small markup does -------------------------------------------------------------------


def test_links_open_safely():
    html = render_markup("Voir https://example.tn/projet?id=1&x=2 et www.example.tn, merci.")
    rel = 'rel="nofollow ugc noopener noreferrer"'
    assert html == (
        f'<p>Voir <a href="https://example.tn/projet?id=1&amp;x=2" {rel}>'
        "https://example.tn/projet?id=1&amp;x=2</a> et "
        f'<a href="http://www.example.tn" {rel}>www.example.tn</a>, merci.</p>'
    )


def test_email_addresses_become_mailto_links():
    assert render_markup("Écrire à baladiya@example.tn") == (
        '<p>Écrire à <a href="mailto:baladiya@example.tn" rel="nofollow ugc noopener noreferrer">'
        "baladiya@example.tn</a></p>"
    )


def test_line_breaks_and_paragraphs():
    assert render_markup("Première ligne\nseconde ligne\n\n\nNouveau paragraphe") == (
        "<p>Première ligne<br>seconde ligne</p><p>Nouveau paragraphe</p>"
    )


def test_bulleted_and_numbered_lists():
    text = "Trois points :\n- l'eau\n* les routes\n• les écoles\n\n1. d'abord\n2) ensuite"
    assert render_markup(text) == (
        "<p>Trois points :</p><ul><li>l'eau</li><li>les routes</li><li>les écoles</li></ul>"
        "<ol><li>d'abord</li><li>ensuite</li></ol>"
    )


def test_arabic_text_with_arabic_indic_numbered_list():
    text = "المقترحات:\n١. الماء\n٢. الطرق"
    assert render_markup(text) == "<p>المقترحات:</p><ol><li>الماء</li><li>الطرق</li></ol>"


def test_a_list_item_keeps_its_link():
    html = render_markup("- https://example.tn")
    assert html == (
        '<ul><li><a href="https://example.tn" rel="nofollow ugc noopener noreferrer">'
        "https://example.tn</a></li></ul>"
    )


# --- Bidi controls and lone surrogates (issue 14, items 5 and 7) ---------------------------------

RLO, PDF, LRI, PDI, LRM, RLM, ALM = "\u202e", "\u202c", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"


def test_bidi_overrides_and_isolates_are_stripped_so_a_link_reads_as_it_goes():
    text = f"Voir https://example.tn/{RLO}gnp.exe et {LRI}x{PDI} {PDF}fin"
    assert normalise_text(text) == "Voir https://example.tn/gnp.exe et x fin"
    html = render_markup(text)
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert control not in html
    assert 'href="https://example.tn/gnp.exe"' in html


def test_arabic_text_and_its_direction_marks_are_kept():
    text = f"قرأت المشروع{RLM}: الفصل 3 (article 3){LRM} جيد{ALM}."
    assert normalise_text(text) == text
    assert text in render_markup(text)


def test_a_lone_surrogate_becomes_a_replacement_character_in_rendering():
    assert render_markup("\ud800 x") == "<p>\ufffd x</p>"


def test_posting_a_lone_surrogate_is_a_clear_refusal_and_stores_nothing(thread, trusted_citizen):
    from django.utils import translation

    with translation.override("en"), pytest.raises(services.Invalid) as refused:
        services.contribution_post(
            author=trusted_citizen, thread=thread, body="\ud800 x", idempotency_key=uuid.uuid4()
        )
    assert refused.value.field == "body" and "invalid character" in refused.value.message
    assert not Contribution.objects.exists()
