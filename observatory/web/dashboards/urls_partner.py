"""Addresses of the partner dashboards, under /dashboards/. The overview is named
"dashboards", like every section's landing page (shell/sections.py)."""

from django.urls import path

from observatory.web.dashboards import views_partner as views

urlpatterns = [
    path("", views.overview, name="dashboards"),
    path("map/", views.map_view, name="dashboards-map"),
    path("time/", views.time, name="dashboards-time"),
    path("who/", views.who, name="dashboards-who"),
    path("compare/", views.compare, name="dashboards-compare"),
]
