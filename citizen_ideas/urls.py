"""/<lang>/ideas/…: ideas sent to an institution and one idea's page (docs/ideas.md). The
ideas of a consultation are routes of its page (<consultation>/ideas/)."""

from django.urls import path

from citizen_ideas import views

app_name = "citizen_ideas"

urlpatterns = [
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/support/", views.idea_support_view, name="support"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/", views.idea_attachment, name="attachment"
    ),
    path("institutions/<slug:slug>/", views.institution_ideas, name="institution"),
    path("institutions/<slug:slug>/propose/", views.institution_propose, name="propose"),
    path(
        "institutions/<slug:slug>/moderation-log/",
        views.institution_moderation_log,
        name="moderation_log",
    ),
]
