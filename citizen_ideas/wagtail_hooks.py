"""Ideas in Wagtail: the institution's page links to its ideas; the admin's "Ideas" menu of the
institutions' staff (editors and approvers) lists the ideas sent to their institutions, and each
idea's admin page gives it a status with a reason (``admin_views``)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from citizen_ideas import admin_views
from citizen_ideas.models import Idea
from citizen_ideas.selectors import ideas_recent
from citizen_ideas.statuses import staff_institution_keys


@hooks.register("institution_page_context")
def institution_ideas_links(request, institution):
    """The institution's page (cms.models.InstitutionPage) links to its ideas and the form."""
    return {
        "ideas_url": reverse("citizen_ideas:institution", args=[institution.slug]),
        "propose_idea_url": reverse("citizen_ideas:propose", args=[institution.slug]),
    }


class IdeasMenuItem(MenuItem):
    def is_shown(self, request):
        return staff_institution_keys(request.user) != set()


@hooks.register("register_admin_urls")
def register_idea_urls():
    return [
        path("ideas/", admin_views.IdeaListView.as_view(), name=admin_views.LIST_URL_NAME),
        path(
            "ideas/<int:pk>/", admin_views.IdeaDetailView.as_view(), name=admin_views.DETAIL_URL_NAME
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_ideas_menu():
    return IdeasMenuItem(
        _("Ideas"),
        reverse(admin_views.LIST_URL_NAME),
        name="citizen-ideas",
        icon_name="help",
        order=270,
    )


HOME_IDEAS = 4


@hooks.register("home_page_context")
def home_ideas(request, home_page):
    """The front door (cms.HomePage): the latest public ideas and how many there are."""
    return {
        "recent_ideas": ideas_recent(limit=HOME_IDEAS),
        "idea_count": Idea.objects.public().count(),
    }
