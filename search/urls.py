from django.urls import path

from search import views
from search.feeds import SearchFeed

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("feed/", SearchFeed(), name="feed"),
]
