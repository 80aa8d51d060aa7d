"""The public commissioning dashboard at /public/programmes/: no login.

Every commissioned programme (status active or ended: a planned programme may still change
and a cancelled one delivered nothing, so neither is published) running in the chosen
financial year, on a map of the local authorities it serves and in a table, filtered by
workstream, area, funder and approach (a GET form: no script needed), with the table as CSV.

Amounts are public. Reach is not published as reported: it goes through disclosure control
(reach.public_reach, audience PUBLIC), so a small count reads "fewer than 8" and other counts
are rounded. Nothing a provider wrote for the partnership (comments, case studies,
explanations, completeness) appears here.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from observatory.analysis.disclosure import CellStatus, rule_from_environment
from observatory.web.dashboards.lake import current_engine
from observatory.web.dashboards.pages import Cell, Table, count_text, small_words
from observatory.web.dashboards.query import places
from observatory.web.programmes import reach, services
from observatory.web.programmes.forms_reach import PublicReachForm
from observatory.web.programmes.models import Programme
from observatory.web.programmes.tables_reach import csv_response, dates, money

PUBLISHED = (Programme.Status.ACTIVE, Programme.Status.ENDED)
HEADERS = [
    ("Programme", False),
    ("Provider", False),
    ("Workstream", False),
    ("Approach", False),
    ("Funder", False),
    ("Local authorities served", False),
    ("Dates", False),
    ("Amount (£)", True),
    ("Amount in the year (£, pro rata)", True),
    ("Young people reached (24 and under)", True),
    ("Adults reached (over 24)", True),
    ("All participants", True),
    ("Professionals trained", True),
]


def _build(form: PublicReachForm) -> dict:
    """The year's published programmes, their protected reach, the tiles and the map."""
    period = form.period
    programmes = services.filter_programmes(
        Programme.objects.filter(status__in=PUBLISHED), form.filters()
    )
    by_programme = reach.programme_reach(programmes, period, timezone.localdate())
    published = reach.public_reach(by_programme)
    rows = []
    for row in by_programme.iter_rows(named=True):
        key = row["programme_id"]
        rows.append(
            [
                Cell(row["programme"]),
                Cell(row["provider"]),
                Cell(row["workstream"]),
                Cell(row["approach"]),
                Cell(row["funder"]),
                Cell(row["local_authorities"]),
                Cell(dates(row)),
                Cell(money(row["amount"]), numeric=True),
                Cell(money(row["amount_in_period"]), numeric=True),
                *[
                    Cell(count_text(published.cell(key, group), "participants"), True, count=True)
                    for group in ("young", "adults", None)
                ],
                Cell(count_text(published.trained(key), "professionals_trained"), True, count=True),
            ]
        )
    caption = f"{len(rows)} programme{'s' if len(rows) != 1 else ''} in {period.label}"
    if form.filtered:
        caption += " matching the filters"
    young, adults = published.cell(None, "young"), published.cell(None, "adults")
    tiles = [
        ("Amount for the year", f"£{money(by_programme['amount_in_period'].sum())}", False),
        ("Programmes", f"{len(rows):,}", False),
        ("Young people reached (24 and under)", count_text(young, "participants"), True),
        ("Adults reached (over 24)", count_text(adults, "participants"), True),
        (
            "Professionals trained",
            count_text(published.trained(None), "professionals_trained"),
            True,
        ),
    ]
    return {
        "period": period,
        "table": Table(caption, HEADERS, rows),
        "tiles": [{"title": t, "figure": f, "count": c} for t, f, c in tiles],
        "map": _map(reach.served(by_programme), period),
    }


def _map(served, period) -> dict:
    """The local authorities coloured by the number of programmes serving them, with the
    table of numbers beside it; no figure when the lake holds no boundaries yet."""
    rows = served.to_dicts()
    table = Table(
        f"Programmes serving each local authority in {period.label}",
        [("Local authority", False), ("Programmes", True), ("Their amount in the year (£)", True)],
        [
            [
                Cell(r["local_authority"]),
                Cell(f"{r['programmes']:,}", numeric=True),
                Cell(money(r["amount_in_period"]), numeric=True),
            ]
            for r in rows
        ],
    )
    if not places(current_engine()):
        return {"table": table, "figure": None}
    api_root = reverse("api:openapi-json").rsplit("/", 1)[0]
    figure = {
        "data": [
            {
                "type": "choropleth",
                "locations": [r["code"] for r in rows],
                "z": [r["programmes"] for r in rows],
                "zmin": 0,
                "colorscale": "Blues",
                "reversescale": True,  # Plotly's Blues runs dark to light: most darkest
                "colorbar": {"title": {"text": "Programmes"}},
                "marker": {"line": {"color": "#505a5f", "width": 0.6}},
                "text": [
                    f"<b>{r['local_authority']}</b><br>{r['programmes']:,} programme"
                    f"{'s' if r['programmes'] != 1 else ''}<br>£{money(r['amount_in_period'])}"
                    for r in rows
                ],
                "hovertemplate": "%{text}<extra></extra>",
            }
        ],
        "layout": {
            "geo": {"fitbounds": "locations", "visible": False},
            "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
            "height": 440,
        },
        "geojson": f"{api_root}/public/boundaries",
        "filename": f"programmes-map-{period.label}",
    }
    return {"table": table, "figure": figure}


def _context(request, form) -> dict:
    rule = rule_from_environment()
    return {
        "form": form,
        "caveat": reach.CAVEAT,
        "pro_rata": reach.PRO_RATA,
        "rule_words": {
            "smallest_shown": rule.smallest_shown,
            "rounding": small_words(rule.rounding_base),
            "small": CellStatus.SMALL.describe(rule),
        },
        "query_string": request.GET.urlencode(),
    }


@login_not_required
@require_safe
def dashboard(request):
    """The page; a bad filter value re-shows the form with its message (400)."""
    form = PublicReachForm(request.GET, timezone.localdate())
    if not form.is_valid():
        return render(
            request, "programmes/public/dashboard.html", _context(request, form), status=400
        )
    context = _context(request, form) | _build(form)
    return render(request, "programmes/public/dashboard.html", context)


@login_not_required
@require_safe
def download_csv(request):
    """The dashboard's table, as filtered in the URL, as CSV (the same protected figures)."""
    form = PublicReachForm(request.GET, timezone.localdate())
    if not form.is_valid():
        return render(
            request, "programmes/public/dashboard.html", _context(request, form), status=400
        )
    built = _build(form)
    period = built["period"]
    return csv_response(
        built["table"],
        notes=[
            f"Commissioned programmes, financial year {period.label} ({period.dates})",
            reach.CAVEAT,
            reach.PRO_RATA,
            f"Reach is rounded to the nearest {rule_from_environment().rounding_base}; counts "
            f"below {rule_from_environment().smallest_shown} are not shown.",
        ],
        filename=f"programmes-{period.label}.csv",
    )
