"""`protect`: the one gate every table passes on its way to an audience.

Two shapes of table are understood:

- long (`protect`): dimension columns and count columns, one row per cell, with totals as rows
  whose dimension value is null where they add over that dimension (what SQL's GROUP BY CUBE
  or ROLLUP returns): `la_code=None, month='2024-01'` is the total for January;
- wide (`protect_wide`): a label column, one column per category, an optional total row (named
  by its label) and an optional total column, as analysts' spreadsheets are laid out.

Every column must be named as a dimension (or label), a count, a derived value or a column to
keep, so that a count cannot slip out unprotected because nobody mentioned it. The audience is
a required keyword argument with no default. PARTNER gets the table back unchanged (after the
same checks, so a mistake shows on the partner page before it reaches a public one); PUBLIC and
EXTERNAL get every count under the rule, a `<count>_status` column beside each count saying
what happened to it (CellStatus values: shown, small, secondary), and derived values (rates,
percentages, interval bounds) set to null wherever their numerator is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, astuple, dataclass

import polars as pl

from observatory.analysis.disclosure.rule import (
    Audience,
    CellStatus,
    DisclosureRule,
    rule_from_environment,
)
from observatory.analysis.disclosure.suppression import Key, check_additive, structure, suppress
from observatory.errors import ObservatoryError

STATUS_SUFFIX = "_status"


@dataclass(frozen=True)
class DisclosureSummary:
    """What the rule did to a table. `cells` counts the count values considered (blank ones
    aside), totals included; cells = shown + hidden_small + hidden_secondary."""

    cells: int = 0
    shown: int = 0
    rounded: int = 0
    """Shown values that rounding changed."""
    hidden_small: int = 0
    hidden_secondary: int = 0
    derived_withheld: int = 0
    """Derived values (rates, percentages…) set to null because their numerator is hidden."""

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __add__(self, other: DisclosureSummary) -> DisclosureSummary:
        return DisclosureSummary(
            *(a + b for a, b in zip(astuple(self), astuple(other), strict=True))
        )


@dataclass(frozen=True)
class Protected:
    """A table fit for its audience, with the rule it was judged by and what was done."""

    table: pl.DataFrame
    audience: Audience
    rule: DisclosureRule
    summary: DisclosureSummary


def protect(
    table: pl.DataFrame,
    *,
    audience: Audience,
    counts: Sequence[str],
    dimensions: Sequence[str] = (),
    derived: Sequence[str] | Mapping[str, str] = (),
    keep: Sequence[str] = (),
    rule: DisclosureRule | None = None,
) -> Protected:
    """Apply the disclosure rule to a long table for `audience`.

    - `dimensions`: the columns that identify a cell; a null marks a total over that dimension.
      Interior rows (no null) must be unique, and so must totals; every total must equal the
      sum of the interior rows it covers (ObservatoryError otherwise). Missing interior rows
      are zeros.
    - `counts`: integer columns, each protected on its own (a null count is left alone).
    - `derived`: columns computed from counts. A sequence: withheld in every row where any
      count is hidden. A mapping {derived column: count column}: withheld where that count is.
    - `keep`: columns that are not counts of people or events (a population, a name); kept.
    - `rule`: the thresholds; by default from the environment (rule_from_environment).

    Returns the table with the same rows in the same order; for PUBLIC and EXTERNAL each count
    column is Int64 (rounded, null where hidden) and followed by `<count>_status`.
    """
    _check_audience(audience)
    rule = rule or rule_from_environment()
    depends = _derived_dependencies(derived, counts)
    _check_columns(table, [*dimensions, *counts, *depends, *keep], [*counts, *dimensions])
    for column in counts:
        _check_count_column(table, column)
    keys: list[Key] = list(zip(*(table[name].to_list() for name in dimensions), strict=True))
    if not dimensions:
        keys = [()] * table.height

    def name_of(column: str):
        def name(row: int) -> str:
            where = ", ".join(
                f"{dimension} = {'all' if part is None else part}"
                for dimension, part in zip(dimensions, keys[row], strict=True)
            )
            return f"the total of '{column}' where {where}"

        return name

    results = {
        column: _protect_column(
            table[column].to_list(), keys, rule, name_of(column), "rows", audience
        )
        for column in counts
    }
    return _finish(table, audience, rule, results, depends, list(counts))


def protect_wide(
    table: pl.DataFrame,
    *,
    audience: Audience,
    label: str,
    counts: Sequence[str],
    total_row: str | None = None,
    total_column: str | None = None,
    derived: Sequence[str] = (),
    keep: Sequence[str] = (),
    rule: DisclosureRule | None = None,
) -> Protected:
    """Apply the disclosure rule to a wide table for `audience`.

    - `label`: the column naming each row; labels must be unique.
    - `counts`: the category columns (integers, null for a blank cell, which is left blank).
    - `total_row`: the label of the row holding each column's total, if there is one.
    - `total_column`: the column holding each row's total, if there is one.
    Totals must add up (ObservatoryError otherwise). `derived` columns are withheld in every row
    with a hidden value; `keep` columns are kept; every column must be named once.

    For PUBLIC and EXTERNAL each count column and the total column is Int64 (rounded, null
    where hidden) followed by `<column>_status`.
    """
    _check_audience(audience)
    rule = rule or rule_from_environment()
    value_columns = [*counts, *([total_column] if total_column else [])]
    _check_columns(table, [label, *value_columns, *derived, *keep], [label, *value_columns])
    for column in value_columns:
        _check_count_column(table, column)
    labels = [None if value is None else str(value) for value in table[label].to_list()]
    if total_row is not None and labels.count(total_row) != 1:
        found = "is not" if total_row not in labels else "appears more than once"
        raise ObservatoryError(f"the total row '{total_row}' {found} in column '{label}'")
    repeated = sorted({text for text in labels if labels.count(text) > 1}, key=str)
    if repeated:
        raise ObservatoryError(f"the label '{repeated[0]}' appears on more than one row")
    row_keys = [None if text == total_row else (row,) for row, text in enumerate(labels)]
    cells: list[tuple[int, str]] = []  # (row, column) of each value, in the order of `keys`
    keys: list[Key] = []
    for column in value_columns:
        part = None if column == total_column else column
        for row, row_key in enumerate(row_keys):
            cells.append((row, column))
            keys.append((None if row_key is None else row_key[0], part))
    values = [table[column][row] for row, column in cells]

    def name(index: int) -> str:
        row, column = cells[index]
        return f"'{column}' on the row '{labels[row]}'"

    result = _protect_column(values, keys, rule, name, "cells", audience)
    results = {column: ([], []) for column in value_columns}
    for (_, column), value, status in zip(cells, *result, strict=True):
        results[column][0].append(value)
        results[column][1].append(status)
    depends = {column: list(value_columns) for column in derived}
    return _finish(table, audience, rule, results, depends, value_columns)


def _check_audience(audience: object) -> None:
    if not isinstance(audience, Audience):
        raise TypeError(f"audience must be an Audience, not {audience!r}")


def _derived_dependencies(
    derived: Sequence[str] | Mapping[str, str], counts: Sequence[str]
) -> dict[str, list[str]]:
    if isinstance(derived, Mapping):
        for column, numerator in derived.items():
            if numerator not in counts:
                raise ObservatoryError(
                    f"derived column '{column}' depends on '{numerator}', which is not a count"
                )
        return {column: [numerator] for column, numerator in derived.items()}
    return {column: list(counts) for column in derived}


def _check_columns(table: pl.DataFrame, named: list[str], required: list[str]) -> None:
    """Every column named exactly once, and every named column present."""
    seen: set[str] = set()
    for column in named:
        if column in seen:
            raise ObservatoryError(f"column '{column}' is named more than once")
        seen.add(column)
    missing = [column for column in named if column not in table.columns]
    if missing:
        raise ObservatoryError(f"no column '{missing[0]}' in the table")
    unnamed = [column for column in table.columns if column not in seen]
    if unnamed:
        raise ObservatoryError(
            f"column '{unnamed[0]}' is not named as a dimension, count, derived value or kept "
            "column; every column must be, so that no count leaves unprotected"
        )
    if not required:
        raise ObservatoryError("no count columns named")


def _check_count_column(table: pl.DataFrame, column: str) -> None:
    dtype = table[column].dtype
    if not (dtype.is_integer() or dtype == pl.Null):
        raise ObservatoryError(f"count column '{column}' holds {dtype}, not whole numbers")
    if (table[column] < 0).any():
        raise ObservatoryError(f"count column '{column}' has a negative value")
    if f"{column}{STATUS_SUFFIX}" in table.columns:
        raise ObservatoryError(
            f"the table already has a column '{column}{STATUS_SUFFIX}', which protect() adds"
        )


def _protect_column(values, keys, rule, name, what, audience) -> tuple[list, list]:
    """(published values, statuses) for one set of additive cells; None stays None. PARTNER
    values are checked the same way but published as they are."""
    present = [index for index, value in enumerate(values) if value is not None]
    try:
        table = structure([keys[index] for index in present])
    except ValueError as error:
        raise ObservatoryError(f"the table has two {what} for the same cell ({error})") from None
    present_values = [values[index] for index in present]
    check_additive(table, present_values, lambda cell: name(present[cell]))
    if audience.sees_true_counts:
        statuses = [CellStatus.SHOWN] * len(present)
        rule = DisclosureRule(smallest_shown=1, rounding_base=1)
    else:
        statuses = suppress(table, present_values, rule)
    published: list[int | None] = [None] * len(values)
    status: list[CellStatus | None] = [None] * len(values)
    for index, value, cell_status in zip(present, present_values, statuses, strict=True):
        status[index] = cell_status
        published[index] = rule.round(value) if cell_status is CellStatus.SHOWN else None
    return published, status


def _finish(table, audience, rule, results, depends, value_columns) -> Protected:
    """Assemble the published table and its summary (or hand PARTNER the table unchanged)."""
    summary = DisclosureSummary()
    for column in value_columns:
        published, status = results[column]
        true = table[column].to_list()
        shown = [s is CellStatus.SHOWN for s in status]
        summary += DisclosureSummary(
            cells=sum(s is not None for s in status),
            shown=sum(shown),
            rounded=sum(ok and p != t for ok, p, t in zip(shown, published, true, strict=True)),
            hidden_small=status.count(CellStatus.SMALL),
            hidden_secondary=status.count(CellStatus.SECONDARY),
        )
    if audience.sees_true_counts:
        return Protected(table, audience, rule, summary)
    replaced: dict[str, pl.Series] = {}
    for column in value_columns:
        published, status = results[column]
        replaced[column] = pl.Series(column, published, dtype=pl.Int64)
        replaced[column + STATUS_SUFFIX] = pl.Series(
            column + STATUS_SUFFIX, [None if s is None else str(s) for s in status], pl.String
        )
    withheld = 0
    for column, numerators in depends.items():
        hidden_rows = [
            row
            for row in range(table.height)
            if any(
                results[n][1][row] in (CellStatus.SMALL, CellStatus.SECONDARY) for n in numerators
            )
        ]
        original = table[column]
        withheld += sum(original[row] is not None for row in hidden_rows)
        replaced[column] = original.clone().scatter(hidden_rows, None)
    order = []
    for column in table.columns:
        order.append(column)
        if column in value_columns:
            order.append(column + STATUS_SUFFIX)
    published_table = table.with_columns(**replaced).select(order)
    summary = DisclosureSummary(**{**summary.as_dict(), "derived_withheld": withheld})
    return Protected(published_table, audience, rule, summary)
