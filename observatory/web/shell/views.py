"""Home page, section landing pages, organisation pages and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from observatory.web.accounts.access import organisations_visible_to
from observatory.web.accounts.roles import may
from observatory.web.shell.sections import SECTIONS_BY_SLUG, sections_for


@login_not_required
@require_safe
def home(request):
    """Public introduction for visitors; a personal start page for signed-in users."""
    if not request.user.is_authenticated:
        return render(request, "shell/public_home.html")
    return render(request, "shell/home.html", {"sections": sections_for(request.user)})


@require_safe
def section(request, slug):
    """A section's landing page, for users whose role opens it."""
    entry = SECTIONS_BY_SLUG[slug]
    if not may(request.user, entry.capability):
        raise PermissionDenied(f"{entry.title} is not open to your role.")
    return render(request, "shell/section.html", {"section": entry})


@require_safe
def organisation_list(request):
    organisations = organisations_visible_to(request.user).select_related("local_authority")
    return render(request, "organisations/list.html", {"organisations": organisations})


@require_safe
def organisation_detail(request, pk):
    """One organisation and its members; 404 outside the user's scope, so ids reveal nothing."""
    organisation = get_object_or_404(
        organisations_visible_to(request.user).select_related("local_authority"), pk=pk
    )
    members = organisation.members.filter(is_active=True).order_by("username")
    return render(
        request, "organisations/detail.html", {"organisation": organisation, "members": members}
    )


@require_safe
def my_account(request):
    return render(request, "accounts/me.html")


@login_not_required
@require_safe
def health(request):
    """Liveness for scripts and load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
