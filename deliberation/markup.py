"""Contributions are plain text with a small, safe markup, rendered to HTML on the server.

Blank lines separate paragraphs, a line break stays a line break, lines starting with
"- " or "* " make a bulleted list and "1. " or "1) " a numbered one, and web addresses become
links. Everything else is text: the input is escaped first, and the result goes through nh3
(Ammonia) with an allow-list of exactly the tags this markup produces, so no HTML written by
a citizen ever reaches a page as HTML.
"""

import re

import nh3
from django.utils.html import escape, urlize

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener noreferrer"

BULLET = re.compile(r"^\s*[-*•]\s+(?P<item>.+)$")
NUMBERED = re.compile(r"^\s*[0-9٠-٩]{1,3}[.)]\s+(?P<item>.+)$")
BLANK_LINES = re.compile(r"\n\s*\n")
# Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what
# follows them, so "…/" U+202E "gnp.exe" reads "…/exe.png". Nobody needs them to write: the
# Unicode algorithm lays out Arabic, French and mixed text by itself, and pages isolate each
# contribution (dir="auto"). The marks U+200E, U+200F and U+061C are kept: they only steer
# the neutral characters beside them (punctuation after a Latin word in an Arabic sentence),
# cannot reverse text, and Arabic writers use them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A lone surrogate (U+D800–U+DFFF alone, e.g. JSON "\ud800") is not a character: it cannot
# be encoded, stored or sanitised.
SURROGATES = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    return bool(SURROGATES.search(text or ""))


def normalise_text(text: str) -> str:
    """Unix line breaks, no trailing spaces, no control characters (bidi overrides and
    isolates included), trimmed. A lone surrogate is replaced by U+FFFD (callers that must
    refuse one ask ``has_lone_surrogate`` first)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = SURROGATES.sub("\ufffd", BIDI_CONTROLS.sub("", text))
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _inline(text: str) -> str:
    return urlize(escape(text), nofollow=False, autoescape=False)


def _block(lines: list[str]) -> list[str]:
    html, kind, items, para = [], None, [], []

    def flush_list():
        nonlocal kind, items
        if items:
            html.append(f"<{kind}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{kind}>")
        kind, items = None, []

    def flush_para():
        nonlocal para
        if para:
            html.append("<p>" + "<br>".join(para) + "</p>")
        para = []

    for line in lines:
        for tag, pattern in (("ul", BULLET), ("ol", NUMBERED)):
            match = pattern.match(line)
            if match:
                flush_para()
                if kind != tag:
                    flush_list()
                    kind = tag
                items.append(_inline(match["item"]))
                break
        else:
            flush_list()
            para.append(_inline(line))
    flush_list()
    flush_para()
    return html


def render_markup(text: str) -> str:
    """The safe HTML for a contribution's text."""
    blocks = [block.split("\n") for block in BLANK_LINES.split(normalise_text(text)) if block]
    html = "".join(part for lines in blocks for part in _block(lines))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
