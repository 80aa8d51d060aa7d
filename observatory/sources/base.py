"""What every source reader provides, and the vocabulary of checks they share.

A `Source` knows one real-world file format: its header, how to check and normalise a
batch of rows, what identifies a record, which slice of the lake a row belongs to, and
which of its columns are safe to show back in a rejections file. It never touches the
lake or Django: `observatory.lake.imports` runs it.

`check(batch)` gets strings (trimmed, blank = null) with `_row`, and returns one frame
with the canonical columns plus:

- `_reason`: null for a good row, else why it is rejected, in words a person understands;
- `_slice`: the lake slice the row belongs to (e.g. `west-midlands/2024-03`);
- `month`: `YYYY-MM`, the partition the slice is filed under;
- `_key`: what identifies the record across files (null when nothing does, as for
  anti-social behaviour in police.uk files, whose identical rows are separate incidents);
- for located sources, `_x`/`_y` (British National Grid metres) or `_lon`/`_lat`, and
  `_stated_lsoa` (the small-area code the file gives, if any), for placement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from observatory.sources.csvfile import open_csv

REASON = "_reason"


@dataclass
class Context:
    """What a source needs from outside: the pseudonym key and per-source options."""

    pseudonym_key: str
    options: dict = field(default_factory=dict)


class Source:
    name: str = ""  # as on the command line and in summaries, e.g. "police-street"
    table: str = ""  # lake table
    header: list[str] = []
    required_columns: set[str] | None = None  # None: every header column is required
    key_label: str = "record"  # how a person calls the record key, for messages
    safe_columns: list[str] = []  # may be shown in the rejections file
    placement: str | None = None  # None, "lonlat" or "bng"
    accepts_any_header: bool = False  # a mapping file says what the columns are

    @classmethod
    def with_options(cls, options: dict) -> Source:
        """The source, configured from command-line options (most take none)."""
        return cls()

    def open(self, path):
        """A reader with `batches()`, `rows_read` and `ragged` (see csvfile.CsvFile)."""
        return open_csv(path, self.header, self.required_columns)

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        raise NotImplementedError


def first_failure(checks: list[tuple[pl.Expr, str | pl.Expr]]) -> pl.Expr:
    """The reason of the first check that fails, or null. Each check is (is_bad, reason)."""
    reason = pl.lit(None, dtype=pl.String)
    for is_bad, message in reversed(checks):
        message = pl.lit(message) if isinstance(message, str) else message
        reason = pl.when(is_bad.fill_null(False)).then(message).otherwise(reason)
    return reason


def missing(column: str, label: str | None = None) -> tuple[pl.Expr, str]:
    return pl.col(column).is_null(), f"{label or column} is blank"


def not_one_of(column: str, allowed, label: str | None = None) -> tuple[pl.Expr, pl.Expr]:
    """A non-blank value outside `allowed` (compared as written)."""
    message = pl.format(f"{label or column} '{{}}' is not one of the known values", pl.col(column))
    return pl.col(column).is_not_null() & ~pl.col(column).is_in(list(allowed)), message


def parsed_datetime(column: str) -> pl.Expr:
    """`YYYY-MM-DD HH:MM` (with `24:00` read as the next day's `00:00`, as some systems
    write midnight) to a Datetime, or null when it is not a real date-time."""
    text = pl.col(column)
    well_formed = text.str.contains(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
    is_24 = text.str.ends_with(" 24:00")
    base = pl.when(is_24).then(text.str.replace(r" 24:00$", " 00:00")).otherwise(text)
    value = base.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False)
    value = pl.when(is_24).then(value + pl.duration(days=1)).otherwise(value)
    return pl.when(well_formed).then(value)


def slug(text: pl.Expr) -> pl.Expr:
    return text.str.to_lowercase().str.replace_all(r"[^a-z0-9]+", "-").str.strip_chars("-")


def slug_of_column(batch: pl.DataFrame, column: str) -> pl.Expr:
    """`slug(pl.col(column))` for `batch`, worked out once per distinct value: a column
    such as a police.uk file's force repeats one value on every row, and a regular
    expression per row would cost more than all of the row's checks."""
    values = batch.select(pl.col(column).unique().drop_nulls()).to_series()
    slugs = values.to_frame().select(slug(pl.col(column))).to_series()
    return pl.col(column).replace_strict(values, slugs, default=None, return_dtype=pl.String)
