"""Places that matter for prevention: schools and youth provision (docs/formats/places.md).

Both are registers, not events: each import is a snapshot that replaces the whole table
(no month, one slice `all`). Each place is located by its latitude and longitude; the
small-area code the file gives is checked against the point (disagreements are counted)
and places the row when it has no point. A file is recognised by its header.
"""

from __future__ import annotations

import polars as pl

from observatory.sources.base import Context, Source, first_failure, missing
from observatory.sources.police_uk import coordinate_checks
from observatory.sources.registry import register

LSOA_PATTERN = r"^[EW]01\d{6}$"
LA_PATTERN = r"^[EW]0[6-9]\d{6}$"
HOURS_IN_A_WEEK = 168
OLDEST_AGE = 120


def _code_check(column: str, pattern: str, what: str) -> tuple[pl.Expr, pl.Expr]:
    return (
        pl.col(column).is_not_null() & ~pl.col(column).str.contains(pattern),
        pl.format(f"{column} '{{}}' is not {what}", column),
    )


def _whole_number(column: str, low: int, high: int) -> tuple[pl.Expr, tuple[pl.Expr, pl.Expr]]:
    """A whole number between low and high (blank: not known) and its check."""
    value = pl.col(column).cast(pl.Int64, strict=False)
    check = (
        pl.col(column).is_not_null() & (value.is_null() | ~value.is_between(low, high)),
        pl.format(f"{column} '{{}}' is not a whole number from {low} to {high}", column),
    )
    return value, check


def _snapshot_columns(key: str) -> list[pl.Expr]:
    lon = pl.col("longitude").cast(pl.Float64, strict=False)
    lat = pl.col("latitude").cast(pl.Float64, strict=False)
    return [
        pl.col("_row"),
        pl.lit(None, dtype=pl.String).alias("month"),
        pl.lit("all").alias("_slice"),
        pl.col(key).alias("_key"),
        lon.alias("_lon"),
        lat.alias("_lat"),
        pl.col("lsoa_code").alias("_stated_lsoa"),
    ]


SCHOOLS_HEADER = [
    "school_urn", "school_name", "phase", "pupils", "latitude", "longitude", "lsoa_code",
    "local_authority_code",
]  # fmt: skip


class Schools(Source):
    name = "places-schools"
    table = "schools"
    header = SCHOOLS_HEADER
    key_label = "school_urn"
    safe_columns = SCHOOLS_HEADER
    placement = "lonlat"

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        pupils, pupils_check = _whole_number("pupils", 0, 10_000)
        coordinates, lon, lat = coordinate_checks("longitude", "latitude")
        reason = first_failure(
            [
                missing("school_urn"),
                (
                    ~pl.col("school_urn").str.contains(r"^\d{6}$"),
                    pl.format("school_urn '{}' is not a six-digit URN", "school_urn"),
                ),
                missing("school_name"),
                missing("phase"),
                pupils_check,
                *coordinates,
                _code_check("lsoa_code", LSOA_PATTERN, "a small-area code"),
                _code_check("local_authority_code", LA_PATTERN, "a local authority code"),
            ]
        )
        return batch.select(
            "school_urn",
            "school_name",
            pl.col("phase").str.to_lowercase(),
            pupils.alias("pupils"),
            lat.alias("latitude"),
            lon.alias("longitude"),
            pl.col("lsoa_code").alias("stated_lsoa_code"),
            pl.col("local_authority_code").alias("stated_la_code"),
            reason.alias("_reason"),
            *_snapshot_columns("school_urn"),
        )


YOUTH_HEADER = [
    "site_id", "site_name", "provision_type", "weekly_hours", "min_age", "max_age",
    "latitude", "longitude", "lsoa_code",
]  # fmt: skip


class YouthProvision(Source):
    name = "places-youth-provision"
    table = "youth_provision"
    header = YOUTH_HEADER
    key_label = "site_id"
    safe_columns = YOUTH_HEADER
    placement = "lonlat"

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        hours = pl.col("weekly_hours").cast(pl.Float64, strict=False)
        min_age, min_check = _whole_number("min_age", 0, OLDEST_AGE)
        max_age, max_check = _whole_number("max_age", 0, OLDEST_AGE)
        coordinates, lon, lat = coordinate_checks("longitude", "latitude")
        reason = first_failure(
            [
                missing("site_id"),
                missing("site_name"),
                missing("provision_type"),
                (
                    pl.col("weekly_hours").is_not_null()
                    & (hours.is_null() | ~hours.is_between(0, HOURS_IN_A_WEEK)),
                    pl.format(
                        f"weekly_hours '{{}}' is not a number of hours from 0 to {HOURS_IN_A_WEEK}",
                        "weekly_hours",
                    ),
                ),
                min_check,
                max_check,
                (
                    min_age > max_age,
                    pl.format("min_age '{}' is above max_age '{}'", "min_age", "max_age"),
                ),
                *coordinates,
                _code_check("lsoa_code", LSOA_PATTERN, "a small-area code"),
            ]
        )
        return batch.select(
            "site_id",
            "site_name",
            pl.col("provision_type").str.to_lowercase(),
            hours.alias("weekly_hours"),
            min_age.alias("min_age"),
            max_age.alias("max_age"),
            lat.alias("latitude"),
            lon.alias("longitude"),
            pl.col("lsoa_code").alias("stated_lsoa_code"),
            reason.alias("_reason"),
            *_snapshot_columns("site_id"),
        )


register("places", Schools, YouthProvision)
