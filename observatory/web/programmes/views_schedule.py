"""Return templates (download, upload back) and the lead's list of returns due.

Templates and uploads follow the return form's access rule: VIEW_PROGRAMMES (403 otherwise),
and the programme found only through `programmes_visible_to`, so a provider guessing another
organisation's programme gets 404; so does a date that is not the first day of a quarter.
The list of returns due is for commissioning leads (MANAGE_PROGRAMMES).
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from observatory.errors import ObservatoryError
from observatory.web.accounts.access import requires
from observatory.web.accounts.models import Organisation
from observatory.web.accounts.roles import Capability
from observatory.web.programmes import returns, tabular_returns
from observatory.web.programmes.models import Programme
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.schedule import return_path, schedule
from observatory.web.programmes.services import programmes_visible_to
from observatory.web.programmes.tabular import XLSX_CONTENT_TYPE

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

viewers = requires(Capability.VIEW_PROGRAMMES)
leads = requires(Capability.MANAGE_PROGRAMMES)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in template",
        help_text="The template you downloaded for this return, as .xlsx or .csv.",
    )

    def tie_errors(self) -> None:
        """Point the file box at its hint and its error message (aria-describedby), so a
        screen reader reads why the file was refused when the box has focus."""
        if self.errors.get("file"):
            self.fields["file"].widget.attrs.update(
                {"aria-describedby": "id_file_helptext id_file_error", "aria-invalid": "true"}
            )


class DueFilterForm(forms.Form):
    """The due list's filters, read from the URL; a bad value is ignored."""

    provider = forms.ModelChoiceField(
        Organisation.objects.filter(programmes__isnull=False).distinct(),
        required=False,
        empty_label="Any provider",
    )
    workstream = forms.ChoiceField(
        choices=[("", "Any workstream"), *Programme.Workstream.choices], required=False
    )

    def filters(self) -> dict:
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}


def _programme_and_quarter(request, programme: int, quarter_start: str):
    found = get_object_or_404(programmes_visible_to(request.user), pk=programme)
    try:
        return found, Quarter.parse(quarter_start)
    except (ObservatoryError, ValueError):
        raise Http404("No such quarter.") from None


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@viewers
@require_safe
def template_csv(request, programme, quarter_start):
    """The return's template as CSV, pre-filled with its current figures (zeros if none)."""
    programme, quarter = _programme_and_quarter(request, programme, quarter_start)
    figures = tabular_returns.current_figures(programme, quarter, request.user)
    return _download(
        tabular_returns.template_csv(programme, quarter, figures),
        "text/csv; charset=utf-8",
        tabular_returns.file_name(programme, quarter, "csv"),
    )


@viewers
@require_safe
def template_xlsx(request, programme, quarter_start):
    """The return's template as an Excel workbook, pre-filled like the CSV."""
    programme, quarter = _programme_and_quarter(request, programme, quarter_start)
    figures = tabular_returns.current_figures(programme, quarter, request.user)
    return _download(
        tabular_returns.template_xlsx(programme, quarter, figures),
        XLSX_CONTENT_TYPE,
        tabular_returns.file_name(programme, quarter, "xlsx"),
    )


@viewers
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request, programme, quarter_start):
    """Read an uploaded template into the return and save it as a draft, then show the
    return with what was read and what `check` still finds; on any problem with the file,
    show this page again with one sentence and save nothing."""
    programme, quarter = _programme_and_quarter(request, programme, quarter_start)
    existing = (
        returns.returns_visible_to(request.user)
        .filter(programme=programme, quarter_start=quarter.start)
        .first()
    )
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > MAX_UPLOAD_BYTES:
                raise tabular_returns.TemplateError(
                    "The file is larger than a filled-in template can be (5 MB): upload the "
                    "template you downloaded for this return."
                )
            figures = tabular_returns.read_template(
                uploaded.name, uploaded.read(), programme, quarter
            )
            returns.save_draft(programme, quarter, figures, request.user)
        except (tabular_returns.TemplateError, returns.WorkflowError) as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _what_was_read(uploaded.name, figures))
            for problem in returns.check(programme, quarter, figures):
                messages.warning(request, f"Before you submit: {problem.message}")
            return redirect(return_path(programme, quarter))
    form.tie_errors()
    context = {
        "form": form,
        "programme": programme,
        "quarter": quarter,
        "existing": existing,
        "editable": existing is None or existing.editable,
        "return_path": return_path(programme, quarter),
    }
    return render(
        request, "programmes/schedule/upload.html", context, status=400 if form.errors else 200
    )


def _what_was_read(name: str, figures: returns.Figures) -> str:
    outcomes = sum(figures.outcomes.values())
    return (
        f"Read {name} and saved it as a draft: {figures.participants} participants "
        f"({figures.participants_new} new, {figures.participants_continuing} continuing), "
        f"{figures.sessions_delivered} sessions, {figures.hours_delivered} hours, "
        f"{figures.professionals_trained} professionals trained, "
        f"{figures.total('referral_source')} referrals in, {figures.referrals_onward} onward "
        f"referrals, {outcomes} outcomes achieved."
    )


@leads
@require_safe
def due(request):
    """Every return the lead is waiting for or that waits for the lead, filterable by
    provider and workstream."""
    form = DueFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    programmes = programmes_visible_to(request.user)
    if filters.get("provider"):
        programmes = programmes.filter(provider=filters["provider"])
    if filters.get("workstream"):
        programmes = programmes.filter(workstream=filters["workstream"])
    today = timezone.localdate()
    lists = schedule(programmes, today)
    sections = [
        ("overdue", "Overdue", "Past their due date and not submitted.", lists.overdue),
        ("due", "Due", "Quarter ended; not yet submitted; due date not passed.", lists.due),
        ("queried", "Queried", "Waiting for the provider to answer a query.", lists.queried),
        ("submitted", "Submitted", "Waiting for you to query or accept.", lists.submitted),
    ]
    context = {
        "form": form,
        "filtered": bool(filters),
        "today": today,
        "sections": sections,
        "may_manage": True,
    }
    return render(request, "programmes/schedule/due.html", context)
