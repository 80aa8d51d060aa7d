"""ED assaults linked to licensed premises: the numbers behind a licensing review.

An ED attendance is linked to a premises when its location description belongs to a
location that venue matching (`observatory.lake.venues`) matched automatically or an
analyst confirmed; descriptions coded home, school or transport never are.

- `premises_assaults(engine, filters)`: every premises in the register (in the filtered
  area), with the linked assaults in the period, its weekly opening hours, the assaults per
  1,000 opening hours with an interval (Byar / exact, opening hours as the denominator),
  ranked by assaults, then rate. Premises with no linked assault are listed with 0.
- `premises_types(engine, filters)`: the same per premises type, with the number of premises.

Opening hours in the period are the register's weekly hours times the weeks in the
period's months that the ED data covers (365.25 / 12 / 7 weeks a month).
"""

from __future__ import annotations

from dataclasses import replace

import ibis.expr.types as ir
import polars as pl

from observatory.analysis import stats
from observatory.analysis.engine import Engine
from observatory.analysis.events import ED, KNIFE_METHOD
from observatory.analysis.indicators import Filters
from observatory.errors import ObservatoryError
from observatory.lake.venues import CONFIRMED, NOT_AT_PREMISES, TEXTS_TABLE
from observatory.sources.matching import AUTO

PER_OPENING_HOURS = 1_000
WEEKS_PER_MONTH = 365.25 / 12 / 7
REGISTER_COLUMNS = [
    "licence_number", "premises_name", "address", "postcode", "premises_type",
    "opening_hours", "weekly_opening_hours", "la_code", "ward_code", "lsoa_code",
]  # fmt: skip


def linked_attendances(engine: Engine, filters: Filters) -> ir.Table | None:
    """ED attendances linked to a licensed premises, one row each with `licence_number`,
    `month`, `assault_method` and `occurred_at`, as an expression on the engine (never run
    whole: aggregate it); None when the lake lacks the ED data or the matches.

    Not coded home, school or transport; the description's location matched automatically
    or confirmed by an analyst; in the period and of the ages, sex and method `filters`
    select. An area filter keeps the premises in that area (where the premises is, not
    where the patient lives)."""
    for table in ("istv", TEXTS_TABLE, "premises_matches"):
        if not engine.has(table):
            return None
    ed = engine.table("istv")
    conditions = [~ed.assault_location_code.isin(NOT_AT_PREMISES)]
    if filters.start:
        conditions.append(ed.month >= filters.start)
    if filters.end:
        conditions.append(ed.month <= filters.end)
    if filters.age_bands:
        conditions.append(ed.age_band.isin(filters.age_bands))
    if filters.under_25 is not None:
        conditions.append(ed.under_25 == filters.under_25)
    if filters.sex:
        conditions.append(ed.patient_sex == filters.sex)
    if filters.knife is not None:
        conditions.append((ed.assault_method_code == KNIFE_METHOD) == filters.knife)
    ed = ed.filter(*conditions)
    texts = engine.table(TEXTS_TABLE)
    matches = engine.table("premises_matches")
    matches = matches.filter(matches.status.isin((AUTO, CONFIRMED))).select(
        "location_key", "licence_number"
    )
    linked = ed.join(
        texts,
        [
            ed.site_code == texts.site_code,
            ed.assault_location_description == texts.assault_location_description,
        ],
    ).join(matches, "location_key")
    if filters.areas and engine.has("premises"):
        premises = engine.table("premises")
        for column, code in filters.areas.items():
            premises = premises.filter(premises[column] == code)
        linked = linked.filter(linked.licence_number.isin(premises.licence_number))
    return linked.select(
        "licence_number",
        "month",
        "assault_method",
        occurred_at=linked.assault_datetime.coalesce(linked.arrival_datetime),
    )


def linked_counts(engine: Engine, filters: Filters) -> pl.DataFrame:
    """Linked ED assaults per premises in the period (`licence_number`, `count`)."""
    linked = linked_attendances(engine, filters)
    if linked is None:
        return pl.DataFrame(schema={"licence_number": pl.String, "count": pl.Int64})
    grouped = linked.group_by("licence_number").aggregate(count=linked.count())
    return engine.run(grouped).with_columns(pl.col("count").cast(pl.Int64))


def _register(engine: Engine, filters: Filters) -> pl.DataFrame:
    if not engine.has("premises"):
        raise ObservatoryError("the lake has no licensing register yet: import premises first")
    premises = engine.table("premises")
    for column, code in filters.areas.items():
        premises = premises.filter(premises[column] == code)
    return engine.run(premises.select(*REGISTER_COLUMNS))


def _opening_hours(frame: pl.DataFrame, months: int) -> pl.DataFrame:
    return frame.with_columns(
        opening_hours_in_period=pl.col("weekly_opening_hours") * WEEKS_PER_MONTH * months
    )


def _months(engine: Engine, filters: Filters) -> int:
    """Months of the period that the ED data covers: a month with no data has no assaults to
    count, so its opening hours must not lower the rates either."""
    ed = engine.table("istv")
    span = engine.cached(
        ("ED months",),
        lambda: engine.run(ed.aggregate(first=ed.month.min(), last=ed.month.max())).row(0),
    )
    starts = [m for m in (filters.start, span[0]) if m]
    ends = [m for m in (filters.end, span[1]) if m]
    if not starts or not ends:
        return 0
    start, end = max(starts), min(ends)
    (y0, m0), (y1, m1) = map(int, start.split("-")), map(int, end.split("-"))
    return max((y1 - y0) * 12 + (m1 - m0) + 1, 0)


def premises_assaults(engine: Engine, filters: Filters, level: float = 95) -> pl.DataFrame:
    """Per premises (module docstring): REGISTER_COLUMNS, `count`, `opening_hours_in_period`,
    `value`, `lower`, `upper` (assaults per 1,000 opening hours), `method`, `rank`."""
    filters = replace(filters, sources=(ED,))
    register = _register(engine, filters)
    table = register.join(linked_counts(engine, filters), on="licence_number", how="left")
    table = _opening_hours(
        table.with_columns(pl.col("count").fill_null(0)), _months(engine, filters)
    )
    table = stats.with_rate_intervals(
        table, population="opening_hours_in_period", per=PER_OPENING_HOURS, level=level
    )
    table = table.sort(
        ["count", "value", "licence_number"], descending=[True, True, False], nulls_last=True
    )
    return table.with_row_index("rank", offset=1).with_columns(pl.col("rank").cast(pl.Int64))


def premises_types(engine: Engine, filters: Filters, level: float = 95) -> pl.DataFrame:
    """Per premises type: `premises_type`, `premises`, `count`, `opening_hours_in_period`,
    `value`, `lower`, `upper` (assaults per 1,000 opening hours), `method`."""
    each = premises_assaults(engine, filters, level)
    by_type = each.group_by("premises_type").agg(
        pl.len().alias("premises"),
        pl.col("count").sum(),
        pl.col("opening_hours_in_period").sum(),
    )
    table = stats.with_rate_intervals(
        by_type, population="opening_hours_in_period", per=PER_OPENING_HOURS, level=level
    )
    return table.sort("value", descending=True, nulls_last=True)
