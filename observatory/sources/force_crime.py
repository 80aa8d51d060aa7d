"""The force's record-level crime extract (docs/formats/force-extract.md).

One row per police-recorded crime, with the offence window, a Home Office offence code, a
British National Grid point, knife and domestic flags and the victim's age and sex. What
protects people here:

- `crime_reference` identifies a person's case: it becomes a keyed pseudonym on entry
  (`crime_pseudonym`, also the record key), and the reference itself is never stored;
- `victim_age` becomes an age band and the under-25 flag; the age is never stored, and a
  rejection for a bad age does not repeat it;
- `street` and `offence_description` are free text: identifiers typed into them by
  mistake are redacted.

Slices: a force sends one extract a month, and a crime is filed under the month its
offence window starts, which for a crime early in the month can be the month before. So a
slice is `extract-<tag>/<month>`, where `<tag>` is the `YYYY-MM` in the file's name (the
extract's month; else the file name as a slug): a re-issued extract with the same name
replaces every month it holds rows for, and the next month's extract, whose first rows can
fall in this month, never replaces this month's rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from observatory.sources.base import Context, Source, first_failure, missing, parsed_datetime
from observatory.sources.privacy import (
    OLDEST_PLAUSIBLE_AGE,
    Pseudonymiser,
    age_band_expression,
    redact_free_text,
)
from observatory.sources.registry import register

FORCE_HEADER = [
    "crime_reference", "offence_from", "offence_to", "ho_offence_code", "offence_description",
    "easting", "northing", "street", "knife_flag", "domestic_flag", "victim_age", "victim_sex",
]  # fmt: skip
VICTIM_SEXES = ("M", "F", "U")
# British National Grid covers Great Britain within these bounds (metres); beyond them a
# coordinate is a typing error rather than a place.
EASTING_RANGE = (0, 700_000)
NORTHING_RANGE = (0, 1_300_000)
EXTRACT_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def extract_tag(path: Path) -> str:
    """What names an extract in its slices: the `YYYY-MM` in its file name, else the name."""
    stem = Path(path).stem
    match = EXTRACT_MONTH.search(stem)
    if match:
        return match.group(0)
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "extract"


def _flag(column: str) -> tuple[pl.Expr, tuple[pl.Expr, pl.Expr]]:
    """A `Y`/`N` flag as a boolean (blank: not known, null) and its check."""
    value = pl.col(column).str.to_uppercase().replace_strict({"Y": True, "N": False}, default=None)
    check = (
        pl.col(column).is_not_null() & value.is_null(),
        pl.format(f"{column} '{{}}' is not Y or N", pl.col(column)),
    )
    return value, check


def _datetime_check(column: str, value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    return (
        pl.col(column).is_not_null() & value.is_null(),
        pl.format(f"{column} '{{}}' is not a date and time written YYYY-MM-DD HH:MM", column),
    )


def _grid_checks() -> tuple[list, pl.Expr, pl.Expr]:
    x = pl.col("easting").cast(pl.Float64, strict=False)
    y = pl.col("northing").cast(pl.Float64, strict=False)
    checks = [
        (
            pl.col("easting").is_null() != pl.col("northing").is_null(),
            "only one of easting and northing is given",
        ),
        (
            pl.col("easting").is_not_null() & x.is_null(),
            pl.format("easting '{}' is not a number", "easting"),
        ),
        (
            pl.col("northing").is_not_null() & y.is_null(),
            pl.format("northing '{}' is not a number", "northing"),
        ),
        (
            ~x.is_between(*EASTING_RANGE) | ~y.is_between(*NORTHING_RANGE),
            "the easting and northing are not in Great Britain",
        ),
    ]
    return checks, x, y


class ForceCrime(Source):
    name = "force-crime"
    table = "force_crime"
    header = FORCE_HEADER
    key_label = "crime reference"
    safe_columns = ["offence_from", "offence_to", "ho_offence_code", "knife_flag", "domestic_flag"]
    placement = "bng"

    def __init__(self, tag: str = "extract"):
        self.tag = tag

    def open(self, path):
        self.tag = extract_tag(path)
        return super().open(path)

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        pseudonyms = Pseudonymiser(context.pseudonym_key).pseudonyms(
            batch["crime_reference"].str.to_uppercase()
        )
        offence_from = parsed_datetime("offence_from")
        offence_to = parsed_datetime("offence_to")
        age = pl.col("victim_age").cast(pl.Int64, strict=False)
        sex = pl.col("victim_sex").str.to_uppercase()
        knife, knife_check = _flag("knife_flag")
        domestic, domestic_check = _flag("domestic_flag")
        grid, x, y = _grid_checks()
        month = offence_from.dt.strftime("%Y-%m")
        reason = first_failure(
            [
                missing("crime_reference"),
                missing("offence_from"),
                _datetime_check("offence_from", offence_from),
                _datetime_check("offence_to", offence_to),
                (
                    offence_to < offence_from,
                    pl.format(
                        "offence_to '{}' is before offence_from '{}'", "offence_to", "offence_from"
                    ),
                ),
                missing("ho_offence_code"),
                *grid,
                knife_check,
                domestic_check,
                (
                    pl.col("victim_age").is_not_null()
                    & (age.is_null() | ~age.is_between(0, OLDEST_PLAUSIBLE_AGE)),
                    # The age is personal: the reason does not repeat it.
                    "victim_age is not an age in whole years",
                ),
                (
                    sex.is_not_null() & ~sex.is_in(VICTIM_SEXES),
                    pl.format("victim_sex '{}' is not M, F or U", "victim_sex"),
                ),
            ]
        )
        return batch.with_columns(pl.Series("_pseudonym", pseudonyms)).select(
            pl.col("_pseudonym").alias("crime_pseudonym"),
            offence_from.alias("offence_from"),
            offence_to.alias("offence_to"),
            pl.col("ho_offence_code").str.to_uppercase().alias("ho_offence_code"),
            redact_free_text(pl.col("offence_description")).alias("offence_description"),
            redact_free_text(pl.col("street")).alias("street"),
            knife.alias("knife"),
            domestic.alias("domestic"),
            age_band_expression(age).alias("victim_age_band"),
            (age < 25).alias("victim_under_25"),
            sex.alias("victim_sex"),
            month.alias("month"),
            pl.col("_row"),
            reason.alias("_reason"),
            pl.format("extract-{}/{}", pl.lit(self.tag), month).alias("_slice"),
            pl.col("_pseudonym").alias("_key"),
            x.alias("_x"),
            y.alias("_y"),
            pl.lit(None, dtype=pl.String).alias("_stated_lsoa"),
        )


register("force-crime", ForceCrime)
