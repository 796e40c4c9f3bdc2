"""The contributions of a thread as HTML, built in Python.

A thread page may hold thousands of contributions. Through the template engine each one cost
about 0.7 ms (some thirty nodes, filters and translations per item); here the translated
labels are looked up once per page and each contribution is one escaped f-string, so a
thousand render in a few milliseconds (bench/thread_render.py, docs/performance.md). The
markup is the same a template would give; ``includes/thread.html`` places it.

Everything a citizen wrote goes through ``escape`` (names, each isolated in ``<bdi>`` as
``accounts.names.name_html`` does) or is ``body_html``, which
deliberation.markup produced from escaped text and nh3 cleaned; so do the titles and addresses
of the outcomes and decisions that cite a contribution (its badges).
"""

import datetime
import functools
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cms.l10n import format_moment
from deliberation.models import Status
from deliberation.selectors import official_reference


@functools.lru_cache(maxsize=8192)
def _moment(value: datetime.datetime, time_zone: str, language: str) -> str:
    return format_moment(value, time_zone, language)


def moment_text(value: datetime.datetime, time_zone: str, language: str) -> str:
    """When a contribution was posted, to the minute, as its thread shows it (cached: a thread
    has many contributions in the same minutes)."""
    return _moment(value.replace(second=0, microsecond=0), time_zone, language)


def _labels() -> dict[str, str]:
    return {
        key: escape(value)
        for key, value in {
            "edited": _("edited"),
            "official": _("Official reply of the institution"),
            "signed": _("Signed (PDF)"),
            "verify": _("Verify the signature"),
            "pinned": _("Pinned"),
            "pending": _("Awaiting moderation"),
            "agree": _("Agree"),
            "disagree": _("Disagree"),
            "reply": _("Reply"),
            "edit": _("Edit"),
            "report": _("Report"),
            "reported": pgettext("contribution", "Reported"),
            "appeal": _("Appeal this decision"),
        }.items()
    }


def _reason_text(item, template: str) -> str:
    return escape(template % {"reason": item.get_reason_display()})


def render_contributions(
    items, *, viewer, moderator: bool, csrf_token: str, base: str, can_post: bool
) -> SafeString:
    """The ``<li>`` of each contribution, nested as ``selectors._mark_tree`` marked them."""
    page = _Page(
        labels=_labels(),
        removed=_("Removed by moderation: %(reason)s"),
        refused=_("Not published: %(reason)s"),
        signed_in=viewer.is_authenticated,
        csrf=escape(csrf_token),
        base=base,
        can_post=can_post,
        verify=reverse("signatures:verify"),
    )
    out = []
    add = out.append
    for c in items:
        pk = c.pk
        classes = f"contribution contribution--{c.status}"
        if c.official:
            classes += " contribution--official"
        if c.pinned:
            classes += " contribution--pinned"
        if c.mine:
            classes += " contribution--mine"  # (the live client keeps its controls right)
        add(
            f'<li class="{classes}" id="contribution-{pk}" data-path="{c.path}">'
            f'<article class="contribution__card" aria-labelledby="contribution-{pk}-author">'
        )
        if c.status == Status.HIDDEN and not moderator and not c.mine:
            add(
                f'<p class="contribution__removed" id="contribution-{pk}-author">'
                f"{_reason_text(c, page.removed)}</p>"
            )
        else:
            _header(c, page, add)
            add(f'<div class="contribution__text" dir="auto">{c.body_html}</div>')
            _footer(c, page, add)
        add("</article>")
        add('<ol class="thread__replies">' if c.opens_replies else "</li>")
        add("</ol></li>" * len(c.closes))
    return mark_safe("".join(out))


@dataclass(frozen=True, slots=True)
class _Page:
    """What every contribution of one rendering shares: labels and the viewer's standing."""

    labels: dict[str, str]
    removed: str
    refused: str
    signed_in: bool
    csrf: str
    base: str
    can_post: bool
    verify: str  # the signatures' verification page, in the page's language


def _header(c, page: _Page, add) -> None:
    """Author, time and badges (edited, official, pinned, moderation state, citations)."""
    pk, labels = c.pk, page.labels
    add(
        f'<header class="contribution__meta">'
        f'<strong class="contribution__author" id="contribution-{pk}-author">'
        f"<bdi>{escape(c.author_name)}</bdi></strong> "
        f'<a class="contribution__time" href="#contribution-{pk}">'
        f'<time datetime="{c.created_at.isoformat()}">{escape(c.when)}</time></a>'
    )
    if c.edited_at:
        add(f' <span class="contribution__edited">· {labels["edited"]}</span>')
    if c.official:
        add(f' <span class="badge badge--official">{labels["official"]}</span>')
        if c.signed_id is not None:
            query = escape(urlencode({"reference": official_reference(pk), "code": c.signed_code}))
            add(
                f' <a class="badge badge--signed" href="{page.base}{pk}/signed/" download>'
                f'{labels["signed"]}</a> <a class="contribution__verify" href="{page.verify}?{query}">'
                f'{labels["verify"]}</a>'
            )
    if c.pinned:
        add(f' <span class="badge">{labels["pinned"]}</span>')
    if c.status == Status.PENDING:
        add(f' <span class="badge badge--pending">{labels["pending"]}</span>')
    elif c.status == Status.REJECTED:
        add(f' <span class="badge badge--removed">{_reason_text(c, page.refused)}</span>')
    elif c.status == Status.HIDDEN:
        add(f' <span class="badge badge--removed">{_reason_text(c, page.removed)}</span>')
    if c.status == Status.PUBLISHED:
        for citation in getattr(c, "citations", None) or ():
            add(
                f' <a class="badge badge--cited" href="{escape(citation.url)}">'
                f"{escape(citation.label)}</a>"
            )
    add("</header>")


def _footer(c, page: _Page, add) -> None:
    """Reactions and the reply, edit and report links the viewer may use."""
    pk, labels, base = c.pk, page.labels, page.base
    if c.status != Status.PUBLISHED:
        if c.editable:
            add(
                f'<footer class="contribution__actions"><a href="{base}{pk}/edit/">'
                f'{labels["edit"]}</a></footer>'
            )
        elif c.mine and c.status == Status.HIDDEN:  # its author may appeal (once: the page says)
            add(
                f'<footer class="contribution__actions"><a href="{base}{pk}/appeal/">'
                f'{labels["appeal"]}</a></footer>'
            )
        return
    add('<footer class="contribution__actions">')
    if page.signed_in and not c.mine:
        add(
            f'<form method="post" action="{base}{pk}/react/" class="reactions">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{page.csrf}">'
        )
        for kind in ("agree", "disagree"):
            pressed = c.my_reaction == kind
            count = c.agree_count if kind == "agree" else c.disagree_count
            add(
                f'<button type="submit" name="kind" value="{"none" if pressed else kind}" '
                f'class="reaction" aria-pressed="{"true" if pressed else "false"}">'
                f'{labels[kind]} <span class="reaction__count">{count}</span></button>'
            )
        add("</form>")
    else:
        add(
            f'<p class="reactions">{labels["agree"]} <span class="reaction__count">'
            f'{c.agree_count}</span> · {labels["disagree"]} '
            f'<span class="reaction__count">{c.disagree_count}</span></p>'
        )
    if c.can_reply and page.can_post:
        add(f' <a href="{base}{pk}/reply/">{labels["reply"]}</a>')
    if c.editable:
        add(f' <a href="{base}{pk}/edit/">{labels["edit"]}</a>')
    if page.signed_in and not c.mine:
        if c.flagged_by_me:
            add(f' <span class="contribution__flagged">{labels["reported"]}</span>')
        else:
            add(f' <a href="{base}{pk}/flag/">{labels["report"]}</a>')
    add("</footer>")
