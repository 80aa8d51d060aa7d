"""The disclosure rule applied to a CSV table made elsewhere (`observatory disclose`).

The first column labels the rows. Count columns are those named, or else every other column
whose non-blank values are all whole numbers; the total column, if named, is a count column
too. Derived columns (rates, percentages) are blanked in any row with a hidden value; all other
columns are copied as they are. Hidden counts are written as a marker: `<8` (fewer than the
smallest shown count) for a small count, `[c]` (confidential, the Government Statistical
Service's symbol) for one hidden to protect another. Nothing is written unless the whole table
could be protected.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from observatory.analysis.disclosure.rule import Audience, CellStatus, DisclosureRule
from observatory.analysis.disclosure.tables import STATUS_SUFFIX, DisclosureSummary, protect_wide
from observatory.errors import ObservatoryError

SECONDARY_MARKER = "[c]"
_INTEGER = re.compile(r"[+-]?\d+")


def small_marker(rule: DisclosureRule) -> str:
    return f"<{rule.smallest_shown}"


@dataclass(frozen=True)
class CsvDisclosure:
    """What `disclose_csv` did."""

    source: Path
    out: Path
    rule: DisclosureRule
    label: str
    counts: tuple[str, ...]
    """The count columns, the total column included."""
    derived: tuple[str, ...]
    kept: tuple[str, ...]
    total_row: str | None
    total_column: str | None
    summary: DisclosureSummary

    def as_dict(self) -> dict:
        return {
            "input": str(self.source),
            "output": str(self.out),
            "rule": {
                "smallest_shown": self.rule.smallest_shown,
                "rounding_base": self.rule.rounding_base,
            },
            "label_column": self.label,
            "count_columns": list(self.counts),
            "derived_columns": list(self.derived),
            "kept_columns": list(self.kept),
            "total_row": self.total_row,
            "total_column": self.total_column,
            "markers": {"small": small_marker(self.rule), "secondary": SECONDARY_MARKER},
            "summary": self.summary.as_dict(),
        }


def disclose_csv(
    source: Path,
    out: Path,
    *,
    rule: DisclosureRule,
    counts: Sequence[str] | None = None,
    total_row: str | None = None,
    total_column: str | None = None,
    derived: Sequence[str] = (),
) -> CsvDisclosure:
    """Read `source`, apply the rule for an external audience, write `out` (atomically).

    Raises ObservatoryError, with nothing written, for a file that is not a usable CSV table:
    unreadable, empty, ragged, a named column missing, a count that is negative or not whole,
    totals that do not add up."""
    header, rows = _read(source)
    label, others = header[0], header[1:]
    for column in [*(counts or []), *derived, *([total_column] if total_column else [])]:
        if column not in header:
            raise ObservatoryError(f"{source.name} has no column '{column}'")
        if column == label:
            raise ObservatoryError(
                f"'{column}' is the label column (the first one); it cannot hold counts"
            )
    if total_column in derived or total_column in (counts or []):
        raise ObservatoryError(f"'{total_column}' is named twice (as the total column and more)")
    overlap = set(derived) & set(counts or [])
    if overlap:
        raise ObservatoryError(f"'{sorted(overlap)[0]}' is named as both a count and derived")
    columns = {name: [row[position] for row in rows] for position, name in enumerate(header)}
    whole = [name for name in others if name not in derived and _looks_like_counts(columns[name])]
    if counts is None:
        counts = [name for name in whole if name != total_column]
        if not counts:
            raise ObservatoryError(
                f"{source.name} has no column of whole numbers besides the first; "
                "name the count columns with --counts"
            )
    parsed = {
        name: _counts(source, name, columns[name])
        for name in header
        if name in counts or name == total_column
    }
    if total_column is None:
        total_column = _find_total_column(counts, whole, columns, source)
        if total_column is not None:
            parsed[total_column] = _counts(source, total_column, columns[total_column])
            counts = [name for name in counts if name != total_column]
    value_columns = [*counts, *([total_column] if total_column else [])]
    if total_row is None:
        total_row = _find_total_row(rows, [parsed[name] for name in value_columns])
    kept = [name for name in others if name not in value_columns and name not in derived]
    table = pl.DataFrame(
        [
            pl.Series(name, parsed[name], pl.Int64)
            if name in value_columns
            else pl.Series(name, columns[name], pl.String)
            for name in header
        ]
    )
    protected = protect_wide(
        table,
        audience=Audience.EXTERNAL,
        label=label,
        counts=counts,
        total_row=total_row,
        total_column=total_column,
        derived=derived,
        keep=kept,
        rule=rule,
    )
    _write(out, header, _render(protected.table, header, value_columns, rule))
    return CsvDisclosure(
        source=source,
        out=out,
        rule=rule,
        label=label,
        counts=tuple(value_columns),
        derived=tuple(derived),
        kept=tuple(kept),
        total_row=total_row,
        total_column=total_column,
        summary=protected.summary,
    )


def _read(source: Path) -> tuple[list[str], list[list[str]]]:
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ObservatoryError(f"{source} does not exist") from None
    except UnicodeDecodeError:
        raise ObservatoryError(f"{source.name} is not a UTF-8 text CSV file") from None
    except OSError as error:
        raise ObservatoryError(f"cannot read {source}: {error.strerror}") from None
    if "\0" in text:
        raise ObservatoryError(f"{source.name} is not a text CSV file")
    try:
        records = [row for row in csv.reader(text.splitlines()) if any(f.strip() for f in row)]
    except csv.Error as error:
        raise ObservatoryError(f"{source.name} is not a readable CSV file: {error}") from None
    if not records:
        raise ObservatoryError(f"{source.name} is empty")
    header, rows = [name.strip() for name in records[0]], records[1:]
    if len(header) < 2:
        raise ObservatoryError(
            f"{source.name} has one column; a table needs a label column and count columns"
        )
    if "" in header or len(set(header)) != len(header):
        raise ObservatoryError(f"{source.name} has a blank or repeated column name in its header")
    if not rows:
        raise ObservatoryError(f"{source.name} has a header but no rows")
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ObservatoryError(
                f"{source.name} line {number} has {len(row)} fields, the header {len(header)}"
            )
    return header, rows


def _looks_like_counts(values: list[str]) -> bool:
    present = [value.strip() for value in values if value.strip()]
    return bool(present) and all(_INTEGER.fullmatch(value) for value in present)


def _find_total_column(counts, whole, columns, source) -> str | None:
    """A column of whole numbers that is, on every row, the sum of at least two count columns
    is a total column whether or not it was named (or counted): publishing it unprotected
    would let the hidden counts be recovered by subtraction."""
    for candidate in whole:
        parts = [name for name in counts if name != candidate]
        if len(parts) < 2:
            continue
        totals = _counts(source, candidate, columns[candidate])
        cells = [_counts(source, name, columns[name]) for name in parts]
        if all(
            total is not None and total == sum(value or 0 for value in row)
            for total, *row in zip(totals, *cells, strict=True)
        ):
            return candidate
    return None


def _find_total_row(rows, value_columns: list[list[int | None]]) -> str | None:
    """The label of a row that is the sum of all the others (at least two) in every count
    column, for the same reason: such a row is a total row whether or not it was named."""
    if len(rows) < 3:
        return None
    sums = [sum(value or 0 for value in column) for column in value_columns]
    for index, row in enumerate(rows):
        if all(
            column[index] is not None and 2 * column[index] == total
            for column, total in zip(value_columns, sums, strict=True)
        ):
            return row[0]
    return None


def _counts(source: Path, column: str, values: list[str]) -> list[int | None]:
    parsed: list[int | None] = []
    for number, value in enumerate(values, start=2):
        text = value.strip()
        if not text:
            parsed.append(None)
        elif _INTEGER.fullmatch(text) and int(text) >= 0:
            parsed.append(int(text))
        else:
            raise ObservatoryError(
                f"{source.name} line {number}: '{text}' in count column '{column}' "
                "is not a whole number >= 0"
            )
    return parsed


def _render(table: pl.DataFrame, header, value_columns, rule) -> list[list[str]]:
    markers = {
        str(CellStatus.SMALL): small_marker(rule),
        str(CellStatus.SECONDARY): SECONDARY_MARKER,
    }
    columns = []
    for name in header:
        if name in value_columns:
            statuses = table[name + STATUS_SUFFIX].to_list()
            values = table[name].to_list()
            columns.append(
                [
                    markers.get(status, "" if value is None else str(value))
                    for value, status in zip(values, statuses, strict=True)
                ]
            )
        else:
            columns.append(["" if value is None else value for value in table[name].to_list()])
    return [list(row) for row in zip(*columns, strict=True)]


def _write(out: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write the CSV next to its destination and move it into place, so a failure never
    leaves a half-written file."""
    temporary = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with temporary.open("x", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(temporary, out)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ObservatoryError(f"cannot write {out}: {error.strerror}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
