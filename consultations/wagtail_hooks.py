"""Consultations in the Wagtail admin: the contribution chooser of outcomes and decisions."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from consultations.outcomes import admin_views
from consultations.outcomes.models import DecisionStatus
from consultations.outcomes.selectors import decision_list, decisions_recent, outcomes_recent
from consultations.selectors import consultation_cards, consultation_list
from deliberation.phases import Phase


@hooks.register("register_admin_urls")
def register_contribution_search():
    return [
        path(
            "consultations/contributions/",
            admin_views.contribution_search,
            name="consultations_contribution_search",
        )
    ]


@hooks.register("insert_editor_js")
def contribution_chooser_js():
    return format_html('<script src="{}" defer></script>', static("js/admin/contribution_chooser.js"))


@hooks.register("institution_page_context")
def institution_consultations(request, institution):
    """The institution's page lists its consultations, current (open or upcoming) apart from
    past ones, and its latest decisions with their status (cms.models.InstitutionPage)."""
    cards = consultation_cards(consultation_list(within=institution))
    current = [card for card in cards if card["phase"] in (Phase.OPEN, Phase.UPCOMING)]
    decisions = decision_list(
        language=institution.locale.language_code, institution=institution.slug
    )
    labels = dict(DecisionStatus.choices)
    return {
        "consultation_cards": cards,
        "current_consultation_cards": current,
        "past_consultation_cards": [card for card in cards if card not in current],
        "institution_decisions": [
            {"page": decision, "status": decision.current_status,
             "status_label": labels.get(decision.current_status, decision.current_status),
             "date": decision.last_date}
            for decision in decisions[:INSTITUTION_DECISIONS]
        ],
        "institution_decision_count": decisions.count(),
    }


INSTITUTION_DECISIONS = 10
# How many of each the home page lists (the index and the search list them all).
HOME_OPEN_CONSULTATIONS = 6
HOME_DECISIONS = 4
HOME_OUTCOMES = 4


@hooks.register("home_page_context")
def home_consultations(request, home_page):
    """The front door (cms.HomePage): open consultations closing soonest first, the latest
    outcomes and decisions, and how many there are. Public pages only: it is cached for all."""
    language = home_page.locale.language_code
    open_consultations = consultation_list(language=language, phase=Phase.OPEN)
    return {
        "open_consultation_cards": consultation_cards(open_consultations[:HOME_OPEN_CONSULTATIONS]),
        "open_consultation_count": open_consultations.count(),
        "consultation_count": consultation_list(language=language).count(),
        "recent_outcomes": outcomes_recent(language=language, limit=HOME_OUTCOMES),
        "recent_decisions": decisions_recent(language=language, limit=HOME_DECISIONS),
        "decision_count": decision_list(language=language).count(),
    }
