"""Emergency-department assault extracts in the ISTV layout (docs/formats/istv.md).

A file in the layout of docs/formats/istv.md reads as it is. A department whose system
exports other column names, separate date and time columns, other date formats or local
codes is read through a mapping file (`observatory import istv --mapping FILE`, format in
docs/formats/istv.md): `IstvMapping` loads it, and `open()` then renames and joins the
file's columns into the ISTV ones before any check, so every rule below applies to both.

What happens to a row:

- Checked: required fields (`site_code`, `period_start`, `period_end`, `attendance_id`,
  `arrival_datetime`, `assault_method_code`, `assault_location_type`, `patient_sex`);
  dates and date-times in the layout's formats (`24:00` is the next day's `00:00`), or in
  the mapping's declared formats; the period a real span, and in the month the file name
  gives (`<site>_<YYYY-MM>.csv`, when the name has that form); arrival within the period and
  the assault not after the arrival; codes exactly the two-character ISTV codes; age a whole
  number 0-120; sex `M`, `F` or `U` (any case); residence an LSOA code (`E01`/`W01` + 6
  digits). A failed row is rejected with the first reason, in words.
- Protected: `attendance_id` becomes an HMAC pseudonym, the record key together with the
  site; the exact age becomes `age_band` and `under_25`; the free-text fields have NHS
  numbers, phone numbers, e-mail addresses and titled names replaced by markers. None of
  these raw values is stored or shown in a rejection (`safe_columns` leaves them out, and
  no reason quotes them).
- Classified: `assault_method` and `assault_location` in canonical categories (below).
- Not placed: an ED row says where the patient lives, not where the assault happened, so
  the residence's small area is kept as `residence_lsoa_code` and the row is not put on
  the map. Where the assault happened at a licensed premises comes from matching the
  location description to the licensing register (observatory.lake.venues).

Method classification (conservative: a code other than "other" or "unknown" always wins):

- codes 01-05 give body (hit/kick), blunt object, knife/sharp object, bottle/glass,
  firearm; 06 gives other, 99 unknown;
- for 06 and 99 only, the free text `assault_method_other` can name a category, checked
  in this order: firearm (gun, shot with, pistol, rifle, pellet), knife/sharp object
  (knife, stab, blade, machete, screwdriver, scissors, razor, sword, slash), bottle/glass
  (bottle, glass, glassed), blunt object (brick, bat, hammer, iron or metal bar or pipe,
  stick, plank, wood, golf club, pool cue, rock, stone, crowbar), body (punch, kick,
  head-butt, fist, stamp). "dog bite", "pushed", "scald" stay other.

Location type: the code's category, one to one (the description is matched to premises,
not used to overrule the code).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from observatory.sources.base import (
    REASON,
    Context,
    Source,
    first_failure,
    missing,
    parsed_datetime,
)
from observatory.sources.csvfile import ROW, CsvFile, UnusableFile, open_csv
from observatory.sources.privacy import Pseudonymiser, age_band_expression, redact_free_text

HEADER = [
    "site_code", "period_start", "period_end", "attendance_id", "arrival_datetime",
    "assault_datetime", "assault_method_code", "assault_method_other",
    "assault_location_type", "assault_location_description", "patient_age", "patient_sex",
    "patient_lsoa",
]  # fmt: skip
REQUIRED = (
    "site_code", "period_start", "period_end", "attendance_id", "arrival_datetime",
    "assault_method_code", "assault_location_type", "patient_sex",
)  # fmt: skip
DATETIME_COLUMNS = ("arrival_datetime", "assault_datetime")
DATE_COLUMNS = ("period_start", "period_end")

METHODS = {
    "01": "body (hit/kick)",
    "02": "blunt object",
    "03": "knife/sharp object",
    "04": "bottle/glass",
    "05": "firearm",
    "06": "other",
    "99": "unknown",
}
LOCATIONS = {
    "01": "home",
    "02": "street/public place",
    "03": "licensed premises",
    "04": "school/college",
    "05": "workplace",
    "06": "transport",
    "07": "other",
    "99": "unknown",
}
SEXES = ("M", "F", "U")
# The free text of "other" and "unknown" methods, in the order checked (module docstring).
METHOD_WORDS = (
    ("firearm", r"\b(guns?|gunshot|shot with|shot at|firearm|pistol|shotgun|rifle|pellet)"),
    (
        "knife/sharp object",
        r"(knife|knives|stab|blade|machete|screwdriver|scissors|razor|sword|slash)",
    ),
    ("bottle/glass", r"(bottle|glass)"),
    (
        "blunt object",
        r"\b(brick|bat|baseball|hammer|(iron|metal|steel) (bar|pipe)|pipe|stick|plank|wood"
        r"|golf club|pool cue|rock|stone|crow ?bar|cosh|truncheon)",
    ),
    ("body (hit/kick)", r"\b(punch|kick|head ?butt|fist|stamp|hit with hand)"),
)
LSOA_PATTERN = r"^[EW]01\d{6}$"
# `RZA01_2024-03.csv`: an ODS-like site code (five capitals or digits) and a month.
FILE_NAME = re.compile(r"^(?P<site>[A-Z0-9]{5})_(?P<month>\d{4}-\d{2})$")
LAYOUT_DATE = "%Y-%m-%d"
LAYOUT_TIME = "%H:%M"


class MappingError(UnusableFile):
    """The mapping file cannot be used; no file is imported through it."""


@dataclass(frozen=True)
class IstvMapping:
    """How one department's extract maps onto the ISTV layout (docs/formats/istv.md).

    `columns` maps an ISTV column to one source column, or to two (a date column and a
    time column); `fixed` gives ISTV columns a value for every row; `date_formats` and
    `time_formats` are the strftime formats accepted (the layout's own are always
    accepted too); `codes` translates local codes, per ISTV column, compared without
    regard to case; a value not in a translation is checked as written."""

    path: Path
    columns: dict[str, tuple[str, ...]]
    fixed: dict[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = (LAYOUT_DATE,)
    time_formats: tuple[str, ...] = (LAYOUT_TIME,)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> IstvMapping:
        path = Path(path)
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise MappingError(path, f"mapping file cannot be read ({error})") from None
        except tomllib.TOMLDecodeError as error:
            raise MappingError(path, f"mapping file is not valid TOML ({error})") from None
        problems = []
        unknown_sections = set(document) - {"columns", "fixed", "formats", "codes"}
        if unknown_sections:
            problems.append(f"unknown sections {sorted(unknown_sections)}")
        columns: dict[str, tuple[str, ...]] = {}
        for target, spec in document.get("columns", {}).items():
            if isinstance(spec, str):
                columns[target] = (spec,)
            elif isinstance(spec, dict) and set(spec) == {"date", "time"}:
                columns[target] = (str(spec["date"]), str(spec["time"]))
            else:
                problems.append(f"column {target!r} must be a name or {{date=…, time=…}}")
        fixed = {k: str(v) for k, v in document.get("fixed", {}).items()}
        for target in (*columns, *fixed):
            if target not in HEADER:
                problems.append(f"{target!r} is not an ISTV column")
        both = set(columns) & set(fixed)
        if both:
            problems.append(f"{sorted(both)} are both mapped and fixed")
        for target, spec in columns.items():
            if len(spec) == 2 and target not in DATETIME_COLUMNS:
                problems.append(f"only date-time columns can be split, not {target!r}")
        absent = [c for c in REQUIRED if c not in columns and c not in fixed]
        if absent:
            problems.append(f"required ISTV columns not mapped: {', '.join(absent)}")
        formats = document.get("formats", {})
        dates = tuple(dict.fromkeys([*formats.get("dates", []), LAYOUT_DATE]))
        times = tuple(dict.fromkeys([*formats.get("times", []), LAYOUT_TIME]))
        codes = {}
        for target, table in document.get("codes", {}).items():
            if target not in HEADER or not isinstance(table, dict):
                problems.append(f"codes for {target!r}: not an ISTV column with a table")
                continue
            codes[target] = {str(k).strip().lower(): str(v) for k, v in table.items()}
        if problems:
            raise MappingError(path, "mapping file: " + "; ".join(problems))
        return cls(path, columns, fixed, dates, times, codes)

    def source_columns(self) -> list[str]:
        return list(dict.fromkeys(name for spec in self.columns.values() for name in spec))


class _MappedFile:
    """A department's own extract, read with its own header and handed on in ISTV columns:
    split date-times joined with a space, fixed values filled in, unmapped optional
    columns blank. Codes are translated later, in `check`, so that a rejected row shows
    the code as the department wrote it."""

    def __init__(self, csv_file: CsvFile, mapping: IstvMapping):
        self.csv_file, self.mapping = csv_file, mapping

    @property
    def ragged(self):
        return self.csv_file.ragged

    @property
    def rows_read(self) -> int:
        return self.csv_file.rows_read

    def batches(self):
        for batch in self.csv_file.batches():
            columns = []
            for target in HEADER:
                spec = self.mapping.columns.get(target)
                if spec is None:
                    value = self.mapping.fixed.get(target)
                    columns.append(pl.lit(value, dtype=pl.String).alias(target))
                elif len(spec) == 1:
                    columns.append(pl.col(spec[0]).alias(target))
                else:
                    date, time = pl.col(spec[0]), pl.col(spec[1])
                    joined = pl.when(date.is_null() & time.is_null()).then(None)
                    columns.append(
                        joined.otherwise(
                            pl.concat_str([date, time], separator=" ", ignore_nulls=True)
                        ).alias(target)
                    )
            yield batch.select(*columns, pl.col(ROW), *_file_columns(self.csv_file.path))


def _file_columns(path: Path) -> list[pl.Expr]:
    """The site and month the file's name gives, if it is named `<site>_<YYYY-MM>.csv`."""
    named = FILE_NAME.match(Path(path).stem)
    return [
        pl.lit(named and named["site"], dtype=pl.String).alias("_file_site"),
        pl.lit(named and named["month"], dtype=pl.String).alias("_file_month"),
    ]


class _LayoutFile:
    """A file in the ISTV layout, with the site and month from its name added."""

    def __init__(self, csv_file: CsvFile):
        self.csv_file = csv_file

    @property
    def ragged(self):
        return self.csv_file.ragged

    @property
    def rows_read(self) -> int:
        return self.csv_file.rows_read

    def batches(self):
        extra = _file_columns(self.csv_file.path)
        for batch in self.csv_file.batches():
            yield batch.with_columns(extra)


class Istv(Source):
    name = "istv"
    table = "istv"
    header = HEADER
    required_columns = set(HEADER)
    key_label = "attendance"
    safe_columns = [
        "site_code", "period_start", "period_end", "assault_method_code", "assault_location_type",
    ]  # fmt: skip
    placement = None

    def __init__(self, mapping: IstvMapping | None = None):
        self.mapping = mapping
        self.accepts_any_header = mapping is not None

    @classmethod
    def with_options(cls, options: dict) -> Istv:
        path = options.get("mapping")
        return cls(IstvMapping.load(path) if path else None)

    def open(self, path):
        if self.mapping is None:
            return _LayoutFile(open_csv(path, HEADER))
        names = self.mapping.source_columns()
        return _MappedFile(open_csv(path, names, set(names)), self.mapping)

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        mapping = self.mapping
        codes = mapping.codes if mapping else {}
        dates = mapping.date_formats if mapping else (LAYOUT_DATE,)
        times = mapping.time_formats if mapping else (LAYOUT_TIME,)
        frame = batch.with_columns(
            *(_translated(column, codes[column]) for column in codes)
        ).with_columns(
            pl.col("patient_sex").str.to_uppercase(),
            pl.col("patient_lsoa").str.to_uppercase(),
        )
        parsed = {c: _parsed_date(c, dates) for c in DATE_COLUMNS}
        parsed |= {c: _parsed_datetime(c, dates, times) for c in DATETIME_COLUMNS}
        frame = frame.with_columns(**{f"_{c}": e for c, e in parsed.items()})
        start, end = pl.col("_period_start"), pl.col("_period_end")
        arrival, assault = pl.col("_arrival_datetime"), pl.col("_assault_datetime")
        age = pl.col("patient_age").cast(pl.Int64, strict=False)
        reason = first_failure(
            [
                *(missing(column) for column in REQUIRED),
                *(_bad_format(c, "a date written YYYY-MM-DD", dates) for c in DATE_COLUMNS),
                *(
                    _bad_format(c, "a date-time written YYYY-MM-DD HH:MM", dates)
                    for c in DATETIME_COLUMNS
                ),
                (end < start, "period_end is before period_start"),
                (
                    end > start.dt.offset_by("1y"),
                    "the period from period_start to period_end is longer than a year",
                ),
                (
                    pl.col("_file_site").is_not_null()
                    & (pl.col("site_code") != pl.col("_file_site")),
                    pl.format(
                        "site_code '{}' is not the site in the file's name", pl.col("site_code")
                    ),
                ),
                (
                    pl.col("_file_month").is_not_null()
                    & (start.dt.strftime("%Y-%m") != pl.col("_file_month")),
                    pl.format(
                        "period_start '{}' is not in the month of the file's name ({})",
                        pl.col("period_start"),
                        pl.col("_file_month"),
                    ),
                ),
                (
                    (arrival.dt.date() < start) | (arrival.dt.date() > end),
                    pl.format(
                        "arrival_datetime '{}' is outside the period {} to {}",
                        pl.col("arrival_datetime"),
                        pl.col("period_start"),
                        pl.col("period_end"),
                    ),
                ),
                (assault > arrival, "assault_datetime is after arrival_datetime"),
                _not_code("assault_method_code", METHODS),
                _not_code("assault_location_type", LOCATIONS),
                (
                    pl.col("patient_age").is_not_null() & ~age.is_between(0, 120).fill_null(False),
                    "patient_age is not a whole number from 0 to 120",  # never quote an age
                ),
                (
                    ~pl.col("patient_sex").is_in(SEXES),
                    pl.format("patient_sex '{}' is not M, F or U", pl.col("patient_sex")),
                ),
                (
                    pl.col("patient_lsoa").is_not_null()
                    & ~pl.col("patient_lsoa").str.contains(LSOA_PATTERN),
                    pl.format("patient_lsoa '{}' is not an LSOA code", pl.col("patient_lsoa")),
                ),
            ]
        )
        pseudonyms = Pseudonymiser(context.pseudonym_key).pseudonyms(batch["attendance_id"])
        method_other = redact_free_text(pl.col("assault_method_other"))
        month = start.dt.strftime("%Y-%m")
        return frame.with_columns(_pseudonym=pseudonyms).select(
            pl.col("site_code"),
            start.alias("period_start"),
            end.alias("period_end"),
            pl.col("_pseudonym").alias("attendance_pseudonym"),
            arrival.alias("arrival_datetime"),
            assault.alias("assault_datetime"),
            pl.col("assault_method_code"),
            _method(pl.col("assault_method_code"), pl.col("assault_method_other")).alias(
                "assault_method"
            ),
            method_other.alias("assault_method_other"),
            pl.col("assault_location_type").alias("assault_location_code"),
            pl.col("assault_location_type")
            .replace_strict(LOCATIONS, default=None)
            .alias("assault_location"),
            redact_free_text(pl.col("assault_location_description")).alias(
                "assault_location_description"
            ),
            age_band_expression(age).alias("age_band"),
            (age < 25).alias("under_25"),
            pl.col("patient_sex"),
            pl.col("patient_lsoa").alias("residence_lsoa_code"),
            month.alias("month"),
            pl.col(ROW),
            reason.alias(REASON),
            pl.format("{}/{}", pl.col("site_code"), month).alias("_slice"),
            pl.format("{}/{}", pl.col("site_code"), pl.col("_pseudonym")).alias("_key"),
        )


def _translated(column: str, table: dict[str, str]) -> pl.Expr:
    """Local codes to ISTV codes (case-insensitively); untranslated values as written."""
    lowered = pl.col(column).str.to_lowercase()
    return (
        pl.when(lowered.is_in(list(table)))
        .then(lowered.replace_strict(table, default=None))
        .otherwise(pl.col(column))
        .alias(column)
    )


def _parsed_date(column: str, formats: tuple[str, ...]) -> pl.Expr:
    parsed = []
    for fmt in formats:
        if fmt == LAYOUT_DATE:
            well_formed = pl.col(column).str.contains(r"^\d{4}-\d{2}-\d{2}$")
            value = pl.col(column).str.strptime(pl.Date, fmt, strict=False)
            parsed.append(pl.when(well_formed).then(value))
        else:
            parsed.append(pl.col(column).str.strptime(pl.Date, fmt, strict=False))
    return pl.coalesce(parsed)


def _parsed_datetime(column: str, dates: tuple[str, ...], times: tuple[str, ...]) -> pl.Expr:
    """The date-time in any accepted date and time format; `24:00` (or `2400`) is read as
    the next day's `00:00`, as for the layout's own format."""
    parsed = [parsed_datetime(column)]
    text = pl.col(column)
    is_24 = text.str.contains(r"\s24:?00$")
    base = pl.when(is_24).then(text.str.replace(r"\s24(:?)00$", " 00${1}00")).otherwise(text)
    for date_format in dates:
        for time_format in times:
            if (date_format, time_format) == (LAYOUT_DATE, LAYOUT_TIME):
                continue
            value = base.str.strptime(
                pl.Datetime("us"), f"{date_format} {time_format}", strict=False
            )
            parsed.append(pl.when(is_24).then(value + pl.duration(days=1)).otherwise(value))
    return pl.coalesce(parsed)


def _bad_format(column: str, what: str, dates: tuple[str, ...]) -> tuple[pl.Expr, pl.Expr]:
    if dates != (LAYOUT_DATE,):
        what = what.replace("written ", "in a format the mapping file declares, e.g. ")
    return (
        pl.col(column).is_not_null() & pl.col(f"_{column}").is_null(),
        pl.format(f"{column} '{{}}' is not {what}", pl.col(column)),
    )


def _not_code(column: str, codes: dict[str, str]) -> tuple[pl.Expr, pl.Expr]:
    return (
        pl.col(column).is_not_null() & ~pl.col(column).is_in(list(codes)),
        pl.format(
            f"{column} '{{}}' is not one of the ISTV codes {', '.join(codes)}", pl.col(column)
        ),
    )


def _method(code: pl.Expr, text: pl.Expr) -> pl.Expr:
    """The canonical method: the code's, unless the code is other or unknown and the free
    text clearly names a category (module docstring)."""
    lowered = text.str.to_lowercase()
    by_text = pl.lit(None, dtype=pl.String)
    for category, pattern in reversed(METHOD_WORDS):
        by_text = pl.when(lowered.str.contains(pattern)).then(pl.lit(category)).otherwise(by_text)
    by_code = code.replace_strict(METHODS, default=None)
    return pl.when(code.is_in(["06", "99"])).then(pl.coalesce(by_text, by_code)).otherwise(by_code)


from observatory.sources.registry import register  # noqa: E402  (registry imports this module)

register("istv", Istv)
