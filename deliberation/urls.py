from django.urls import path

from deliberation import views

app_name = "deliberation"

urlpatterns = [
    path("threads/<str:thread_key>/contribute/", views.contribution_create, name="contribute"),
    path("contributions/<int:pk>/", views.contribution_permalink, name="contribution"),
    path("contributions/<int:pk>/signed/", views.contribution_signed, name="signed"),
    path("contributions/<int:pk>/reply/", views.contribution_reply, name="reply"),
    path("contributions/<int:pk>/edit/", views.contribution_edit_view, name="edit"),
    path("contributions/<int:pk>/react/", views.contribution_react_view, name="react"),
    path("contributions/<int:pk>/flag/", views.contribution_flag_view, name="flag"),
    path("contributions/<int:pk>/appeal/", views.contribution_appeal_view, name="appeal"),
    path(
        "suspensions/<int:pk>/appeal/", views.suspension_appeal_view, name="suspension_appeal"
    ),
    path("forum/<int:institution_id>/propose/", views.proposal_create, name="propose"),
    path("forum/proposals/", views.proposals_mine, name="proposals_mine"),
]
