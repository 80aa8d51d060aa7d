"""Addresses of the public dashboards, under /public/ (no login)."""

from django.urls import path

from observatory.web.dashboards import views_public as views

urlpatterns = [
    path("", views.overview, name="public"),
    path("map/", views.map_view, name="public-map"),
    path("time/", views.time, name="public-time"),
    path("who/", views.who, name="public-who"),
    path("compare/", views.compare, name="public-compare"),
]
