"""Every address the web app answers, in one place."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from observatory.web.dashboards.api import api
from observatory.web.shell import views
from observatory.web.shell.sections import SECTIONS


def _api_urls():
    """The API's addresses. The API answers 401/403 itself (observatory.web.dashboards.api)
    instead of the login page's redirect, and its public part needs no login at all."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/me/", views.my_account, name="my_account"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("admin/", admin.site.urls),
    path("data/", include("observatory.web.data.urls")),
    path("programmes/", include("observatory.web.programmes.urls")),
    path("training/", include("observatory.web.training.urls")),
    path("api/", _api_urls()),
    path("dashboards/", include("observatory.web.dashboards.urls_partner")),
    path("public/programmes/", include("observatory.web.programmes.urls_public")),
    path("public/", include("observatory.web.dashboards.urls_public")),
    path("reports/", include("observatory.web.dashboards.urls_reports")),
]

# Sections with pages of their own; the others keep the placeholder landing page.
BUILT_SECTIONS = {"data", "dashboards", "programmes", "training"}

# Each section's landing page, at /<slug>/, named after its slug (see shell/sections.py).
urlpatterns += [
    path(f"{entry.slug}/", views.section, {"slug": entry.slug}, name=entry.slug)
    for entry in SECTIONS
    if entry.slug not in BUILT_SECTIONS
]
