from django.urls import path

from citizen_requests import exports

app_name = "citizen_requests"

urlpatterns = [
    path("open-data/public.<str:fmt>", exports.public_open_data, name="open_data"),
]
