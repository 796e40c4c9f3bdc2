"""The draft's sections as plain data: what pages render, versions store and diffs compare."""

import re
from dataclasses import asdict, dataclass

from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    id: str          # the StreamField block id: stable across revisions
    number: int      # 1-based position in this version
    heading: str
    html: str        # rendered body and sub-paragraphs (trusted: editors' rich text)
    text: str        # plain text of the same, for diffs and search

    @property
    def anchor(self) -> str:
        return f"section-{self.id}"

    def as_dict(self) -> dict:
        return asdict(self)


def html_to_text(html: str) -> str:
    text = strip_tags(BLOCK_END.sub(lambda m: m.group(0) + "\n", html))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def draft_sections(draft) -> list[Section]:
    """Sections of a draft StreamValue, numbered in order."""
    sections = []
    for number, child in enumerate((c for c in draft if c.block_type == "section"), start=1):
        value = child.value
        parts = [expand_db_html(value["body"].source)]
        parts += [
            f'<div class="draft-paragraph"><span class="draft-paragraph__number">{number}.{i}</span>'
            f"{expand_db_html(p.source)}</div>"
            for i, p in enumerate(value["paragraphs"], start=1)
        ]
        html = "".join(parts)
        sections.append(
            Section(id=child.id, number=number, heading=value["heading"], html=html, text=html_to_text(html))
        )
    return sections


def sections_from_snapshot(snapshot: list[dict]) -> list[Section]:
    return [Section(**item) for item in snapshot]
