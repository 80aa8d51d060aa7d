"""The licensing report's addresses, for partners (VIEW_DASHBOARDS): the printable page, the
same report as a PDF, and each of its breakdown tables as a CSV. All three build the one
`LicensingReport` (licensing.py) from the same query string, so they agree.

`?la=E08000025&from=2025-01&to=2025-12`: a local authority (none: the region) and the
period (by default the latest 12 months of ED data in the lake). A bad value answers 400
with a sentence saying which and why.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from observatory.errors import ObservatoryError
from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability
from observatory.web.dashboards import licensing, pdf
from observatory.web.dashboards.lake import current_engine

TEMPLATE = "dashboards/reports/licensing.html"
partners_only = requires(Capability.VIEW_DASHBOARDS)


def _report_params(query) -> dict[str, str]:
    """The report's own query string for `query` (the period filled in, so links keep it)."""
    params = {"from": query.start, "to": query.end}
    if query.area:
        params = {"la": query.area.code, **params}
    return params


@partners_only
@require_safe
def licensing_report(request):
    """The form and, below it, the report for what the form asks (by default the region
    over the latest 12 months)."""
    engine = current_engine()
    context = {
        "authorities": licensing.local_authorities(engine),
        "chosen": {key: request.GET.get(key, "") for key in ("la", "from", "to")},
    }
    if missing := licensing.missing_tables(engine):
        context["missing"] = missing
        return render(request, TEMPLATE, context)
    try:
        query = licensing.read_query(request.GET, engine)
        report = licensing.build(engine, query)
    except ObservatoryError as error:
        return render(request, TEMPLATE, {**context, "error": str(error)}, status=400)
    params = _report_params(query)
    context.update(
        report=report,
        chosen={"la": params.get("la", ""), "from": query.start, "to": query.end},
        matching=licensing.MATCHING,
        rate_heading=licensing.RATE_HEADING,
        ranked_rows=licensing.RANKED_ROWS,
        query=urlencode(params),
        ranking_csv=f"{reverse('api:premises')}?{query.query_string(format='csv')}",
    )
    return render(request, TEMPLATE, context)


def _refusal(sentence: str) -> HttpResponse:
    return HttpResponseBadRequest(
        f"{sentence[:1].upper()}{sentence[1:]}.", content_type="text/plain; charset=utf-8"
    )


def _built(request) -> tuple[licensing.LicensingReport | None, HttpResponse | None]:
    """(the report for the query string, None), or (None, a 400 answer with the sentence)."""
    engine = current_engine()
    try:
        return licensing.build(engine, licensing.read_query(request.GET, engine)), None
    except ObservatoryError as error:
        return None, _refusal(str(error))


def _file_name(report: licensing.LicensingReport, extension: str, what: str = "") -> str:
    area = slugify(report.area_name.removeprefix("the ")) or "region"
    parts = ["licensing-report", area, report.start, "to", report.end] + ([what] if what else [])
    return f"{'-'.join(parts)}.{extension}"


@partners_only
@require_safe
def licensing_pdf(request):
    report, refusal = _built(request)
    if refusal:
        return refusal
    response = HttpResponse(pdf.render(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(report, "pdf")}"'
    return response


@partners_only
@require_safe
def licensing_csv(request, key: str):
    """One breakdown table (weekday, time, method or month) exactly as the page shows it."""
    report, refusal = _built(request)
    if refusal:
        return refusal
    breakdown = next((b for b in report.breakdowns if b.key == key), None)
    if breakdown is None:
        keys = ", ".join(b.key for b in report.breakdowns)
        return _refusal(f"there is no {key!r} table: choose from {keys}")
    buffer = io.StringIO()
    breakdown.as_frame(report.columns).write_csv(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "csv", key)}"'
    return response
