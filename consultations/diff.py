"""What changed between two versions of a draft, section by section, with inline word diffs."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from consultations.sections import Section

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class SectionChange:
    status: str  # "added" | "removed" | "changed" | "unchanged"
    old: Section | None
    new: Section | None
    heading_diff: SafeString
    text_diff: SafeString

    @property
    def section(self) -> Section:
        return self.new or self.old


def inline_diff(old: str, new: str) -> SafeString:
    """Word-level diff as HTML: removed words in <del>, added in <ins>, everything escaped."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped


def _plain(text: str) -> SafeString:
    return mark_safe(escape(text).replace("\n", "<br>"))  # noqa: S308 - escaped


def sections_diff(old: list[Section], new: list[Section]) -> list[SectionChange]:
    """Sections of both versions in reading order, each marked added, removed, changed or not.

    Sections are matched by their stable block id, so a moved or renamed section is the same
    section; removed sections stay where they were in the old version.
    """
    old_by_id = {s.id: s for s in old}
    new_ids = [s.id for s in new]
    matcher = difflib.SequenceMatcher(a=[s.id for s in old], b=new_ids, autojunk=False)
    changes = []
    new_by_id = {s.id: s for s in new}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for section in old[i1:i2] if tag in ("delete", "replace") else []:
            if section.id not in new_by_id:
                changes.append(
                    SectionChange("removed", section, None, _plain(section.heading), _plain(section.text))
                )
        for section in new[j1:j2]:
            before = old_by_id.get(section.id)
            if before is None:
                changes.append(
                    SectionChange("added", None, section, _plain(section.heading), _plain(section.text))
                )
            elif before.heading == section.heading and before.text == section.text:
                changes.append(
                    SectionChange("unchanged", before, section, _plain(section.heading), _plain(section.text))
                )
            else:
                changes.append(
                    SectionChange(
                        "changed",
                        before,
                        section,
                        inline_diff(before.heading, section.heading),
                        inline_diff(before.text, section.text),
                    )
                )
    return changes
