from django.urls import path

from citizen_requests import dashboard, exports, views

app_name = "citizen_requests"

urlpatterns = [
    path("", views.file_request, name="file"),
    path("follow/", views.track, name="track"),
    path("mine/", views.mine, name="mine"),
    path("open-data/public.<str:fmt>", exports.public_open_data, name="open_data"),
    path("open-data/statistics.<str:fmt>", exports.statistics_open_data, name="statistics_open_data"),
    path(
        "open-data/statistics/<str:code>.<str:fmt>",
        exports.statistics_open_data,
        name="statistics_open_data_desk",
    ),
    path("statistics/", dashboard.dashboard, name="statistics"),
    path("statistics/<str:code>/", dashboard.dashboard, name="statistics_desk"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/reply/", views.reply, name="reply"),
    path("<str:number>/feedback/", views.feedback, name="feedback"),
    path("<str:number>/reopen/", views.reopen, name="reopen"),
    path("<str:number>/notify/", views.notify, name="notify"),
    path("<str:number>/publicity/", views.publicity, name="publicity"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:number>/signed/<int:pk>/", views.signed_answer, name="signed_answer"),
]
