"""police.uk monthly files: street-level crime, outcomes, stop and search.

The formats are those of data.police.uk downloads (DESIGN.md). A file is recognised by its
header, whatever its name. Normalisation beyond csvfile's: crime types match without
regard to case; "Public disorder and weapons", the category police.uk used before May 2013
(since split into "Public order" and "Possession of weapons"), is kept under that name as
a recognised legacy category, because it cannot be split after the fact.
"""

from __future__ import annotations

import polars as pl

from observatory.sources.base import Context, Source, first_failure, missing, slug

STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip

CRIME_TYPES = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
    "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
    "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
    "Violence and sexual offences",
)  # fmt: skip
LEGACY_CRIME_TYPES = ("Public disorder and weapons",)
ASB = "Anti-social behaviour"

# The British Isles, generously: a coordinate outside this box is a typing error, not a
# place (the region check then says whether it is in the partnership's area).
LONGITUDE_RANGE = (-11.0, 3.0)
LATITUDE_RANGE = (49.0, 61.5)


def month_checks(column: str = "Month") -> list:
    value = pl.col(column)
    well_formed = value.str.contains(r"^\d{4}-(0[1-9]|1[0-2])$")
    return [
        missing(column),
        (~well_formed, pl.format(f"{column} '{{}}' is not a month written YYYY-MM", value)),
    ]


def coordinate_checks(lon_column: str, lat_column: str) -> tuple[list, pl.Expr, pl.Expr]:
    """Checks for a WGS84 point given as two text columns, and the parsed values."""
    lon = pl.col(lon_column).cast(pl.Float64, strict=False)
    lat = pl.col(lat_column).cast(pl.Float64, strict=False)
    one_missing = pl.col(lon_column).is_null() != pl.col(lat_column).is_null()
    checks = [
        (one_missing, f"only one of {lon_column} and {lat_column} is given"),
        (
            pl.col(lon_column).is_not_null() & lon.is_null(),
            pl.format(f"{lon_column} '{{}}' is not a number", pl.col(lon_column)),
        ),
        (
            pl.col(lat_column).is_not_null() & lat.is_null(),
            pl.format(f"{lat_column} '{{}}' is not a number", pl.col(lat_column)),
        ),
        (
            ~lon.is_between(*LONGITUDE_RANGE) | ~lat.is_between(*LATITUDE_RANGE),
            "the coordinates are not in Great Britain",
        ),
    ]
    return checks, lon, lat


class StreetCrime(Source):
    name = "police-street"
    table = "police_street"
    header = STREET_HEADER
    key_label = "Crime ID"
    safe_columns = ["Month", "Falls within", "Crime type", "LSOA code"]
    placement = "lonlat"

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        known = {name.lower(): name for name in (*CRIME_TYPES, *LEGACY_CRIME_TYPES)}
        crime_type = pl.col("Crime type").str.to_lowercase().replace_strict(known, default=None)
        coordinates, lon, lat = coordinate_checks("Longitude", "Latitude")
        reason = first_failure(
            [
                *month_checks(),
                missing("Falls within"),
                missing("Crime type"),
                (
                    crime_type.is_null(),
                    pl.format(
                        "Crime type '{}' is not a police.uk crime type", pl.col("Crime type")
                    ),
                ),
                *coordinates,
            ]
        )
        return batch.select(
            pl.col("Crime ID").alias("crime_id"),
            pl.col("Month").alias("month"),
            pl.col("Reported by").alias("reported_by"),
            pl.col("Falls within").alias("falls_within"),
            lon.alias("longitude"),
            lat.alias("latitude"),
            pl.col("Location").alias("location"),
            pl.col("LSOA code").alias("stated_lsoa_code"),
            pl.col("LSOA name").alias("stated_lsoa_name"),
            crime_type.alias("crime_type"),
            pl.col("Last outcome category").alias("last_outcome_category"),
            pl.col("Context").alias("context"),
            pl.col("_row"),
            reason.alias("_reason"),
            pl.format("{}/{}", slug(pl.col("Falls within")), pl.col("Month")).alias("_slice"),
            # Anti-social behaviour has no Crime ID: identical rows are separate incidents.
            pl.col("Crime ID").alias("_key"),
            lon.alias("_lon"),
            lat.alias("_lat"),
            pl.col("LSOA code").alias("_stated_lsoa"),
        )


SOURCES = [StreetCrime()]
