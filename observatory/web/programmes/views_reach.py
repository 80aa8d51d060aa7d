"""The commissioning lead's reach view at /programmes/reach/ (MANAGE_PROGRAMMES; 403 for
everyone else): true counts, as the partnership sees them (never published as they are).

For the chosen period (a financial year, or quarters from one to another) and filters:
headline figures, reach by workstream, approach, funder and local authority of residence,
the local authorities served, spend against reach per programme (a chart and its table, with
cost per participant), returns completeness per programme and per provider, and the training
figures of issue 8 beside them. Every table downloads as CSV with the same filters.
"""

import datetime

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability
from observatory.web.dashboards.pages import Cell, Table
from observatory.web.programmes import reach, services
from observatory.web.programmes.forms_reach import LeadReachForm
from observatory.web.programmes.tables_reach import csv_response, money, share
from observatory.web.training import reach as training_reach

leads = requires(Capability.MANAGE_PROGRAMMES)

REACH_HEADERS = [
    ("Programmes", True),
    ("Participants", True),
    ("Aged 24 and under", True),
    ("Over 24", True),
    ("Age not known", True),
    ("Professionals trained", True),
    ("Sessions", True),
    ("Hours", True),
    ("Amount in the period (£)", True),
    ("Cost per participant (£)", True),
]
TABLE_TITLES = {
    "workstream": "Reach by workstream",
    "approach": "Reach by approach",
    "funder": "Reach by funder",
    "residence": "Participants by local authority of residence",
    "served": "Programmes by local authority served",
    "programmes": "Spend against reach, by programme",
    "providers": "Returns completeness by provider",
}


def _n(value) -> str:
    return f"{value:,}"


def _reach_cells(row: dict) -> list[Cell]:
    return [
        Cell(_n(row["programmes"]), True),
        Cell(_n(row["participants"]), True),
        Cell(_n(row["young"]), True),
        Cell(_n(row["adults"]), True),
        Cell(_n(row["age_not_known"]), True),
        Cell(_n(row["professionals_trained"]), True),
        Cell(_n(row["sessions"]), True),
        Cell(f"{row['hours']:,.1f}", True),
        Cell(money(row["amount_in_period"]), True),
        Cell(money(row["cost_per_participant"]), True),
    ]


def _grouped(by_programme, column: str, period: reach.Period) -> Table:
    label = reach.GROUPINGS[column]
    rows = [
        [Cell(row[column]), *_reach_cells(row)]
        for row in reach.totals_by(by_programme, column).iter_rows(named=True)
    ]
    rows.append([Cell("All programmes"), *_reach_cells(reach.overall(by_programme))])
    return Table(f"{TABLE_TITLES[column]}, {period.label}", [(label, False), *REACH_HEADERS], rows)


def _programmes(by_programme, period: reach.Period) -> Table:
    rows = [
        [
            Cell(row["programme"]),
            Cell(row["provider"]),
            Cell(money(row["amount_in_period"]), True),
            Cell(_n(row["participants"]), True),
            Cell(money(row["cost_per_participant"]), True),
            Cell(f"{row['returns_accepted']} of {row['returns_due']}", True),
            Cell(share(row["completeness"]), True),
        ]
        for row in by_programme.iter_rows(named=True)
    ]
    return Table(
        f"{TABLE_TITLES['programmes']}, {period.label}",
        [
            ("Programme", False),
            ("Provider", False),
            ("Amount in the period (£)", True),
            ("Participants", True),
            ("Cost per participant (£)", True),
            ("Returns accepted of due", True),
            ("Completeness", True),
        ],
        rows,
    )


def _providers(by_programme, period: reach.Period) -> Table:
    totals = reach.totals_by(by_programme, "provider").sort("provider")
    rows = [
        [
            Cell(row["provider"]),
            Cell(_n(row["programmes"]), True),
            Cell(f"{row['returns_accepted']} of {row['returns_due']}", True),
            Cell(share(row["completeness"]), True),
        ]
        for row in totals.iter_rows(named=True)
    ]
    return Table(
        f"{TABLE_TITLES['providers']}, {period.label}",
        [
            ("Provider", False),
            ("Programmes", True),
            ("Returns accepted of due", True),
            ("Completeness", True),
        ],
        rows,
    )


def _residence(programmes, period: reach.Period) -> Table:
    frame = reach.residence(programmes, period)
    rows = [
        [Cell(row["local_authority"]), Cell(_n(row["participants"]), True)]
        for row in frame.iter_rows(named=True)
    ]
    rows.append([Cell("All participants"), Cell(_n(int(frame["participants"].sum())), True)])
    return Table(
        f"{TABLE_TITLES['residence']}, {period.label}",
        [("Local authority of residence", False), ("Participants", True)],
        rows,
    )


def _served(by_programme, period: reach.Period) -> Table:
    rows = [
        [
            Cell(row["local_authority"]),
            Cell(_n(row["programmes"]), True),
            Cell(money(row["amount_in_period"]), True),
        ]
        for row in reach.served(by_programme).iter_rows(named=True)
    ]
    return Table(
        f"{TABLE_TITLES['served']}, {period.label}",
        [
            ("Local authority", False),
            ("Programmes", True),
            ("Their amount in the period (£)", True),
        ],
        rows,
    )


def _tables(request, form: LeadReachForm) -> tuple[dict[str, Table], object]:
    """Every table of the page, by the name its CSV is downloaded under; and the figures by
    programme they come from."""
    period = form.period
    programmes = services.filter_programmes(
        services.programmes_visible_to(request.user), form.filters()
    )
    by_programme = reach.programme_reach(programmes, period, timezone.localdate())
    tables = {
        column: _grouped(by_programme, column, period)
        for column in ("workstream", "approach", "funder")
    } | {
        "residence": _residence(programmes, period),
        "served": _served(by_programme, period),
        "programmes": _programmes(by_programme, period),
        "providers": _providers(by_programme, period),
    }
    return tables, by_programme


def _scatter(by_programme) -> dict:
    """Spend against reach: one point per programme (the numbers are the programmes table)."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": by_programme["amount_in_period"].to_list(),
                "y": by_programme["participants"].to_list(),
                "text": [
                    f"<b>{name}</b><br>£{money(amount)}: {participants:,} participants"
                    for name, amount, participants in by_programme.select(
                        "programme", "amount_in_period", "participants"
                    ).iter_rows()
                ],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {"size": 10, "color": "#1d70b8"},
            }
        ],
        "layout": {
            "margin": {"l": 70, "r": 10, "t": 10, "b": 60},
            "height": 380,
            "xaxis": {"title": {"text": "Amount in the period (£)"}, "rangemode": "tozero"},
            "yaxis": {"title": {"text": "Participants"}, "rangemode": "tozero"},
        },
        "geojson": None,
        "filename": "spend-against-reach",
    }


def _training(period: reach.Period) -> dict:
    """Issue 8's training figures for the same dates (its periods end the day after)."""
    dates = training_reach.Period(
        period.first_day, period.last_day + datetime.timedelta(days=1), period.label
    )
    return {
        "trained": training_reach.trained_professionals(dates),
        "indirect": training_reach.indirect_reach(dates),
    }


def _context(request, form) -> dict:
    return {
        "form": form,
        "may_manage": True,
        "caveat": reach.CAVEAT,
        "pro_rata": reach.PRO_RATA,
        "query_string": request.GET.urlencode(),
        "titles": TABLE_TITLES,
    }


@leads
@require_safe
def overview(request):
    """The lead's page; a bad period re-shows the form with its message (400)."""
    form = LeadReachForm(request.GET, timezone.localdate())
    if not form.is_valid():
        return render(
            request, "programmes/reach/overview.html", _context(request, form), status=400
        )
    tables, by_programme = _tables(request, form)
    context = _context(request, form) | {
        "period": form.period,
        "totals": reach.overall(by_programme),
        "tables": tables,
        "scatter": _scatter(by_programme),
        "training": _training(form.period),
    }
    return render(request, "programmes/reach/overview.html", context)


@leads
@require_safe
def download_csv(request, table: str):
    """One of the page's tables as CSV, with the page's filters; 404 for an unknown table."""
    if table not in TABLE_TITLES:
        raise Http404("No such table.")
    form = LeadReachForm(request.GET, timezone.localdate())
    if not form.is_valid():
        return render(
            request, "programmes/reach/overview.html", _context(request, form), status=400
        )
    tables, _ = _tables(request, form)
    period = form.period
    return csv_response(
        tables[table],
        notes=[
            f"{TABLE_TITLES[table]}, {period.label} ({period.dates}); accepted returns only",
            reach.CAVEAT,
            reach.PRO_RATA,
        ],
        filename=f"{table}-{period.label.replace(' ', '')}.csv",
    )
