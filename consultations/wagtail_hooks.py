"""Consultations in the Wagtail admin: the contribution chooser of outcomes and decisions."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from consultations.outcomes import admin_views
from consultations.selectors import consultation_cards, consultation_list


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
    """The institution's page lists its consultations (cms.models.InstitutionPage)."""
    return {"consultation_cards": consultation_cards(consultation_list(within=institution))}
