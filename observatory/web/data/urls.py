"""Addresses of the Data section, under /data/. The landing page is named "data", like
every section's (shell/sections.py)."""

from django.urls import path

from observatory.web.data import views

urlpatterns = [
    path("", views.overview, name="data"),
    path("jobs/<int:pk>/", views.job_detail, name="data-job"),
    path("jobs/<int:pk>/status/", views.job_status, name="data-job-status"),
    path("history/", views.history, name="data-history"),
    path("imports/<str:import_id>/rejections/", views.rejections, name="data-rejections"),
    path(
        "imports/<str:import_id>/rejections.csv",
        views.rejections_csv,
        name="data-rejections-csv",
    ),
    path("venues/", views.venue_review, name="data-venues"),
    path("venues/match/", views.venue_match, name="data-venues-match"),
]
