"""What the partner and public dashboard pages share: reading the filters, the page frame
(navigation, breadcrumb, filter form), and turning the dashboards' panels into tables and
Plotly figures.

Every number on a page comes from a `services` panel, the same one the JSON API and its CSV
download return for the same query string: tables are rendered here from the panel's rows,
and charts are drawn in the browser from figures built from those same rows (embedded with
`json_script`), so a chart, its table and its CSV agree by construction. For the public the
panel is already through disclosure control; a hidden count is shown in words ("fewer than
8"), never as a number, in tables, tiles and hover text alike.

The views stay thin: `render_page(request, page, audience)` does the rest.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from observatory.analysis.audience import REGION
from observatory.analysis.disclosure import Audience, CellStatus, rule_from_environment
from observatory.analysis.events import ED, FORCE, POLICE_UK
from observatory.analysis.indicators import AREA_NAMES, Filters, filtered_events
from observatory.analysis.trends import compare_counts
from observatory.errors import ObservatoryError
from observatory.web.accounts.roles import Capability, may
from observatory.web.dashboards import services
from observatory.web.dashboards.lake import current_engine, remembered
from observatory.web.dashboards.query import (
    AGE_BANDS,
    LEVEL_COLUMN,
    SEXES,
    DashboardQuery,
    InvalidQuery,
    categories_of,
    places,
)

PAGES = {
    "overview": "Overview",
    "map": "Map",
    "time": "Time",
    "who": "Who and how",
    "compare": "Compare areas",
}
URL_NAMES = {
    Audience.PARTNER: {page: f"dashboards-{page}" for page in PAGES} | {"overview": "dashboards"},
    Audience.PUBLIC: {page: f"public-{page}" for page in PAGES} | {"overview": "public"},
}
SOURCE_LABELS = {POLICE_UK: "police.uk", FORCE: "Force recorded crime", ED: "Emergency departments"}
LEVEL_NAMES = {"la": "Local authorities", "ward": "Wards", "lsoa": "Small areas"}
BREAKDOWNS = {
    "age_band": "Age band",
    "sex": "Sex",
    "under_25": "Under 25",
    "category": "Crime type or method",
    "location_type": "Location type",
}
VALUE_WORDS = {"true": "Yes", "false": "No", "F": "Female", "M": "Male", "U": "Not known"}
UNDER_25_WORDS = {"true": "Under 25", "false": "25 and over"}
COMPARED = {
    "higher": ("Higher", "#b35806"),
    "similar": ("Similar", "#bababa"),
    "lower": ("Lower", "#2166ac"),
    None: ("Not compared", "#f7f7f7"),
}
MISSING = "\u2013"  # an en dash: no value to show


# --- cells and tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    href: str | None = None
    count: bool = False  # a count (public pages: never 1 to 7), marked data-count in HTML
    bar: dict | None = None  # an interval bar: percentages of the bar's width


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[tuple[str, bool]]  # (label, numeric)
    rows: list[list[Cell]]


@dataclass
class Shown:
    """One panel as a page shows it: a heading, what it counts, an optional chart, its
    numbers as a table and the CSV download of exactly those numbers."""

    key: str
    title: str
    described: str
    table: Table
    csv_url: str
    figure: dict | None = None
    chart_label: str = ""
    notes: list[str] = field(default_factory=list)
    error = None  # see Unavailable


def count_text(row: dict, column: str = "count") -> str:
    """A count as people read it: thousands separated, or the words for a hidden one."""
    status = row.get(f"{column}_status")
    if status and status != CellStatus.SHOWN:
        return CellStatus(status).describe(rule_from_environment())
    value = row.get(column)
    return MISSING if value is None else f"{value:,}"


def rate_text(value: float | None) -> str:
    return MISSING if value is None else f"{value:,.1f}"


def interval_text(row: dict) -> str:
    if row.get("lower") is None or row.get("upper") is None:
        return MISSING
    return f"{row['lower']:,.1f} to {row['upper']:,.1f}"


def count_axis(page: Page, values, title: str | None = None) -> dict:
    """A Plotly axis (or colour bar) for counts. Its tick labels are figures on the page too,
    so on public pages they step by ten or more: none can read as a count from 1 to 7."""
    axis: dict = {"title": {"text": title}} if title else {}
    if page.public:
        top = max((v for v in values if v is not None), default=0)
        axis |= {"tick0": 0, "dtick": max(10, math.ceil(top / 50) * 10)}
    return axis


def small_words(number: int) -> str:
    """Numbers below ten in words ("five"), as public pages write them: no figure from 1 to 7
    may appear in a public page, lest it read as a small count."""
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return words[number] if 0 <= number < len(words) else f"{number:,}"


def value_words(by: str, value) -> str:
    if by == "under_25":
        return UNDER_25_WORDS.get(value, value)
    return VALUE_WORDS.get(value, value)


# --- the page's frame: query, filters, navigation, breadcrumb -----------------------------


@dataclass
class Page:
    """The request's query for one audience, and the links every dashboard page needs."""

    request: object
    audience: Audience
    query: DashboardQuery

    @property
    def public(self) -> bool:
        return self.audience is Audience.PUBLIC

    def url(self, page: str, **changes) -> str:
        query_string = self.query.query_string(**changes)
        path = reverse(URL_NAMES[self.audience][page])
        return f"{path}?{query_string}" if query_string else path

    def api_url(self, endpoint: str, *, csv: bool = True, **changes) -> str:
        root = reverse("api:openapi-json").rsplit("/", 1)[0]
        prefix = "public/" if self.public else ""
        params = self.query.params(**changes)
        if csv:
            params["format"] = ["csv"]
        return f"{root}/{prefix}{endpoint}?{urlencode(params, doseq=True)}"

    @property
    def comparator(self) -> str:
        return self.query.area.name if self.query.area else "the region"

    def may_drill(self) -> bool:
        """Whether the listed areas link one level down: partners to small areas, the public
        to wards only (services.PUBLIC_LEVELS)."""
        if self.public:
            return self.query.child_level == "la"
        return self.query.level != "lsoa"


def navigation(page: Page, current: str) -> list[dict]:
    """Links between the pages, keeping the filters; partners also get the licensing
    report for the area's local authority and the same period."""
    entries = [
        {"title": title, "href": page.url(key), "current": key == current}
        for key, title in PAGES.items()
    ]
    if not page.public:
        query = page.query
        la = query.area.code if query.area and query.area.level == "la" else None
        if query.area and query.area.level != "la":
            la = query.area.parents[0][1]
        params = {"from": query.start, "to": query.end} | ({"la": la} if la else {})
        entries.append(
            {
                "title": "Licensing report",
                "href": f"{reverse('licensing-report')}?{urlencode(params)}",
                "current": False,
            }
        )
    return entries


def breadcrumb(page: Page, current: str) -> list[dict]:
    """Region → local authority → ward → small area, each a link to the same page there."""
    area = page.query.area
    trail = [{"name": "Region", "href": page.url(current, area=None)}]
    if area is not None:
        for _level, code, name in area.parents:
            trail.append({"name": name, "href": page.url(current, area=code)})
        trail.append({"name": area.name, "href": None})
    else:
        trail[0]["href"] = None
    return trail


def filter_form(page: Page) -> dict:
    """Choices and current values for the filter form (GET: filters live in the URL)."""
    query = page.query
    sources = services.PUBLIC_SOURCES if page.public else (POLICE_UK, FORCE, ED)
    return {
        "start": query.start or "",
        "end": query.end or "",
        "sources": [
            {"value": s, "label": SOURCE_LABELS[s], "checked": s in query.sources} for s in sources
        ],
        "categories": [
            {"value": c, "checked": c in query.categories}
            for c in categories_of(current_engine(), query.sources)
        ],
        "age_bands": [{"value": a, "selected": a == query.age_band} for a in AGE_BANDS],
        "sexes": [{"value": s, "label": VALUE_WORDS[s], "selected": s == query.sex} for s in SEXES],
        "area": query.area.code if query.area else "",
    }


def page_view(key: str, audience: Audience, guard: Callable):
    """The view of dashboard page `key` for `audience`, behind `guard` (the decorator that
    says who may open it: a capability check, or none for the public)."""

    @guard
    @require_safe
    def view(request):
        return render_page(request, key, audience)

    view.__name__ = view.__qualname__ = key
    view.__doc__ = f"The {audience.value} dashboards' {key} page."
    return view


def render_page(request, page_key: str, audience: Audience):
    """The page, or the sentence saying why the filters are wrong (400), or a friendly page
    when the lake holds no data yet for the chosen sources."""
    engine = current_engine()
    frame = {"public": audience is Audience.PUBLIC}
    if not places(engine):
        return render(request, "dashboards/empty.html", frame)
    try:
        query = DashboardQuery.from_params(request.GET, engine)
        if audience is Audience.PUBLIC:
            services.check_public(query)
    except InvalidQuery as error:
        start = reverse(URL_NAMES[audience][page_key])
        context = frame | {"error": str(error), "start": start}
        return render(request, "dashboards/invalid.html", context, status=400)
    if query.end is None:
        return render(request, "dashboards/empty.html", frame | {"sources": query.sources})
    page = Page(request, audience, query)
    context = frame | {
        "page": page,
        "title": PAGES[page_key],
        "place": query.area.name if query.area else "the region",
        "nav": navigation(page, page_key),
        "crumbs": breadcrumb(page, page_key),
        "form": filter_form(page),
        "action": reverse(URL_NAMES[audience][page_key]),
        "source_names": [services.SOURCE_NAMES[s] for s in query.sources],
        "rule_words": {
            "smallest_shown": rule_from_environment().smallest_shown,
            "rounding": small_words(rule_from_environment().rounding_base),
        },
    }
    template = f"dashboards/{page_key}.html"
    analyst = may(request.user, Capability.VIEW_RECORD_LEVEL)

    def panels() -> str:
        built = context | BUILDERS[page_key](page) | {"frame": "dashboards/_panels_only.html"}
        return render_to_string(template, built)

    # The panels depend only on the page, the filters, the audience and whether the viewer
    # is an analyst: worked out once per lake version, then only the frame is rendered.
    key = ("page panels", page_key, query, audience, analyst)
    html = remembered(key, panels)
    return render(
        request, template, context | {"frame": "dashboards/page.html", "panels_html": html}
    )


@dataclass(frozen=True)
class Unavailable:
    """A panel with nothing to show, and the sentence saying why."""

    title: str
    error: str

    @property
    def key(self) -> str:
        return slugify(self.title)


def attempt(title: str, build: Callable[[], object]):
    """The panel `build` makes, or `Unavailable` with the sentence saying why it has
    nothing to show (no events match, say): one empty panel must not take the page down."""
    try:
        return build()
    except InvalidQuery:
        raise
    except ObservatoryError as error:
        return Unavailable(title, str(error))


# --- areas: tiles, map, compare table, areas that stand out -------------------------------


def _area_rows(page: Page, panel: services.Panel) -> tuple[list[dict], dict | None]:
    level = page.query.child_level
    code, name = LEVEL_COLUMN[level], AREA_NAMES[LEVEL_COLUMN[level]]
    rows, total = [], None
    for row in panel.table.iter_rows(named=True):
        row = row | {"code": row[code], "name": row[name]}
        if row["code"] is None:
            total = row | {"name": page.comparator if page.query.area else REGION}
        else:
            rows.append(row)
    return rows, total


def _drill(page: Page, key: str, row: dict) -> str | None:
    return page.url(key, area=row["code"]) if page.may_drill() else None


def areas_panels(page: Page) -> list[tuple[str, services.Panel]]:
    """One areas panel per source: the combined view shows sources side by side, since
    they count different things and must never be added up."""
    return [
        (source, services.areas(replace(page.query, sources=(source,)), page.audience))
        for source in page.query.sources
    ]


def compare_table(page: Page, key: str, source: str, panel: services.Panel) -> Shown:
    """Fingertips-style: area, count, rate, interval, compared with the parent, and an
    interval bar (rate and interval against the parent's rate)."""
    rows, total = _area_rows(page, panel)
    highest = max([r["upper"] or 0 for r in rows] + [(total or {}).get("upper") or 0]) or 1
    benchmark = (total or {}).get("value")

    def bar(row):
        if row.get("value") is None:
            return None
        return {
            "low": 100 * (row["lower"] or 0) / highest,
            "high": 100 * (row["upper"] or 0) / highest,
            "value": 100 * row["value"] / highest,
            "benchmark": None if benchmark is None else 100 * benchmark / highest,
            "colour": COMPARED.get(row.get("compared"), COMPARED[None])[1],
        }

    def line(row, href=None, compared=True):
        label = COMPARED.get(row.get("compared"), COMPARED[None])[0] if compared else MISSING
        return [
            Cell(row["name"], href=href),
            Cell(count_text(row), numeric=True, count=True),
            Cell(rate_text(row.get("value")), numeric=True),
            Cell(interval_text(row), numeric=True),
            Cell(label),
            Cell("", bar=bar(row)),
        ]

    body = [line(row, _drill(page, key, row)) for row in rows]
    if total is not None:
        body.append(line(total, compared=False))
    level = LEVEL_NAMES[page.query.child_level]
    table = Table(
        f"{level} in {page.comparator}: {SOURCE_LABELS[source]}, rate per 100,000 residents",
        [
            ("Area", False),
            ("Count", True),
            ("Rate per 100,000", True),
            ("95% interval", True),
            (f"Compared with {page.comparator}", False),
            ("Rate and interval", False),
        ],
        body,
    )
    return Shown(
        f"compare-{source}",
        f"{level} compared with {page.comparator}: {SOURCE_LABELS[source]}",
        panel.described,
        table,
        page.api_url("areas", source=source),
    )


def map_panel(page: Page, key: str, source: str, panel: services.Panel) -> Shown:
    """A choropleth of the areas one level down, coloured by how each compares with the
    parent area; the outlines come from the lake through the boundaries endpoint."""
    shown = compare_table(page, key, source, panel)
    rows, _ = _area_rows(page, panel)
    traces = []
    for compared, (label, colour) in COMPARED.items():
        chosen = [r for r in rows if r.get("compared") == compared]
        if not chosen:
            continue
        traces.append(
            {
                "type": "choropleth",
                "name": _compared_words(label, page.comparator) if compared else label,
                "locations": [r["code"] for r in chosen],
                # One colour per verdict: z only satisfies Plotly, and is no count.
                "z": [0] * len(chosen),
                "zmin": 0,
                "zmax": 10,
                "colorscale": [[0, colour], [1, colour]],
                "showscale": False,
                "showlegend": True,
                "marker": {"line": {"color": "#505a5f", "width": 0.6}},
                "text": [_hover(r) for r in chosen],
                "hovertemplate": "%{text}<extra></extra>",
                "customdata": [_drill(page, key, r) for r in chosen],
            }
        )
    figure = {
        "data": traces,
        "layout": {
            "geo": {"fitbounds": "locations", "visible": False},
            "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
            "height": 480,
            "legend": {"title": {"text": "Rate compared with " + page.comparator}},
        },
        "geojson": page.api_url("boundaries", csv=False, source=source),
        "filename": f"map-{source}",
    }
    return replace(
        shown,
        key=f"map-{source}",
        title=f"Map of {LEVEL_NAMES[page.query.child_level].lower()}: {SOURCE_LABELS[source]}",
        figure=figure,
        chart_label=(
            f"Map of {LEVEL_NAMES[page.query.child_level].lower()} in {page.comparator} coloured "
            f"by rate compared with {page.comparator}; the numbers are in the table below."
        ),
    )


def _compared_words(label: str, comparator: str) -> str:
    return f"{label} to {comparator}" if label == "Similar" else f"{label} than {comparator}"


def _hover(row: dict) -> str:
    rate = rate_text(row.get("value"))
    return (
        f"<b>{row['name']}</b><br>{count_text(row)} events<br>{rate} per 100,000 "
        f"({interval_text(row)})"
    )


def standouts(page: Page, key: str, panel: services.Panel) -> list[dict]:
    """Areas whose rate is significantly higher than the parent's, highest first."""
    rows, _ = _area_rows(page, panel)
    higher = sorted(
        (r for r in rows if r.get("compared") == "higher"), key=lambda r: -(r["value"] or 0)
    )
    return [
        {
            "name": r["name"],
            "href": _drill(page, key, r),
            "rate": rate_text(r["value"]),
            "interval": interval_text(r),
        }
        for r in higher
    ]


def _shift(month: str, months: int) -> str:
    year, number = map(int, month.split("-"))
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def earliest_month(sources: tuple[str, ...]) -> str | None:
    engine = current_engine()

    def compute():
        events = filtered_events(engine, Filters(sources=sources), ["month"])
        return engine.run(events.aggregate(first=events.month.min()))["first"][0]

    return engine.cached(("earliest month", sources), compute)


def change_on_last_year(page: Page, source: str, total: dict) -> str:
    """The period's count against the same months a year before, with the exact Poisson
    test (analysis.trends.compare_counts); public pages compare the published counts."""
    query = page.query
    start, end = query.start, query.end
    if _shift(start, 12) <= end:
        return "Choose a period of 12 months or less to compare with the year before."
    before = replace(query, start=_shift(start, -12), end=_shift(end, -12), sources=(source,))
    first = earliest_month((source,))
    if first is None or first > before.start:
        return f"No data for {before.start} to {before.end} to compare with."
    _, previous = _area_rows(page, services.areas(before, page.audience))
    now, then = total.get("count"), (previous or {}).get("count")
    if now is None or then is None:
        return "Not shown: a count is too small to publish."
    result = compare_counts(now, then)
    if result.percent_change is None:
        return f"None in {before.start} to {before.end} to compare with."
    direction = "up" if result.change > 0 else "down" if result.change < 0 else "unchanged"
    percent = round(abs(result.percent_change))
    size = f" {small_words(percent) if page.public else percent} per cent" if result.change else ""
    verdict = {"increase": "a significant increase", "decrease": "a significant decrease"}.get(
        result.verdict, "not a significant change"
    )
    return f"{direction}{size} on {before.start} to {before.end}: {verdict} (95%)"


def tiles(page: Page, panels: list[tuple[str, services.Panel]]) -> list[dict]:
    """Headline figures per source: count, rate with interval, change on last year."""
    found = []
    for source, panel in panels:
        _, total = _area_rows(page, panel)
        if total is None:
            continue
        found.append(
            {
                "source": SOURCE_LABELS[source],
                "count": count_text(total),
                "rounded": page.public and total.get("count_status") == CellStatus.SHOWN,
                "rate": rate_text(total.get("value")),
                "interval": interval_text(total),
                "change": change_on_last_year(page, source, total),
            }
        )
    return found


# --- trend, profile, breakdowns, measures -------------------------------------------------


def trend_panel(page: Page, full: bool) -> Shown:
    """Monthly counts per source with the exceedances marked; `full` adds the rolling
    12-month total (right-hand axis) and the seasonal expectation with its upper limit."""
    panel = services.trend(page.query, page.audience)
    table = panel.table
    traces = []
    for (source,), part in table.group_by("source", maintain_order=True):
        rows = part.to_dicts()
        months = [r["month"] for r in rows]
        name = SOURCE_LABELS[source]
        traces.append(_line(months, rows, "count", f"{name}: events", "lines+markers"))
        exceeding = [r for r in rows if r.get("exceeds")]
        if exceeding:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": f"{name}: above expected",
                    "x": [r["month"] for r in exceeding],
                    "y": [r["count"] for r in exceeding],
                    "marker": {"symbol": "x", "size": 12, "color": "#d4351c"},
                    "text": [count_text(r) for r in exceeding],
                    "hovertemplate": "%{x}: %{text}, above the expected range<extra></extra>",
                }
            )
        if full:
            traces.append(_line(months, rows, "expected", f"{name}: expected", "lines", "dash"))
            traces.append(_line(months, rows, "upper", f"{name}: upper limit", "lines", "dot"))
            rolling = _line(months, rows, "rolling_12", f"{name}: rolling 12 months", "lines")
            traces.append(rolling | {"yaxis": "y2"})
    layout = {
        "margin": {"l": 60, "r": 60, "t": 10, "b": 50},
        "height": 380,
        "xaxis": {"title": {"text": "Month"}, "type": "category"},
        "yaxis": count_axis(page, table["count"], "Events per month") | {"rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.25},
    }
    if full:
        layout["yaxis2"] = count_axis(page, table["rolling_12"], "Rolling 12-month total") | {
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
        }
    rows = [
        [
            Cell(SOURCE_LABELS[r["source"]]),
            Cell(r["month"]),
            Cell(count_text(r), numeric=True, count=True),
            Cell(count_text(r, "rolling_12"), numeric=True, count=True),
            Cell(rate_text(r.get("expected")), numeric=True),
            Cell(rate_text(r.get("upper")), numeric=True),
            Cell("Yes" if r.get("exceeds") else "No" if r.get("exceeds") is False else MISSING),
            Cell(r.get("status") or ""),
        ]
        for r in table.iter_rows(named=True)
    ]
    return Shown(
        "trend",
        "Events by month",
        panel.described,
        Table(
            f"Events by month in {page.comparator}",
            [
                ("Source", False),
                ("Month", False),
                ("Events", True),
                ("Rolling 12 months", True),
                ("Expected", True),
                ("Upper limit", True),
                ("Above expected", False),
                ("Note", False),
            ],
            rows,
        ),
        page.api_url("trend"),
        {"data": traces, "layout": layout, "filename": "trend"},
        f"Line chart of events by month in {page.comparator}, exceedances marked with a cross; "
        "the numbers are in the table below.",
    )


def _line(months, rows, column, name, mode, dash=None) -> dict:
    trace = {
        "type": "scatter",
        "mode": mode,
        "name": name,
        "x": months,
        "y": [r.get(column) for r in rows],
        "text": [
            count_text(r, column) if column in ("count", "rolling_12") else rate_text(r.get(column))
            for r in rows
        ],
        "hovertemplate": f"{name}, %{{x}}: %{{text}}<extra></extra>",
    }
    if dash:
        trace["line"] = {"dash": dash}
    return trace


def profile_panel(page: Page) -> Shown:
    """Hour of day by day of week (ED and force data: police.uk has no times)."""
    panel = services.profile(page.query, page.audience)
    grid: dict[str, dict[int, dict]] = {}
    for row in panel.table.sort("weekday", "hour").iter_rows(named=True):
        grid.setdefault(row["weekday_name"], {})[row["hour"]] = row
    hours = [f"{h:02d}:00" for h in range(24)]
    days = list(grid)
    figure = {
        "data": [
            {
                "type": "heatmap",
                "x": hours,
                "y": days,
                "z": [[grid[d].get(h, {}).get("count") for h in range(24)] for d in days],
                "text": [
                    [count_text(grid[d][h]) if h in grid[d] else MISSING for h in range(24)]
                    for d in days
                ],
                "hovertemplate": "%{y} %{x}: %{text}<extra></extra>",
                "colorscale": "Blues",
                "reversescale": True,  # Plotly's Blues runs dark to light: busiest darkest
                "colorbar": count_axis(page, panel.table["count"], "Events"),
            }
        ],
        "layout": {
            "margin": {"l": 90, "r": 10, "t": 10, "b": 60},
            "height": 340,
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"title": {"text": "Hour of the day"}},
        },
        "filename": "hour-weekday",
    }
    rows = [
        [Cell(d)]
        + [
            Cell(count_text(grid[d][h]) if h in grid[d] else MISSING, True, count=True)
            for h in range(24)
        ]
        for d in days
    ]
    # Only ED and force data have times (services.profile): say which were counted.
    timed = tuple(s for s in page.query.sources if s in (ED, FORCE)) or (ED,)
    what = "Violent events by hour and day of the week"
    return Shown(
        "profile",
        "Hour of the day and day of the week",
        services.describe(replace(page.query, sources=timed), what),
        Table(
            f"Events by hour and day of the week in {page.comparator}: "
            + ", ".join(SOURCE_LABELS[s] for s in timed),
            [("Day", False)] + [(h, True) for h in hours],
            rows,
        ),
        page.api_url("profile"),
        figure,
        "Heat map of events by hour of the day and day of the week; the numbers are in the "
        "table below.",
        notes=[]
        if ED in page.query.sources or FORCE in page.query.sources
        else ["police.uk data has no times, so this panel shows emergency-department assaults."],
    )


def breakdown_panel(page: Page, by: str) -> Shown:
    panel = services.breakdown(page.query, page.audience, by)
    label = BREAKDOWNS[by]
    traces = []
    for (source,), part in panel.table.group_by("source", maintain_order=True):
        rows = part.to_dicts()
        traces.append(
            {
                "type": "bar",
                "name": SOURCE_LABELS[source],
                "x": [value_words(by, r[by]) for r in rows],
                "y": [r["count"] for r in rows],
                "text": [count_text(r) for r in rows],
                "textposition": "none",
                "hovertemplate": f"{SOURCE_LABELS[source]}, %{{x}}: %{{text}}<extra></extra>",
            }
        )
    rows = [
        [
            Cell(SOURCE_LABELS[r["source"]]),
            Cell(value_words(by, r[by])),
            Cell(count_text(r), numeric=True, count=True),
        ]
        for r in panel.table.iter_rows(named=True)
    ]
    return Shown(
        f"breakdown-{by}",
        f"By {label.lower()}",
        panel.described,
        Table(
            f"Events by {label.lower()} in {page.comparator}",
            [("Source", False), (label, False), ("Events", True)],
            rows,
        ),
        page.api_url(f"breakdown/{by}"),
        {
            "data": traces,
            "layout": {
                "barmode": "group",
                "margin": {"l": 60, "r": 10, "t": 10, "b": 80},
                "height": 320,
                "yaxis": count_axis(page, panel.table["count"], "Events"),
                "xaxis": {"type": "category"},
            },
            "filename": f"by-{by}",
        },
        f"Bar chart of events by {label.lower()}; the numbers are in the table below.",
    )


def measures_panel(page: Page) -> Shown:
    panel = services.measures(page.query, page.audience)
    rows = [
        [
            Cell(r["label"]),
            Cell("Under 25" if r["ages"] == "under_25" else "All ages"),
            Cell(count_text(r), numeric=True, count=True),
            Cell(rate_text(r.get("value")), numeric=True),
            Cell(interval_text(r), numeric=True),
        ]
        for r in panel.table.iter_rows(named=True)
    ]
    return Shown(
        "measures",
        "Home Office serious-violence measures",
        # The measures count ED and force data whatever the page's sources are.
        services.describe(
            replace(page.query, sources=(ED, FORCE)), "Home Office serious-violence measures"
        ),
        Table(
            f"Home Office serious-violence measures in {page.comparator}",
            [
                ("Measure", False),
                ("Ages", False),
                ("Count", True),
                ("Rate per 100,000", True),
                ("95% interval", True),
            ],
            rows,
        ),
        page.api_url("measures"),
    )


# --- the pages ----------------------------------------------------------------------------


def overview(page: Page) -> dict:
    """Headline tiles, the Home Office measures (partners), a map, the trend with its
    exceedances, and the areas that stand out."""
    panels = attempt("Areas", lambda: areas_panels(page))
    context = {"trend": attempt("Events by month", lambda: trend_panel(page, full=False))}
    if not page.public:
        context["measures"] = attempt("Home Office measures", lambda: measures_panel(page))
    if isinstance(panels, Unavailable):
        return context | {"areas_error": panels.error}
    return context | {
        "tiles": tiles(page, panels),
        "maps": [map_panel(page, "overview", source, panel) for source, panel in panels],
        "standouts": [
            {"source": SOURCE_LABELS[source], "areas": standouts(page, "overview", panel)}
            for source, panel in panels
        ],
    }


HEX_SIZE = 500  # metres from a hexagon's centre to its corners
HEXES_LISTED = 20
ANALYSTS_ONLY = (
    "For analysts: finer than any published area, so never shown outside the partnership."
)


def hex_panel(page: Page) -> Shown:
    """Analysts only: where located events cluster, in 500 m hexagons (the densest listed
    in the table, every one in the CSV). Finer than any area, so never on public pages."""
    panel = services.hexes(page.query, HEX_SIZE)
    rows = panel.table.sort("count", descending=True).to_dicts()
    table = Table(
        caption=f"The {HEXES_LISTED} hexagons with the most events (centre in British "
        "National Grid metres)",
        headers=[("Easting", True), ("Northing", True), ("Events", True)],
        rows=[
            [
                Cell(f"{row['easting']:.0f}", numeric=True),
                Cell(f"{row['northing']:.0f}", numeric=True),
                Cell(f"{row['count']:,}", numeric=True, count=True),
            ]
            for row in rows[:HEXES_LISTED]
        ],
    )
    figure = {
        "data": [
            {
                "type": "scattergeo",
                "lon": [row["longitude"] for row in rows],
                "lat": [row["latitude"] for row in rows],
                "text": [f"{row['count']:,} events" for row in rows],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "symbol": "hexagon",
                    "size": 7,
                    "color": [row["count"] for row in rows],
                    "colorscale": "YlOrRd",
                    "showscale": True,
                    "colorbar": {"title": {"text": "Events"}},
                },
                "showlegend": False,
            }
        ],
        "layout": {
            "geo": {"fitbounds": "locations", "visible": False},
            "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
            "height": 480,
        },
        "geojson": None,
        "filename": "hexagons",
    }
    return Shown(
        key="hexes",
        title=f"Where located events cluster ({HEX_SIZE} m hexagons)",
        described=panel.described,
        table=table,
        csv_url=page.api_url("hexes") + f"&size={HEX_SIZE}",
        figure=figure,
        chart_label="Hexagons coloured by the number of located events; the densest are "
        "listed in the table below.",
        notes=[ANALYSTS_ONLY],
    )


def map_page(page: Page) -> dict:
    panels = attempt("Areas", lambda: areas_panels(page))
    analyst = may(page.request.user, Capability.VIEW_RECORD_LEVEL) and not page.public
    hexes = attempt("Hexagons", lambda: hex_panel(page)) if analyst else None
    if isinstance(panels, Unavailable):
        return {"areas_error": panels.error, "hexes": hexes}
    return {
        "maps": [map_panel(page, "map", source, panel) for source, panel in panels],
        "hexes": hexes,
    }


def time_page(page: Page) -> dict:
    return {
        "trend": attempt("Events by month", lambda: trend_panel(page, full=True)),
        "profile": attempt("Hour and day of the week", lambda: profile_panel(page)),
    }


def who_page(page: Page) -> dict:
    return {
        "breakdowns": [
            attempt(f"By {label.lower()}", lambda by=by: breakdown_panel(page, by))
            for by, label in BREAKDOWNS.items()
        ]
    }


def compare_page(page: Page) -> dict:
    panels = attempt("Areas", lambda: areas_panels(page))
    if isinstance(panels, Unavailable):
        return {"areas_error": panels.error}
    return {"tables": [compare_table(page, "compare", source, panel) for source, panel in panels]}


BUILDERS = {
    "overview": overview,
    "map": map_page,
    "time": time_page,
    "who": who_page,
    "compare": compare_page,
}
