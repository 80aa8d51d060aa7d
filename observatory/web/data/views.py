"""The Data section: upload a file and follow its import, the import history, rejected
rows, and the venue-matching review queue. Analysts and VRP administrators only.

Nothing here shows record-level personal data: summaries are counts, and a rejections file
holds only each source's safe columns (observatory.lake.imports).
"""

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from observatory.lake import venues
from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability
from observatory.web.data import jobs, services
from observatory.web.data.forms import UploadForm, VenueDecisionForm
from observatory.web.data.models import ImportJob, ImportRecord

HISTORY_PAGE_SIZE = 50
REJECTIONS_PAGE_SIZE = 100
RECENT_JOBS = 10
QUEUE_LIMIT = 50

data_only = requires(Capability.MANAGE_DATA)


@data_only
@require_http_methods(["GET", "HEAD", "POST"])
def overview(request):
    """The section's landing page: the upload form and the latest uploads."""
    jobs.fail_abandoned_jobs()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = _start_import(request, form)
        return redirect("data-job", pk=job.pk)
    recent = ImportJob.objects.all()[:RECENT_JOBS]
    status = 400 if form.is_bound else 200
    return render(request, "data/overview.html", {"form": form, "jobs": recent}, status=status)


def _start_import(request, form: UploadForm) -> ImportJob:
    upload, mapping = form.cleaned_data["file"], form.cleaned_data["mapping"]
    job = jobs.create(
        who=request.user,
        who_name=request.user.get_username(),
        kind=form.cleaned_data["kind"],
        file_name=services.safe_file_name(upload.name),
        mapping_name=services.safe_file_name(mapping.name, "mapping.csv") if mapping else "",
    )
    folder = services.upload_folder(job.pk)
    try:
        services.save_upload(upload, folder)
        if mapping:
            services.save_upload(mapping, folder / "mapping")
    except OSError as error:
        jobs.fail(job, f"the upload could not be saved ({error.strerror or 'disk error'})")
        return job
    jobs.submit(job)
    return job


@data_only
@require_safe
def job_detail(request, pk):
    jobs.fail_abandoned_jobs()
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "data/job.html", {"job": job})


@data_only
@require_safe
def job_status(request, pk):
    """The part of the job page that changes; htmx fetches it every second until done."""
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "data/_job_status.html", {"job": job})


@data_only
@require_safe
def history(request):
    services.sync_import_history()
    page = Paginator(ImportRecord.objects.all(), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "data/history.html", {"page": page})


def _record_with_rejections(import_id: str) -> tuple[ImportRecord, Path]:
    services.sync_import_history()
    record = get_object_or_404(ImportRecord, pk=import_id)
    path = services.rejections_path(record)
    if path is None:
        raise Http404("This import has no rejected rows on file.")
    return record, path


@data_only
@require_safe
def rejections(request, import_id):
    record, path = _record_with_rejections(import_id)
    rows = services.RejectedRows(path, record.rejected)
    page = Paginator(rows, REJECTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "data/rejections.html",
        {"record": record, "columns": rows.columns, "page": page},
    )


@data_only
@require_safe
def rejections_csv(request, import_id):
    record, path = _record_with_rejections(import_id)
    name = f"rejected-rows-{services.safe_file_name(record.file_name)}"
    if not name.endswith(".csv"):
        name += ".csv"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name)


@data_only
@require_http_methods(["GET", "HEAD", "POST"])
def venue_review(request):
    """One free-text location at a time: pick its premises or "none of these", then the
    next. The decision is remembered for the same text in later imports."""
    lake = services.lake()
    queue = venues.review_queue(lake, limit=QUEUE_LIMIT)
    if request.method == "POST":
        key = request.POST.get("location_key")
        item = next((entry for entry in queue if entry["location_key"] == key), None)
        if item is None:
            messages.info(request, "That location has been decided already.")
            return redirect("data-venues")
        form = VenueDecisionForm(item, request.POST)
        if form.is_valid():
            licence = form.licence_number()
            venues.decide(lake, key, licence, who=request.user.get_username())
            chosen = next(
                (c for c in item["candidates"] if str(c["licence_number"]) == licence), None
            )
            outcome = f"is {chosen['premises_name']}" if chosen else "is none of the candidates"
            messages.success(request, f"Saved: “{item['location_text']}” {outcome}.")
            return redirect("data-venues")
        page = {"form": form, "queue": queue, "item": item, "limit": QUEUE_LIMIT}
        return render(request, "data/venues.html", page, status=400)
    item = queue[0] if queue else None
    form = VenueDecisionForm(item) if item else None
    page = {"form": form, "queue": queue, "item": item, "limit": QUEUE_LIMIT}
    return render(request, "data/venues.html", page)


@data_only
@require_POST
def venue_match(request):
    """Match the location descriptions that arrived since the last run."""
    outcome = venues.match_new_descriptions(services.lake(), who=request.user.get_username())
    counts = ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in outcome.items())
    messages.success(request, f"Matched new location descriptions ({counts or 'nothing new'}).")
    return redirect("data-venues")
