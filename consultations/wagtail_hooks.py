"""Consultations in the Wagtail admin: the contribution chooser of outcomes and decisions."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks

from consultations.outcomes import admin_views


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
