"""A questionnaire's questions: one StreamField, each question a block whose id is its stable key.

Wagtail copies a page's StreamField with its block ids (and its list items' ids) when it makes
a translation (``wagtail.contrib.simple_translation``), so the Arabic, French and English
copies of a questionnaire share their question and option keys, and their answers count
together. An editor who deletes a question and adds it again makes a new question.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class Kind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    RANKING = "ranking"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"

    CHOICES = [
        (SINGLE, _("Single choice")),
        (MULTIPLE, _("Multiple choice")),
        (SCALE, _("Scale from 1 to 5")),
        (RANKING, _("Ranking of the options")),
        (NUMBER, _("Number")),
        (SHORT_TEXT, _("Short text")),
        (LONG_TEXT, _("Long text")),
    ]
    WITH_OPTIONS = frozenset({SINGLE, MULTIPLE, RANKING})
    TEXT = frozenset({SHORT_TEXT, LONG_TEXT})
    # The kinds a condition may depend on (docs/questionnaires.md).
    CONDITIONS_ON = frozenset({SINGLE, MULTIPLE})


SCALE_VALUES = (1, 2, 3, 4, 5)
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=Kind.CHOICES, label=_("Kind"), default=Kind.SINGLE)
    text = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.CharBlock(label=_("Help text"), max_length=300, required=False)
    required = blocks.BooleanBlock(label=_("Answer required"), required=False, default=False)
    options = blocks.ListBlock(
        blocks.CharBlock(label=_("Option"), max_length=200),
        label=_("Options"),
        default=[],
        min_num=0,
        help_text=_("For single choice, multiple choice and ranking: at least two options."),
    )
    min_value = blocks.DecimalBlock(
        label=_("Minimum"), required=False, help_text=_("For a number question.")
    )
    max_value = blocks.DecimalBlock(
        label=_("Maximum"), required=False, help_text=_("For a number question.")
    )
    max_length = blocks.IntegerBlock(
        label=_("Maximum length"),
        required=False,
        min_value=1,
        help_text=_("For a text question: characters (default 200 short, 5000 long)."),
    )
    show_if_question = blocks.IntegerBlock(
        label=_("Shown only if question number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to always show. An earlier single or multiple choice question."),
    )
    show_if_options = blocks.CharBlock(
        label=_("is answered with option number(s)"),
        required=False,
        max_length=100,
        help_text=_("Option numbers of that question, separated by commas (e.g. 1, 3)."),
    )

    class Meta:
        icon = "help"
        label = _("Question")


class QuestionsBlock(blocks.StreamBlock):
    question = QuestionBlock()
