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


def normalise_text(text: str) -> str:
    """Unix line breaks, no trailing spaces, no control characters, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
