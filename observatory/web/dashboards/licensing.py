"""The licensing report: licensed premises ranked by the ED assaults matched to them, for one
local authority (or the region) and a period, with the premises' details from the register
and, for the top premises and the area overall, when the linked assaults happened, how, and
month by month. What licensing officers take to a review hearing, so every table carries its
source and period.

`build(engine, query)` assembles a `LicensingReport`; the HTML page, the PDF and the CSV
downloads all render that one object, so they agree. The ranking and every premises' count
and rate come from the analysis (`Analysis(engine, Audience.PARTNER).premises`: premises
figures are for partners only). The profiles count the linked attendances
(`observatory.analysis.premises.linked_attendances`, the same link as the ranking's) on the
engine: only aggregates (counts per premises and hour, day, method or month) are ever
brought back, never a row per attendance.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import polars as pl

from observatory.analysis.audience import Analysis
from observatory.analysis.disclosure import Audience
from observatory.analysis.engine import Engine
from observatory.analysis.events import ED
from observatory.analysis.premises import PER_OPENING_HOURS, linked_attendances
from observatory.analysis.profiles import WEEKDAYS
from observatory.errors import ObservatoryError
from observatory.lake.venues import TEXTS_TABLE
from observatory.web.dashboards.query import DashboardQuery, InvalidQuery, places

REGION_NAME = "the region"
NEEDED_TABLES = ("istv", "premises", TEXTS_TABLE, "premises_matches")
SOURCE = "ED assault attendances (ISTV) matched to premises by venue matching"
TOP_PREMISES = 5  # premises profiled one by one: a hearing looks at a handful, not dozens
RANKED_ROWS = 50  # the ranking's rows in the page and PDF; the CSV download has them all
NOT_RECORDED = "not recorded"
RATE_HEADING = f"Assaults per {PER_OPENING_HOURS:,} opening hours (95% interval)"
# Time of night, in the order a night runs: the evening and small hours in two-hour bands
# (closing times fall in them), the day in two wide bands.
TIME_BANDS = (
    (6, 12, "06:00-11:59"),
    (12, 18, "12:00-17:59"),
    (18, 20, "18:00-19:59"),
    (20, 22, "20:00-21:59"),
    (22, 24, "22:00-23:59"),
    (0, 2, "00:00-01:59"),
    (2, 4, "02:00-03:59"),
    (4, 6, "04:00-05:59"),
)
MATCHING = (
    "An ED attendance is linked to a premises when the emergency department's free-text "
    "description of where the assault happened (for example \u201co/s the Red Lion\u201d) "
    "was matched to a premises in the licensing register: automatically, when the match was "
    "confident and unambiguous, or by an analyst who confirmed it. Descriptions matched with "
    "low confidence and not yet reviewed, and those an analyst rejected, are not counted, nor "
    "are assaults whose location was coded home, school or transport, which are never "
    "matched. Counts are therefore a floor: an assault at a premises whose description was "
    "missing, vague or misspelt beyond recognition is not linked to it. An assault is linked "
    "to the premises named, which may mean in or just outside it; it says where the patient "
    "said the assault happened, not who was responsible. Rates divide by the register's "
    "weekly opening hours over the period, so they compare premises open for different "
    "hours; with few assaults the interval is wide and small differences mean little."
)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its label, the area's count then each top premises'."""

    label: str
    counts: list[int]
    bar: float  # the area's count as a percentage of the largest in the table, for bars


@dataclass(frozen=True)
class Breakdown:
    """Linked assaults by one thing (day, time of night, method, month): the area's column
    first, then one column per top premises, in rank order."""

    key: str  # weekday, time, method, month: the CSV's name
    title: str  # "Day of the week"
    row_heading: str
    rows: list[Row]

    def as_frame(self, columns: list[str]) -> pl.DataFrame:
        """The table as a data frame, for the CSV download (`columns` name the counts)."""
        data = {self.row_heading: [row.label for row in self.rows]}
        for index, name in enumerate(columns):
            data[name] = [row.counts[index] for row in self.rows]
        return pl.DataFrame(data, schema_overrides={c: pl.Int64 for c in columns})


@dataclass(frozen=True)
class LicensingReport:
    area_name: str  # "Birmingham" or "the West Midlands region"
    la_code: str | None
    start: str
    end: str
    ranked: pl.DataFrame  # premises_assaults' columns; premises with a linked assault only
    premises_in_register: int
    top: list[dict]  # the first TOP_PREMISES rows of `ranked`
    breakdowns: list[Breakdown]

    @property
    def period(self) -> str:
        return f"{self.start} to {self.end}"

    @property
    def source(self) -> str:
        """What every figure counts, and when: the sentence each table's caption carries."""
        return f"{SOURCE}, {self.period}"

    @property
    def linked_total(self) -> int:
        return int(self.ranked["count"].sum())

    @property
    def premises_with_assaults(self) -> int:
        return self.ranked.height

    @property
    def shown(self) -> list[dict]:
        return self.ranked.head(RANKED_ROWS).to_dicts()

    @property
    def columns(self) -> list[str]:
        """The breakdowns' count columns: the area, then each top premises by rank."""
        area = f"All linked premises in {self.area_name}"
        return [area] + [f"{p['rank']}. {p['premises_name']}" for p in self.top]


def local_authorities(engine: Engine) -> list[tuple[str, str]]:
    """(code, name) of every local authority in the lake, by name: the form's choices."""
    found = [(p.code, p.name) for p in places(engine).values() if p.level == "la"]
    return sorted(found, key=lambda pair: pair[1])


def read_query(params, engine: Engine) -> DashboardQuery:
    """The report's query string (`la`, `from`, `to`) as a dashboard query over ED data:
    the period defaults to the latest 12 months of ED data in the lake. Raises InvalidQuery
    with a sentence for a bad value."""
    get = params.get
    dashboard = {"source": [ED], "from": [get("from") or ""], "to": [get("to") or ""]}
    if code := (get("la") or "").strip():
        dashboard["area"] = [code]
    query = DashboardQuery.from_params(dashboard, engine)
    if query.area is not None and query.area.level != "la":
        raise InvalidQuery(f"{query.area.code} is not a local authority: choose one or the region")
    if query.start is None or query.end is None:
        raise InvalidQuery("the lake holds no ED attendances yet, so there is no period to report")
    return query


def missing_tables(engine: Engine) -> list[str]:
    """The lake tables the report needs and the lake does not have yet."""
    return [table for table in NEEDED_TABLES if not engine.has(table)]


def build(engine: Engine, query: DashboardQuery) -> LicensingReport:
    """The report for `query`'s area (a local authority, or the region) and period."""
    if missing := missing_tables(engine):
        raise ObservatoryError(
            f"the lake has no {', '.join(missing)} yet: import ED data and the licensing "
            "register, then match venues"
        )
    filters = query.filters(sources=(ED,))
    every = Analysis(engine, Audience.PARTNER).premises(filters).table
    ranked = every.filter(pl.col("count") > 0)
    top = ranked.head(TOP_PREMISES).to_dicts()
    licences = [p["licence_number"] for p in top]
    return LicensingReport(
        area_name=query.area.name if query.area else REGION_NAME,
        la_code=query.area.code if query.area else None,
        start=query.start,
        end=query.end,
        ranked=ranked,
        premises_in_register=every.height,
        top=top,
        breakdowns=_breakdowns(engine, linked_attendances(engine, filters), licences, query),
    )


def _counts(engine: Engine, linked: ir.Table, licences: list[str], key) -> pl.DataFrame:
    """Linked attendances per `key` value (`key`) and per top premises (`premises`: its
    licence number, null for all the other premises), counted on the engine."""
    if licences:
        premises = ibis.ifelse(
            linked.licence_number.isin(licences), linked.licence_number, ibis.null("string")
        )
    else:
        premises = ibis.null("string")
    grouped = linked.group_by(premises=premises, key=key).aggregate(count=linked.count())
    return engine.run(grouped).with_columns(pl.col("count").cast(pl.Int64))


def _rows(counts: pl.DataFrame, labels: list[str], licences: list[str], label_of) -> list[Row]:
    """One Row per label, zeros filled in: the area's total, then each top premises'.
    `label_of` turns a counted key (an hour, a weekday number) into its row's label."""
    cells: dict[tuple[str, str | None], int] = {}
    for key, premises, count in counts.select("key", "premises", "count").iter_rows():
        label = label_of(key)
        cells[label, None] = cells.get((label, None), 0) + count
        if premises is not None:
            cells[label, premises] = cells.get((label, premises), 0) + count
    largest = max((cells.get((label, None), 0) for label in labels), default=0)
    rows = []
    for label in labels:
        area = cells.get((label, None), 0)
        rows.append(
            Row(
                label=label,
                counts=[area] + [cells.get((label, licence), 0) for licence in licences],
                bar=round(100 * area / largest, 1) if largest else 0.0,
            )
        )
    return rows


def _months(start: str, end: str) -> list[str]:
    (y0, m0), (y1, m1) = map(int, start.split("-")), map(int, end.split("-"))
    return [
        f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(y0 * 12 + m0 - 1, y1 * 12 + m1)
    ]


def _band(hour: int | None) -> str:
    if hour is None:
        return NOT_RECORDED
    return next(label for low, high, label in TIME_BANDS if low <= hour < high)


def _weekday(day: int | None) -> str:
    return NOT_RECORDED if day is None else WEEKDAYS[day]


def _same(value: str | None) -> str:
    return NOT_RECORDED if value is None else value


def _breakdowns(
    engine: Engine, linked: ir.Table, licences: list[str], query: DashboardQuery
) -> list[Breakdown]:
    """Day of the week, time of night, method and month: four small queries on the engine."""
    occurred = linked.occurred_at
    days = _counts(engine, linked, licences, occurred.day_of_week.index().cast("int32"))
    hours = _counts(engine, linked, licences, occurred.hour().cast("int32"))
    methods = _counts(engine, linked, licences, linked.assault_method)
    months = _counts(engine, linked, licences, linked.month)
    untimed = [NOT_RECORDED] if days["key"].null_count() else []
    by_method = methods.group_by("key").agg(pl.col("count").sum())
    by_method = by_method.sort(["count", "key"], descending=[True, False], nulls_last=True)
    method_labels = list(dict.fromkeys(_same(key) for key in by_method["key"]))
    day_labels, time_labels = list(WEEKDAYS) + untimed, [b[2] for b in TIME_BANDS] + untimed
    return [
        Breakdown("weekday", "Day of the week", "Day",
                  _rows(days, day_labels, licences, _weekday)),
        Breakdown("time", "Time of day and night", "Time",
                  _rows(hours, time_labels, licences, _band)),
        Breakdown("method", "Method of assault", "Method",
                  _rows(methods, method_labels, licences, _same)),
        Breakdown("month", "Month by month", "Month",
                  _rows(months, _months(query.start, query.end), licences, _same)),
    ]  # fmt: skip


def rate_text(row: dict) -> str:
    """'3.24 (0.67 to 9.47)': assaults per 1,000 opening hours with its 95% interval."""
    if row.get("value") is None:
        return "no opening hours in the register"
    return f"{row['value']:.2f} ({row['lower']:.2f} to {row['upper']:.2f})"
