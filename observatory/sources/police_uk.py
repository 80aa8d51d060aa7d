"""police.uk monthly files: street-level crime, outcomes, stop and search.

The formats are those of data.police.uk downloads (DESIGN.md). A file is recognised by its
header, whatever its name; only the force of a stop-and-search file, which its rows do not
name, is read from the name (`YYYY-MM-<force>-stop-and-search.csv`). Normalisation beyond
csvfile's: crime types match without regard to case; "Public disorder and weapons", the
category police.uk used before May 2013 (since split into "Public order" and "Possession of
weapons"), is kept under that name as a recognised legacy category, because it cannot be
split after the fact.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from observatory.sources.base import Context, Source, first_failure, missing, slug_of_column

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
            pl.format("{}/{}", slug_of_column(batch, "Falls within"), pl.col("Month")).alias(
                "_slice"
            ),
            # Anti-social behaviour has no Crime ID: identical rows are separate incidents.
            pl.col("Crime ID").alias("_key"),
            lon.alias("_lon"),
            lat.alias("_lat"),
            pl.col("LSOA code").alias("_stated_lsoa"),
        )


OUTCOMES_HEADER = [*STREET_HEADER[:9], "Outcome type"]


class Outcomes(Source):
    """What happened to each crime: one row per crime and outcome, filed in the month the
    outcome was recorded. A crime can have several outcomes over the months (and more than
    one in a month), so a record is identified by Crime ID, month and outcome type together;
    an exact copy of a row is a duplicate."""

    name = "police-outcomes"
    table = "police_outcomes"
    header = OUTCOMES_HEADER
    key_label = "Crime ID, month and outcome type"
    safe_columns = ["Month", "Falls within", "Outcome type", "LSOA code"]
    placement = "lonlat"

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        coordinates, lon, lat = coordinate_checks("Longitude", "Latitude")
        reason = first_failure(
            [
                missing("Crime ID"),
                *month_checks(),
                missing("Falls within"),
                missing("Outcome type"),
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
            pl.col("Outcome type").alias("outcome_type"),
            pl.col("_row"),
            reason.alias("_reason"),
            pl.format("{}/{}", slug_of_column(batch, "Falls within"), pl.col("Month")).alias(
                "_slice"
            ),
            pl.concat_str(["Crime ID", "Month", "Outcome type"], separator="|").alias("_key"),
            lon.alias("_lon"),
            lat.alias("_lat"),
            pl.col("LSOA code").alias("_stated_lsoa"),
        )


STOP_AND_SEARCH_HEADER = [
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
    "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
    "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]  # fmt: skip
SEARCH_TYPES = ("Person search", "Person and Vehicle search", "Vehicle search")
GENDERS = ("Male", "Female", "Other")
SEARCH_AGE_RANGES = ("under 10", "10-17", "18-24", "25-34", "over 34")
# `2024-03-01T12:34:56+00:00` as police.uk writes it; fractions of a second and `Z` are
# accepted too. The offset is the UK clock's at the time, so the text before it is the
# local date and time, which is what months and times of day are counted in.
ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$"
# `YYYY-MM-<force>-stop-and-search.csv`, as police.uk names its files.
SEARCH_FILE_NAME = re.compile(r"^\d{4}-\d{2}-(?P<force>.+)-stop-and-search$", re.IGNORECASE)


def force_of_search_file(path: Path) -> str:
    """The force slug of a stop-and-search file: `<force>` in police.uk's file name
    `YYYY-MM-<force>-stop-and-search.csv`, else the whole file name as a slug (the rows
    themselves never say which force searched)."""
    stem = Path(path).stem
    match = SEARCH_FILE_NAME.match(stem)
    text = match.group("force") if match else stem
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown-force"


def _true_false(column: str) -> tuple[pl.Expr, tuple[pl.Expr, pl.Expr]]:
    """A police.uk `True`/`False` column as a boolean (blank: null), and its check."""
    text = pl.col(column).str.to_lowercase()
    value = text.replace_strict({"true": True, "false": False}, default=None)
    check = (
        text.is_not_null() & value.is_null(),
        pl.format(f"{column} '{{}}' is not True or False", pl.col(column)),
    )
    return value, check


def _known(column: str, allowed) -> tuple[pl.Expr, tuple[pl.Expr, pl.Expr]]:
    """A column of known values matched without regard to case, written the standard way."""
    value = (
        pl.col(column)
        .str.to_lowercase()
        .replace_strict({v.lower(): v for v in allowed}, default=None)
    )
    check = (
        pl.col(column).is_not_null() & value.is_null(),
        pl.format(f"{column} '{{}}' is not one of the police.uk values", pl.col(column)),
    )
    return value, check


class StopAndSearch(Source):
    """Stop and search records. The rows carry no identifier, and two identical rows are two
    searches (of two people searched together, say), so nothing is ever a duplicate by key.
    The rows do not name the force either: it comes from the file name (see
    `force_of_search_file`), and a slice is the force's month, the month taken from `Date`."""

    name = "police-stop-and-search"
    table = "police_stop_and_search"
    header = STOP_AND_SEARCH_HEADER
    key_label = "search"
    safe_columns = ["Type", "Date", "Age range", "Legislation", "Object of search", "Outcome"]
    placement = "lonlat"

    def __init__(self, force: str = "unknown-force"):
        self.force = force

    def open(self, path):
        self.force = force_of_search_file(path)
        return super().open(path)

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        date = pl.col("Date")
        well_formed = date.str.contains(ISO_DATETIME)
        searched_at = pl.when(well_formed).then(
            date.str.slice(0, 19).str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False)
        )
        search_type, type_check = _known("Type", SEARCH_TYPES)
        gender, gender_check = _known("Gender", GENDERS)
        age_range, age_check = _known("Age range", SEARCH_AGE_RANGES)
        operation, operation_check = _true_false("Part of a policing operation")
        linked, linked_check = _true_false("Outcome linked to object of search")
        removal, removal_check = _true_false("Removal of more than just outer clothing")
        coordinates, lon, lat = coordinate_checks("Longitude", "Latitude")
        reason = first_failure(
            [
                missing("Type"),
                type_check,
                missing("Date"),
                (
                    searched_at.is_null(),
                    pl.format("Date '{}' is not a date and time like 2024-03-01T12:34:56", date),
                ),
                gender_check,
                age_check,
                operation_check,
                linked_check,
                removal_check,
                *coordinates,
            ]
        )
        return batch.select(
            search_type.alias("search_type"),
            searched_at.alias("searched_at"),
            operation.alias("part_of_policing_operation"),
            pl.col("Policing operation").alias("policing_operation"),
            lat.alias("latitude"),
            lon.alias("longitude"),
            gender.alias("gender"),
            age_range.alias("age_range"),
            pl.col("Self-defined ethnicity").alias("self_defined_ethnicity"),
            pl.col("Officer-defined ethnicity").alias("officer_defined_ethnicity"),
            pl.col("Legislation").alias("legislation"),
            pl.col("Object of search").alias("object_of_search"),
            pl.col("Outcome").alias("outcome"),
            linked.alias("outcome_linked_to_object_of_search"),
            removal.alias("removal_of_more_than_outer_clothing"),
            pl.lit(self.force).alias("force"),
            searched_at.dt.strftime("%Y-%m").alias("month"),
            pl.col("_row"),
            reason.alias("_reason"),
            pl.format("{}/{}", pl.lit(self.force), searched_at.dt.strftime("%Y-%m")).alias(
                "_slice"
            ),
            pl.lit(None, dtype=pl.String).alias("_key"),
            lon.alias("_lon"),
            lat.alias("_lat"),
            pl.lit(None, dtype=pl.String).alias("_stated_lsoa"),
        )


SOURCES = [StreetCrime(), Outcomes(), StopAndSearch()]
