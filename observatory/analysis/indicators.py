"""Counts and crude rates of violent events, broken down any way a dashboard asks.

`counts(engine, filters, by)` counts `events.violent_events` after `filters`, by any of
BREAKDOWNS. `rates(engine, filters, area_level, by)` adds population denominators for
local authorities, wards or small areas (or the whole region), the crude rate with its
Byar/exact interval, and each area's comparison with the region (higher / similar / lower
than the region's rate, at the same level): the Fingertips way.

The aggregation runs on the engine (DuckDB or Spark, one Ibis expression); the intervals are
computed on the small aggregated table, with `stats`, the same on every engine. Areas with no
events are present with a count of 0: an empty area is a finding, not a gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis.expr.types as ir
import polars as pl

from observatory.analysis import stats
from observatory.analysis.engine import Engine
from observatory.analysis.events import SOURCES, violent_events
from observatory.errors import ObservatoryError

AREA_LEVELS = {"region": None, "la": "la_code", "ward": "ward_code", "lsoa": "lsoa_code"}
AREA_NAMES = {"la_code": "la_name", "ward_code": "ward_name", "lsoa_code": "lsoa_name"}
BREAKDOWNS = (
    "source",
    "month",
    "quarter",
    "financial_year",
    "category",
    "offence_code",
    "location_type",
    "age_band",
    "sex",
    "under_25",
    "knife",
    "domestic",
    "la_code",
    "ward_code",
    "lsoa_code",
)
UNDER_25_BANDS = ("0-9", "10-14", "15-17", "18-24")


@dataclass(frozen=True)
class Filters:
    """Which events to count. Every field left at its default lets everything through.

    Months are `YYYY-MM`, both ends included. An area filter keeps the events of that area;
    `age_bands`, `sex` and `under_25` also narrow the population a rate is divided by."""

    sources: tuple[str, ...] = SOURCES
    start: str | None = None
    end: str | None = None
    categories: tuple[str, ...] = ()
    offence_codes: tuple[str, ...] = ()
    location_types: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    sex: str | None = None
    under_25: bool | None = None
    knife: bool | None = None
    domestic: bool | None = None
    areas: dict[str, str] = field(default_factory=dict)  # e.g. {"la_code": "E08000025"}

    def __post_init__(self):
        unknown = set(self.sources) - set(SOURCES)
        if unknown:
            raise ObservatoryError(
                f"unknown source {sorted(unknown)[0]!r}: choose from {', '.join(SOURCES)}"
            )
        for column in self.areas:
            if column not in AREA_NAMES:
                raise ObservatoryError(f"cannot filter by area column {column!r}")


def filtered_events(engine: Engine, filters: Filters, columns=()) -> ir.Table:
    """The violent events that pass `filters`, with `columns` (and those the filters read),
    as an expression on the engine."""
    conditions = []  # (column, condition on that column)
    if filters.start:
        conditions.append(("month", lambda e: e.month >= filters.start))
    if filters.end:
        conditions.append(("month", lambda e: e.month <= filters.end))
    if filters.offence_codes:
        conditions.append(("offence_code", lambda e: e.offence_code.isin(filters.offence_codes)))
    if filters.location_types:
        conditions.append(("location_type", lambda e: e.location_type.isin(filters.location_types)))
    if filters.age_bands:
        conditions.append(("age_band", lambda e: e.age_band.isin(filters.age_bands)))
    if filters.sex:
        conditions.append(("sex", lambda e: e.sex == filters.sex))
    for name in ("under_25", "knife", "domestic"):
        wanted = getattr(filters, name)
        if wanted is not None:
            conditions.append((name, lambda e, name=name, wanted=wanted: e[name] == wanted))
    for column, code in filters.areas.items():
        conditions.append((column, lambda e, column=column, code=code: e[column] == code))
    needed = list(dict.fromkeys([*columns, *(column for column, _ in conditions)]))
    events = violent_events(engine, filters.sources, filters.categories, needed)
    if not conditions:
        return events
    return events.filter(*(condition(events) for _, condition in conditions))


def _check_breakdowns(by) -> list[str]:
    by = list(by)
    unknown = [b for b in by if b not in BREAKDOWNS]
    if unknown:
        raise ObservatoryError(
            f"cannot break down by {unknown[0]!r}: choose from {', '.join(BREAKDOWNS)}"
        )
    return by


def counts(engine: Engine, filters: Filters, by=()) -> pl.DataFrame:
    """Events per combination of `by` (columns `*by`, `count`), sorted by `by`."""
    by = _check_breakdowns(by)
    events = filtered_events(engine, filters, by or ["source"])
    if not by:
        return engine.run(events.aggregate(count=events.count()))
    table = events.group_by(by).aggregate(count=events.count()).order_by(by)
    return engine.run(table).with_columns(pl.col("count").cast(pl.Int64))


def population(engine: Engine, filters: Filters, area_level: str) -> pl.DataFrame:
    """Residents of each area at `area_level` (columns: area code, its name, `population`)
    in the age bands and sex that `filters` select, or of the whole region."""
    key = (
        "population", area_level, filters.age_bands, filters.sex, filters.under_25,
        tuple(sorted(filters.areas.items())),
    )  # fmt: skip
    return engine.cached(key, lambda: _population(engine, filters, area_level))


def _population(engine: Engine, filters: Filters, area_level: str) -> pl.DataFrame:
    area = _area_column(area_level)
    people = engine.table("population")
    conditions = []
    if filters.age_bands:
        conditions.append(people.age_band.isin(filters.age_bands))
    if filters.under_25 is not None:
        in_band = people.age_band.isin(UNDER_25_BANDS)
        conditions.append(in_band if filters.under_25 else ~in_band)
    if filters.sex:
        conditions.append(people.sex == filters.sex)
    if conditions:
        people = people.filter(*conditions)
    areas = engine.table("small_areas")
    for column, code in filters.areas.items():
        areas = areas.filter(areas[column] == code)
    joined = areas.left_join(people, areas.lsoa_code == people.lsoa_code)
    keys = [] if area is None else [area, AREA_NAMES[area]]
    total = joined.population.sum().fill_null(0).cast("int64").name("population")
    query = (
        joined.group_by(keys).aggregate(total).order_by(keys) if keys else joined.aggregate(total)
    )
    return engine.run(query)


def _area_column(area_level: str) -> str | None:
    if area_level not in AREA_LEVELS:
        raise ObservatoryError(
            f"unknown area level {area_level!r}: choose from {', '.join(AREA_LEVELS)}"
        )
    return AREA_LEVELS[area_level]


def rates(
    engine: Engine,
    filters: Filters,
    area_level: str = "la",
    by=(),
    per: int = 100_000,
    level: float = 95,
) -> pl.DataFrame:
    """Crude rates per `per` residents for each area (and each `by` combination).

    Columns: the area code and name (none for `region`), `*by`, `count`, `population`,
    `value`, `lower`, `upper`, `method`, `region_value` (the region's rate for the same
    `by`), and `compared` ('higher' / 'similar' / 'lower' than the region). Areas and `by`
    values with no events are present with count 0."""
    by = _check_breakdowns(by)
    area = _area_column(area_level)
    if area in by:
        raise ObservatoryError(f"{area} is the area level already")
    keys = [] if area is None else [area]
    people = population(engine, filters, area_level)
    counted = counts(engine, filters, keys + by)
    table = people
    if by:
        # The combinations to list: those with events, or every chosen source when the
        # breakdown is by source alone (a source with no events in the area shows zeros).
        seen = (
            pl.DataFrame({"source": list(filters.sources)})
            if by == ["source"]
            else counted.select(by).unique()
        )
        table = people.join(seen, how="cross")
    if keys or by:
        table = table.join(counted, on=keys + by, how="left", nulls_equal=True)
    else:
        table = table.with_columns(count=pl.lit(counted["count"][0], dtype=pl.Int64))
    table = table.with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
    table = stats.with_rate_intervals(table, per=per, level=level)
    region = _region_rates(table, by, per)
    table = (
        table.join(region, on=by, how="left", nulls_equal=True)
        if by
        else (table.with_columns(region_value=pl.lit(region["region_value"][0])))
    )
    table = stats.compare_to_benchmark(table, "region_value")
    return table.sort(keys + by, nulls_last=True)


def _region_rates(table: pl.DataFrame, by: list[str], per: int) -> pl.DataFrame:
    """The region's rate per `by` group: all its areas' events over all their residents."""
    sums = [pl.col("count").sum(), pl.col("population").sum()]
    totals = table.group_by(by).agg(sums) if by else table.select(sums)
    value = pl.when(pl.col("population") > 0).then(pl.col("count") / pl.col("population") * per)
    return totals.select(*by, value.alias("region_value"))
