"""The analysis as one audience may see it: disclosure control by construction.

Dashboards, reports, exports and the API ask an `Analysis(engine, audience)` for their
numbers, never the indicator functions directly. Every table it returns has been through
`disclosure.protect` for that audience: partners inside the partnership see true counts;
the public and external recipients see counts under the partnership's rule (small counts
hidden, others rounded, secondary suppression against the totals published with them, rates
and intervals withheld where their count is hidden). Whether the rule applies is decided by
the audience the Analysis was made for, not by each caller remembering.

Tables carry the totals that will be published beside them (the region, per `by` group), so
that secondary suppression protects against subtraction from those totals: a total row has
its area code null and the area name `REGION`. For the public and external audiences, rates
and intervals are worked out from the published (rounded) counts, so that a rate cannot
give back the count that rounding blurred.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from observatory.analysis import indicators, measures, premises, profiles, stats, trends
from observatory.analysis.disclosure import Audience, DisclosureRule, Protected, protect
from observatory.analysis.engine import Engine
from observatory.analysis.indicators import AREA_LEVELS, AREA_NAMES, Filters
from observatory.errors import ObservatoryError

REGION = "Region"
UNKNOWN = "Unknown"  # a breakdown value the source did not record (a null is a total)
INTERVAL_COLUMNS = ["value", "lower", "upper", "method", "compared"]


@dataclass(frozen=True)
class Analysis:
    engine: Engine
    audience: Audience
    rule: DisclosureRule | None = None  # default: from the environment

    def _protect(self, table: pl.DataFrame, **columns) -> Protected:
        return protect(table, audience=self.audience, rule=self.rule, **columns)

    def counts(self, filters: Filters, by=()) -> Protected:
        """Events by `by` (see indicators.counts), without totals."""
        table = _known(indicators.counts(self.engine, filters, by), list(by))
        return self._protect(table, dimensions=list(by), counts=["count"])

    def rates(self, filters: Filters, area_level: str = "la", by=(), **options) -> Protected:
        """Rates per area (see indicators.rates), with the region's own row per `by` group."""
        table = indicators.rates(self.engine, filters, area_level, by, **options)
        area = AREA_LEVELS[area_level]
        by = list(by)
        table = _known(table, by)
        if area is not None:
            table = pl.concat([table, _region_rows(table, area, by, options)], how="diagonal")
        dimensions = ([area] if area else []) + by
        keep = ["population", "region_value"] + ([AREA_NAMES[area]] if area else [])
        protected = self._protect(
            table, dimensions=dimensions, counts=["count"], derived=INTERVAL_COLUMNS, keep=keep
        )
        if self.audience.sees_true_counts:
            return protected
        table = _rates_from_published_counts(protected.table, options)
        if area is not None:
            region = table.filter(pl.col(area).is_null()).select(
                *by, pl.col("value").alias("region_value")
            )
            joined = table.drop("region_value")
            table = (
                joined.join(region, on=by, how="left")
                if by
                else joined.with_columns(
                    region_value=pl.lit(region["region_value"].item() if region.height else None)
                )
            )
        return replace(protected, table=stats.compare_to_benchmark(table, "region_value"))

    def trend(self, filters: Filters, by=()) -> Protected:
        """The monthly series (see `trends`): `*by, month, count, rolling_12, trend,
        seasonal, remainder, status, expected, upper, exceeds`, zeros filled in."""
        by = list(by)
        monthly = _known(indicators.counts(self.engine, filters, ["month", *by]), by)
        if monthly.is_empty():
            raise ObservatoryError("no events match these filters")
        keys = [*by, "month"]
        table = (
            trends.rolling_12_months(monthly, by)
            .join(trends.seasonal_decomposition(monthly, by).drop("count"), on=keys)
            .join(trends.exceedances(monthly, by).drop("count"), on=keys)
        )
        if not self.audience.sees_true_counts:
            # count = trend + seasonal + remainder: published, it would undo the rounding.
            table = table.with_columns(pl.lit(None, dtype=pl.Float64).alias("remainder"))
        return self._protect(
            table,
            dimensions=keys,
            counts=["count", "rolling_12"],
            derived={
                "trend": "count", "seasonal": "count", "remainder": "count",
                "expected": "count", "upper": "count", "exceeds": "count",
            },
            keep=["status"],
        )  # fmt: skip

    def hour_weekday(self, filters: Filters) -> Protected:
        table = profiles.hour_weekday(self.engine, filters)
        return self._protect(
            table,
            dimensions=["weekday", "hour"],
            counts=["count"],
            keep=["weekday_name", "night_time_economy"],
        )

    def serious_violence_measures(self, filters: Filters, **options) -> Protected:
        table = measures.serious_violence_measures(self.engine, filters, **options)
        protected = self._protect(
            table,
            dimensions=["measure", "ages"],
            counts=["count"],
            derived=["value", "lower", "upper", "method"],
            keep=["label", "population"],
        )
        if self.audience.sees_true_counts:
            return protected
        return replace(protected, table=_rates_from_published_counts(protected.table, options))

    def premises(self, filters: Filters, **options) -> Protected:
        """Premises ranked by linked ED assaults: for partners only (licensing reviews),
        since one premises' count is about identifiable people at an identifiable place."""
        if not self.audience.sees_true_counts:
            raise ObservatoryError("premises figures are for partners only")
        table = premises.premises_assaults(self.engine, filters, **options)
        derived = ["value", "lower", "upper", "method", "rank"]
        named = {"licence_number", "count", *derived}
        return self._protect(
            table,
            dimensions=["licence_number"],
            counts=["count"],
            derived=derived,
            keep=[column for column in table.columns if column not in named],
        )


def _rates_from_published_counts(table: pl.DataFrame, options: dict) -> pl.DataFrame:
    """Rates and intervals worked out again from the published (rounded) counts: a rate from
    the true count times the published population would give the true count back, and
    undo the rounding. Rows whose count is hidden stay without a rate."""
    return stats.with_rate_intervals(
        table, per=options.get("per", 100_000), level=options.get("level", 95)
    )


def _known(table: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Breakdown values the source did not record as UNKNOWN, since a null marks a total."""
    return table.with_columns(pl.col(column).cast(pl.String).fill_null(UNKNOWN) for column in by)


def _region_rows(table: pl.DataFrame, area: str, by: list[str], options: dict) -> pl.DataFrame:
    """The region's row per `by` group (area code null): the sum of its areas."""
    sums = [pl.col("count").sum(), pl.col("population").sum(), pl.col("region_value").first()]
    region = table.group_by(by).agg(sums) if by else table.select(sums)
    region = stats.with_rate_intervals(
        region, per=options.get("per", 100_000), level=options.get("level", 95)
    )
    return region.with_columns(
        pl.lit(None, dtype=pl.String).alias(area),
        pl.lit(REGION).alias(AREA_NAMES[area]),
        pl.lit("similar").alias("compared"),
    )
