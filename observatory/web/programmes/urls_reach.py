"""The commissioning lead's reach view, under /programmes/reach/."""

from django.urls import path

from observatory.web.programmes import views_reach

urlpatterns = [
    path("", views_reach.overview, name="programmes-reach"),
    path("<slug:table>.csv", views_reach.download_csv, name="programmes-reach-csv"),
]
