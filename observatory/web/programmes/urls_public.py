"""The public commissioning dashboard, under /public/programmes/ (no login)."""

from django.urls import path

from observatory.web.programmes import views_public

urlpatterns = [
    path("", views_public.dashboard, name="public-programmes"),
    path("programmes.csv", views_public.download_csv, name="public-programmes-csv"),
]
