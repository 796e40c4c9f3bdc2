"""Citizen requests in Wagtail: the institution's page offers to file a request with it; the
admin's "Requests" menu with the queue of the user's desks, each request's page and the desks'
staff logs; and the request desks (code, triage, deadlines), kept by superusers under
Settings."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from citizen_requests import admin_views
from citizen_requests.models import RequestDesk
from citizen_requests.roles import request_roles_ensure
from citizen_requests.rules import staff_desks
from citizen_requests.selectors import public_request_pages, public_requests
from citizen_requests.services import desk_for_institution

# --- Request desks (superusers) ---------------------------------------------------------------


class DeskCreateView(generic.CreateView):
    def save_instance(self):
        desk = super().save_instance()
        request_roles_ensure(desk=desk)
        return desk


class DeskEditView(generic.EditView):
    def save_instance(self):
        desk = super().save_instance()
        request_roles_ensure(desk=desk)
        return desk


class RequestDeskViewSet(ModelViewSet):
    """An institution's desk: the code of its tracking numbers, whether it triages, its
    deadlines. Saving one makes its request officers' group (``roles.request_roles_ensure``)."""

    model = RequestDesk
    icon = "mail"
    menu_label = _("Request desks")
    add_to_settings_menu = True
    add_view_class = DeskCreateView
    edit_view_class = DeskEditView
    list_display = [
        "code",
        Column("institution", label=_("Institution"), accessor=lambda desk: desk.institution.title),
        BooleanColumn("is_triage", label=_("Triage desk")),
        BooleanColumn("accepts_requests", label=_("Accepts requests")),
    ]
    list_filter = ["is_triage", "accepts_requests"]
    search_fields = ["code"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_queryset(self, request):
        return RequestDesk.objects.select_related("institution")


request_desk_viewset = RequestDeskViewSet("request_desks", url_prefix="request-desks")


@hooks.register("register_admin_viewset")
def register_request_desks():
    return request_desk_viewset


# --- The queue, a request's page, the staff logs (the desks' staff) ---------------------------


class RequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(staff_desks(request.user))


@hooks.register("register_admin_urls")
def register_request_urls():
    return [
        path("requests/", admin_views.RequestQueueView.as_view(), name=admin_views.QUEUE_URL_NAME),
        path(
            "requests/log/<str:code>/",
            admin_views.StaffLogView.as_view(),
            name="citizen_requests_admin_log",
        ),
        path(
            "requests/<str:tracking_number>/",
            admin_views.RequestDetailView.as_view(),
            name=admin_views.DETAIL_URL_NAME,
        ),
        path(
            "requests/<str:tracking_number>/attachments/<int:pk>/",
            admin_views.attachment_download,
            name="citizen_requests_admin_attachment",
        ),
        path(
            "requests/<str:tracking_number>/signed/<int:pk>/",
            admin_views.signed_answer_download,
            name="citizen_requests_admin_signed",
        ),
        path(
            "requests/<str:tracking_number>/<slug:action>/",
            admin_views.request_act,
            name="citizen_requests_admin_act",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_requests_menu():
    return RequestsMenuItem(
        _("Requests"),
        reverse(admin_views.QUEUE_URL_NAME),
        name="citizen-requests",
        icon_name="mail",
        order=260,
    )


# --- The institution's page ---------------------------------------------------------------------


@hooks.register("institution_page_context")
def institution_request_desk(request, institution):
    """The institution's desk, when it takes requests (cms.models.InstitutionPage)."""
    desk = desk_for_institution(institution)
    return {"request_desk": desk if desk is not None and desk.accepts_requests else None}


@hooks.register("home_page_context")
def home_public_requests(request, home_page):
    """The front door (cms.HomePage): the public suggestions and notices (how many, and each
    institution's page of them)."""
    return {
        "public_request_pages": public_request_pages(language=home_page.locale.language_code),
        "public_request_count": public_requests().count(),
    }
