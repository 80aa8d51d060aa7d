"""Addresses of the Programmes section, under /programmes/. The landing page, the register,
is named "programmes", like every section's (shell/sections.py)."""

from django.urls import include, path

from observatory.web.programmes import views

urlpatterns = [
    path("", views.register, name="programmes"),
    path("new/", views.create, name="programmes-create"),
    path("<int:pk>/", views.detail, name="programmes-detail"),
    path("<int:pk>/edit/", views.edit, name="programmes-edit"),
    path("export.csv", views.export_csv, name="programmes-export-csv"),
    path("export.xlsx", views.export_xlsx, name="programmes-export-xlsx"),
    path("import/", views.import_register, name="programmes-import"),
    path("returns/", include("observatory.web.programmes.urls_returns")),
    path("returns/", include("observatory.web.programmes.urls_schedule")),
    path("reach/", include("observatory.web.programmes.urls_reach")),
]
