"""The programme register: list with filters and search, detail with history, create and
edit, export to CSV/Excel and import from them.

Every view needs VIEW_PROGRAMMES (403 otherwise) and finds programmes only through
`programmes_visible_to`, so a provider asking for another organisation's programme gets 404
whatever id they guess. Changing the register (create, edit, import) needs MANAGE_PROGRAMMES.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability, may
from observatory.web.programmes import services, tabular
from observatory.web.programmes.forms import FilterForm, ImportForm, ProgrammeForm

PAGE_SIZE = 50

viewers = requires(Capability.VIEW_PROGRAMMES)
managers = requires(Capability.MANAGE_PROGRAMMES)


def _filtered(request):
    form = FilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    programmes = services.filter_programmes(services.programmes_visible_to(request.user), filters)
    return form, filters, programmes


@viewers
@require_safe
def register(request):
    form, filters, programmes = _filtered(request)
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filtered": bool(filters),
        "page": page,
        "may_manage": may(request.user, Capability.MANAGE_PROGRAMMES),
    }
    return render(request, "programmes/list.html", context)


@viewers
@require_safe
def detail(request, pk):
    programme = get_object_or_404(services.programmes_visible_to(request.user), pk=pk)
    context = {
        "programme": programme,
        "changes": programme.changes.all(),
        "may_manage": may(request.user, Capability.MANAGE_PROGRAMMES),
    }
    return render(request, "programmes/detail.html", context)


@managers
@require_http_methods(["GET", "HEAD", "POST"])
def create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = services.create_programme(form.cleaned_data, request.user)
        messages.success(request, f"Added “{programme.name}” to the register.")
        return redirect("programmes-detail", pk=programme.pk)
    status = 400 if form.is_bound else 200
    return render(request, "programmes/form.html", {"form": form}, status=status)


@viewers
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    """404 for a programme the user cannot see, then 403 unless they manage the register."""
    programme = get_object_or_404(services.programmes_visible_to(request.user), pk=pk)
    if not may(request.user, Capability.MANAGE_PROGRAMMES):
        raise PermissionDenied("Your role does not include manage_programmes.")
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        changes = services.update_programme(programme, form.cleaned_data, request.user)
        count = len(changes)
        if count:
            messages.success(request, f"Saved {count} change{'s' if count > 1 else ''}.")
        else:
            messages.info(request, "Nothing had changed.")
        return redirect("programmes-detail", pk=programme.pk)
    context = {"form": form, "programme": programme}
    status = 400 if form.is_bound else 200
    return render(request, "programmes/form.html", context, status=status)


def _download_name(extension: str) -> str:
    return f"programmes-{datetime.date.today().isoformat()}.{extension}"


@viewers
@require_safe
def export_csv(request):
    """The register as filtered in the URL, as CSV (what the user may see only)."""
    _, _, programmes = _filtered(request)
    response = HttpResponse(tabular.export_csv(programmes), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{_download_name("csv")}"'
    return response


@viewers
@require_safe
def export_xlsx(request):
    """The register as filtered in the URL, as an Excel workbook."""
    _, _, programmes = _filtered(request)
    response = HttpResponse(tabular.export_xlsx(programmes), content_type=tabular.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_download_name("xlsx")}"'
    return response


@managers
@require_http_methods(["GET", "HEAD", "POST"])
def import_register(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = tabular.import_file(upload.name, upload.read(), request.user)
        except tabular.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            context = {"result": result, "file_name": upload.name}
            return render(request, "programmes/import_result.html", context)
    status = 400 if form.is_bound else 200
    context = {"form": form, "columns": tabular.COLUMNS.values()}
    return render(request, "programmes/import.html", context, status=status)
