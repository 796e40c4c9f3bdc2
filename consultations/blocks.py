"""The draft's StreamField: numbered sections whose block ids are their stable anchors."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

SECTION_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=250)
    body = blocks.RichTextBlock(label=_("Text"), features=SECTION_FEATURES)
    paragraphs = blocks.ListBlock(
        blocks.RichTextBlock(features=SECTION_FEATURES),
        label=_("Sub-paragraphs"),
        required=False,
        default=[],
        help_text=_("Optional numbered sub-paragraphs (articles, clauses)."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Section")


class DraftBlock(blocks.StreamBlock):
    section = SectionBlock()

    class Meta:
        min_num = 1
        block_counts = {"section": {"min_num": 1}}


class GuidingQuestionsBlock(blocks.StreamBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300, icon="help")
