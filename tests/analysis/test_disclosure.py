"""Disclosure control: the rule, the audience, and properties an attacker would test.

The attacker here knows the exact true value of every shown cell and every shown total (a
stronger attacker than a real one, who sees only rounded values) and solves the additivity
equations exactly, with fractions: `determined` below is written from the table's shape, not
from the module's own equations, and uses exact row reduction where the module uses an SVD.
"""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.analysis.disclosure import (
    Audience,
    CellStatus,
    DisclosureRule,
    protect,
    protect_wide,
    rule_from_environment,
)
from observatory.analysis.disclosure.suppression import exposed, structure
from observatory.errors import ObservatoryError

RULE = DisclosureRule()  # the partnership's rule: 1-7 hidden, nearest 5 (DESIGN.md)
PROTECTED_AUDIENCES = [Audience.PUBLIC, Audience.EXTERNAL]

# -- the attacker ---------------------------------------------------------------------------


def determined(hidden: set, equations: list[dict]) -> set:
    """The hidden variables an attacker can solve for, given equations {variable: coefficient}
    whose other (known) terms have been moved to the right-hand side. Exact row reduction:
    a variable is determined iff a row of the reduced echelon form is its unit vector."""
    variables = sorted(hidden, key=repr)
    rows = [[Fraction(eq.get(v, 0)) for v in variables] for eq in equations]
    rows = [row for row in rows if any(row)]
    pivot_row = 0
    for column in range(len(variables)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column]), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][column]
        rows[pivot_row] = [value / lead for value in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column]:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    return {
        variables[row.index(1)] for row in rows[:pivot_row] if sum(value != 0 for value in row) == 1
    }


def two_way_equations(n_rows: int, n_cols: int) -> list[dict]:
    """Row totals, column totals and the grand total of an n_rows x n_cols table, as equations
    over the cells keyed (row, col), None marking a total."""
    equations = []
    for r in range(n_rows):
        equations.append({(r, None): 1, **{(r, c): -1 for c in range(n_cols)}})
    for c in range(n_cols):
        equations.append({(None, c): 1, **{(r, c): -1 for r in range(n_rows)}})
    equations.append({(None, None): 1, **{(None, c): -1 for c in range(n_cols)}})
    return equations


# -- tables ---------------------------------------------------------------------------------


def one_way(counts: list[int]) -> pl.DataFrame:
    """area -> count, with the total as the row whose area is null."""
    return pl.DataFrame(
        {
            "area": [f"E0{i}" for i in range(len(counts))] + [None],
            "count": [*counts, sum(counts)],
        },
        schema={"area": pl.String, "count": pl.Int64},
    )


def two_way(matrix: list[list[int]]) -> pl.DataFrame:
    """row x col -> count with every row total, column total and the grand total."""
    n_rows, n_cols = len(matrix), len(matrix[0])
    records = [(r, c, matrix[r][c]) for r in range(n_rows) for c in range(n_cols)]
    records += [(r, None, sum(matrix[r])) for r in range(n_rows)]
    records += [(None, c, sum(row[c] for row in matrix)) for c in range(n_cols)]
    records.append((None, None, sum(map(sum, matrix))))
    return pl.DataFrame(records, schema=["row", "col", "count"], orient="row")


def cells(table: pl.DataFrame) -> dict:
    """{(row, col): (true count, published count, status)} of a protected two_way table."""
    return {
        (row["row"], row["col"]): (row["true"], row["count"], row["count_status"])
        for row in table.iter_rows(named=True)
    }


def protect_two_way(matrix, rule=RULE, audience=Audience.PUBLIC):
    table = two_way(matrix)
    result = protect(
        table, audience=audience, counts=["count"], dimensions=["row", "col"], rule=rule
    )
    return result, cells(result.table.with_columns(true=table["count"]))


counts_st = st.one_of(st.integers(0, 7), st.integers(0, 60))
matrices = st.integers(1, 5).flatmap(
    lambda n_cols: st.lists(
        st.lists(counts_st, min_size=n_cols, max_size=n_cols), min_size=1, max_size=5
    )
)

# -- properties -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(counts_st, min_size=1, max_size=10), st.sampled_from(PROTECTED_AUDIENCES))
def test_one_way_table_with_a_total(counts, audience):
    table = one_way(counts)
    result = protect(table, audience=audience, counts=["count"], dimensions=["area"], rule=RULE)
    published = result.table
    true = table["count"].to_list()
    statuses = published["count_status"].to_list()
    hidden = set()
    for index, (value, shown, status) in enumerate(
        zip(true, published["count"].to_list(), statuses, strict=True)
    ):
        if status == CellStatus.SHOWN:
            assert shown % 5 == 0 and abs(shown - value) <= 2  # (b)
            assert not 1 <= shown <= 7  # (a)
        else:
            assert shown is None
            hidden.add(index)
        assert (status == CellStatus.SMALL) == (1 <= value <= 7)
    total = len(counts)
    # (c) by subtraction: never exactly one hidden value on the line (cells and total)
    assert len(hidden) != 1
    # (c) and by solving: the one equation total - sum(cells) = 0
    assert not determined(hidden, [{total: 1, **{i: -1 for i in range(total)}}])
    # (d) the published total is the rounded true total, not a sum of rounded cells
    if statuses[total] == CellStatus.SHOWN:
        assert published["count"][total] == RULE.round(sum(counts))
    assert result.summary.cells == total + 1
    assert result.summary.hidden_small + result.summary.hidden_secondary == len(hidden)


@settings(max_examples=300, deadline=None)
@given(matrices, st.sampled_from(PROTECTED_AUDIENCES))
def test_two_way_table_with_all_margins(matrix, audience):
    _, published = protect_two_way(matrix, audience=audience)
    hidden = {key for key, (_, _, status) in published.items() if status != CellStatus.SHOWN}
    for value, shown, status in published.values():
        if status == CellStatus.SHOWN:
            assert not 1 <= shown <= 7  # (a)
            assert shown % 5 == 0 and abs(shown - value) <= 2  # (b), and (d) for the totals
        else:
            assert shown is None
    # (c): no hidden cell follows from the shown cells and totals by any linear reasoning,
    # subtraction along one line being the simplest case.
    assert not determined(hidden, two_way_equations(len(matrix), len(matrix[0])))


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_wide_table_with_total_row_and_column(matrix):
    n_rows, n_cols = len(matrix), len(matrix[0])
    columns = [f"c{c}" for c in range(n_cols)]
    data = {"label": [f"r{r}" for r in range(n_rows)] + ["Total"]}
    for c, name in enumerate(columns):
        data[name] = [row[c] for row in matrix] + [sum(row[c] for row in matrix)]
    data["all"] = [sum(row) for row in matrix] + [sum(map(sum, matrix))]
    table = pl.DataFrame(data)
    result = protect_wide(
        table,
        audience=Audience.EXTERNAL,
        label="label",
        counts=columns,
        total_row="Total",
        total_column="all",
        rule=RULE,
    ).table
    hidden = set()
    for r in range(n_rows + 1):
        for c, name in enumerate([*columns, "all"]):
            key = (None if r == n_rows else r, None if c == n_cols else c)
            shown, true = result[name][r], table[name][r]
            if result[f"{name}_status"][r] == CellStatus.SHOWN:
                assert shown == RULE.round(true) and not 1 <= shown <= 7
            else:
                hidden.add(key)
    assert not determined(hidden, two_way_equations(n_rows, n_cols))


@settings(max_examples=100, deadline=None)
@given(matrices)
def test_partner_gets_the_table_unchanged(matrix):
    table = two_way(matrix)
    result = protect(
        table, audience=Audience.PARTNER, counts=["count"], dimensions=["row", "col"], rule=RULE
    )
    assert result.table is table
    assert result.summary.hidden_small == result.summary.hidden_secondary == 0


def fits(smallest_shown: int, rounding_base: int) -> bool:
    """The pairs DisclosureRule accepts: the smallest shown count does not round down."""
    half_up = (smallest_shown + rounding_base // 2) // rounding_base * rounding_base
    return half_up >= smallest_shown


@settings(max_examples=150, deadline=None)
@given(
    matrices,
    st.tuples(st.integers(1, 12), st.integers(1, 10)).filter(lambda pair: fits(*pair)),
)
def test_configured_thresholds_are_honoured(matrix, thresholds):
    smallest_shown, rounding_base = thresholds
    rule = DisclosureRule(smallest_shown=smallest_shown, rounding_base=rounding_base)
    _, published = protect_two_way(matrix, rule=rule)
    hidden = set()
    for key, (value, shown, status) in published.items():
        assert (status == CellStatus.SMALL) == (1 <= value < smallest_shown)
        if status == CellStatus.SHOWN:
            assert shown % rounding_base == 0 and abs(shown - value) <= rounding_base / 2
            assert not 1 <= shown < smallest_shown
        else:
            hidden.add(key)
    assert not determined(hidden, two_way_equations(len(matrix), len(matrix[0])))


# -- examples -------------------------------------------------------------------------------


def test_small_cell_in_a_one_way_table():
    result = protect(
        one_way([3, 20, 30]), audience=Audience.PUBLIC, counts=["count"], dimensions=["area"]
    )
    assert result.table["count"].to_list() == [None, None, 30, 55]
    assert result.table["count_status"].to_list() == ["small", "secondary", "shown", "shown"]
    assert result.summary.as_dict() == {
        "cells": 4,
        "shown": 2,
        "rounded": 1,  # 53 -> 55; 30 stays 30
        "hidden_small": 1,
        "hidden_secondary": 1,
        "derived_withheld": 0,
    }


def test_a_small_cell_in_a_two_way_table_is_hidden_in_a_rectangle():
    # The 3 needs a partner in its row and in its column, and those partners need each other:
    # the smallest rectangle through the small cell, of the smallest values, is hidden.
    result, published = protect_two_way([[3, 20, 30], [15, 12, 40], [9, 50, 60]])
    hidden = {key: status for key, (_, _, status) in published.items() if status != "shown"}
    assert hidden == {
        (0, 0): "small",
        (0, 1): "secondary",
        (2, 0): "secondary",
        (2, 1): "secondary",
    }
    assert published[(None, None)][1] == 240  # 239, rounded
    assert published[(1, 1)][1] == 10  # 12, rounded
    assert result.summary.hidden_secondary == 3


def test_zero_is_shown_and_never_small():
    result = protect(
        one_way([0, 0, 10]), audience=Audience.PUBLIC, counts=["count"], dimensions=["area"]
    )
    assert result.table["count"].to_list() == [0, 0, 10, 10]
    assert set(result.table["count_status"].to_list()) == {"shown"}


def test_a_small_total_is_hidden_and_its_cells_with_it():
    result = protect(
        one_way([2, 3, 0]), audience=Audience.PUBLIC, counts=["count"], dimensions=["area"]
    )
    assert result.table["count_status"].to_list() == ["small", "small", "shown", "small"]


def test_rounding_to_the_nearest_base():
    # 8 is the smallest count shown; with base 5 no value is ever half-way.
    assert [RULE.round(n) for n in (0, 8, 12, 13, 17, 18, 102)] == [0, 10, 10, 15, 15, 20, 100]
    # an even base, configured: halves round up
    assert DisclosureRule(rounding_base=10).round(15) == 20


def test_exposure_is_judged_on_the_whole_system_not_line_by_line():
    # Two hidden rectangles joined by one more hidden cell: every row and column holds two
    # or more hidden cells, yet the joining cell is the difference of its row's and column's
    # totals and the rest of the rectangles', so it is determined.
    keys = [(r, c) for r in range(4) for c in range(4)]
    keys += [(r, None) for r in range(4)] + [(None, c) for c in range(4)] + [(None, None)]
    table = structure(keys)
    hidden_keys = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    hidden = {keys.index(key) for key in hidden_keys}
    assert {keys[i] for i in exposed(table, hidden)} == {(0, 2)}
    assert determined(hidden_keys, two_way_equations(4, 4)) == {(0, 2)}


def test_derived_values_are_withheld_where_their_numerator_is_hidden():
    table = pl.DataFrame(
        {
            "area": ["E01", "E02", "E03", None],
            "knife": [3, 10, 40, 53],
            "assaults": [30, 50, 100, 180],
            "knife_pct": [10.0, 20.0, 40.0, 29.4],
            "assault_rate": [1.5, 2.5, 5.0, 3.0],
            "population": [20000, 20000, 20000, 60000],
        }
    )
    result = protect(
        table,
        audience=Audience.PUBLIC,
        counts=["knife", "assaults"],
        dimensions=["area"],
        derived={"knife_pct": "knife", "assault_rate": "assaults"},
        keep=["population"],
    )
    published = result.table
    assert published["knife_status"].to_list() == ["small", "secondary", "shown", "shown"]
    assert published["knife_pct"].to_list() == [None, None, 40.0, 29.4]
    assert published["assault_rate"].to_list() == [1.5, 2.5, 5.0, 3.0]
    assert published["population"].to_list() == [20000, 20000, 20000, 60000]
    assert published.columns == [
        "area", "knife", "knife_status", "assaults", "assaults_status",
        "knife_pct", "assault_rate", "population",
    ]  # fmt: skip
    assert result.summary.derived_withheld == 2
    # a plain list of derived columns is withheld wherever any count is hidden
    listed = protect(
        table,
        audience=Audience.PUBLIC,
        counts=["knife", "assaults"],
        dimensions=["area"],
        derived=["knife_pct", "assault_rate"],
        keep=["population"],
    )
    assert listed.table["assault_rate"].to_list() == [None, None, 5.0, 3.0]


def test_a_three_way_cube_with_partial_margins():
    # la x month x sex with totals over sex only (what a page showing each la-month total and
    # its split by sex publishes): each (la, month) is its own line.
    rows = [("A", "m1", "F", 5), ("A", "m1", "M", 30), ("A", "m2", "F", 12), ("A", "m2", "M", 9)]
    rows += [("A", "m1", None, 35), ("A", "m2", None, 21)]
    table = pl.DataFrame(rows, schema=["la", "month", "sex", "count"], orient="row")
    result = protect(
        table, audience=Audience.PUBLIC, counts=["count"], dimensions=["la", "month", "sex"]
    )
    assert result.table["count_status"].to_list() == [
        "small", "secondary", "shown", "shown", "shown", "shown",
    ]  # fmt: skip


# -- the audience and the columns must be said --------------------------------------------


def test_the_audience_is_required():
    with pytest.raises(TypeError):
        protect(one_way([10]), counts=["count"], dimensions=["area"])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="Audience"):
        protect(one_way([10]), audience="public", counts=["count"], dimensions=["area"])


def test_every_column_must_be_named():
    table = one_way([10, 20]).with_columns(other=pl.lit(1))
    with pytest.raises(ObservatoryError, match="'other' is not named"):
        protect(table, audience=Audience.PARTNER, counts=["count"], dimensions=["area"])


def test_totals_must_add_up():
    table = one_way([10, 20]).with_columns(
        count=pl.when(pl.col("area").is_null()).then(31).otherwise(pl.col("count"))
    )
    with pytest.raises(ObservatoryError, match=r"area = all.* is 31 but .* add up to 30"):
        protect(table, audience=Audience.PUBLIC, counts=["count"], dimensions=["area"])


def test_counts_must_be_whole_and_not_negative():
    with pytest.raises(ObservatoryError, match="negative"):
        protect(one_way([10, -1]), audience=Audience.PUBLIC, counts=["count"], dimensions=["area"])
    table = one_way([10, 20]).with_columns(pl.col("count").cast(pl.Float64))
    with pytest.raises(ObservatoryError, match="not whole numbers"):
        protect(table, audience=Audience.PUBLIC, counts=["count"], dimensions=["area"])


def test_the_status_words_a_page_shows():
    assert CellStatus.SMALL.describe(RULE) == "fewer than 8"
    assert CellStatus.SECONDARY.describe(RULE) == "hidden to protect another cell"
    assert CellStatus.SHOWN.describe(RULE) == "rounded to the nearest 5"


# -- configuration --------------------------------------------------------------------------


def test_rule_from_the_environment():
    assert rule_from_environment({}) == DisclosureRule(smallest_shown=8, rounding_base=5)
    env = {
        "OBSERVATORY_DISCLOSURE_SMALLEST_SHOWN": "10",
        "OBSERVATORY_DISCLOSURE_ROUNDING": " 10 ",
    }
    assert rule_from_environment(env) == DisclosureRule(smallest_shown=10, rounding_base=10)


@pytest.mark.parametrize(("smallest_shown", "rounding_base"), [(7, 3), (1, 5), (2, 5)])
def test_thresholds_that_would_round_a_shown_count_down_are_refused(smallest_shown, rounding_base):
    with pytest.raises(ObservatoryError, match=f"count of {smallest_shown} would be published"):
        DisclosureRule(smallest_shown=smallest_shown, rounding_base=rounding_base)


@pytest.mark.parametrize("value", ["0", "-5", "five", "2.5"])
def test_a_bad_threshold_is_a_clear_error(value):
    with pytest.raises(ObservatoryError, match="OBSERVATORY_DISCLOSURE_ROUNDING="):
        rule_from_environment({"OBSERVATORY_DISCLOSURE_ROUNDING": value})


def test_two_rows_for_one_cell_are_refused():
    table = pl.DataFrame({"area": ["E01", "E01"], "count": [10, 20]})
    with pytest.raises(ObservatoryError, match="two rows for the same cell"):
        protect(table, audience=Audience.PUBLIC, counts=["count"], dimensions=["area"])
