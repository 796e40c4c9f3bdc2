"""The public outcome and decision pages. Thin by rule: the reads are in
``selectors_outcomes``, the charts in ``charts``."""

from django.template.response import TemplateResponse
from django.utils.translation import get_language, get_language_bidi

from consultations.charts import participation_charts
from consultations.models import DecisionPage, OutcomePage
from consultations.selectors_outcomes import decision_view, outcome_view


def outcome_page(request, page: OutcomePage):
    context = page.get_context(request)
    view = outcome_view(outcome=page, request=request)
    section_label = view.pop("section_label")
    context.update(
        view,
        charts=participation_charts(
            statistics=view["statistics"],
            section_label=section_label,
            language=get_language(),
            rtl=get_language_bidi(),
        ),
    )
    return TemplateResponse(request, "consultations/outcome_page.html", context)


def decision_context(request, page: DecisionPage) -> dict:
    """What the decision page's template needs besides ``page`` (for DecisionPage.get_context)."""
    return decision_view(decision=page, request=request)
