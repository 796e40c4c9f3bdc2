"""Questionnaires around the CMS and in the Wagtail admin: the institution's page links to its
own questionnaires; the review of free-text answers sits in the Moderation menu
(deliberation's ``register_moderation_menu_item``), shown to the people who moderate."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from questionnaires import admin_views
from questionnaires.selectors import questionnaires_of


@hooks.register("institution_page_context")
def institution_questionnaires(request, institution):
    """The questionnaires published on their own under an institution (cms.models)."""
    return {"questionnaires": questionnaires_of(institution)}


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("deliberation.moderate")


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("moderation/answers/", admin_views.review_list, name="questionnaires_review"),
        path(
            "moderation/answers/<int:pk>/",
            admin_views.review_act,
            name="questionnaires_review_act",
        ),
    ]


@hooks.register("register_moderation_menu_item")
def register_review_menu_item():
    return ReviewMenuItem(
        _("Free-text answers"),
        reverse("questionnaires_review"),
        name="questionnaire-answers",
        icon_name="help",
        order=150,
    )
