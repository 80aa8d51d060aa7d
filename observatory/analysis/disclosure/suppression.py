"""Primary and secondary suppression of one count column, whatever the table's shape.

A table is a list of cells. Each cell has a key: one value per dimension, with None where the
cell is a total over that dimension (the convention of SQL's GROUP BY CUBE). A cell whose key
has no None is an interior cell; the others are totals (margins), and a total must equal the
sum of the interior cells that match it on its other dimensions. A missing interior cell
counts as a known zero: an attacker is assumed to know it too.

The attacker we protect against knows the exact value of every shown cell and every shown
total (rounding, which blurs each by up to 2, is not relied on). A hidden cell is *exposed*
when that knowledge fixes its value: when its unit vector lies in the row space of the
additivity equations restricted to the hidden cells; equivalently, when every vector of that
restricted system's null space is zero at the cell. This is the whole linear system, not one
line at a time: two hidden cells in a row are not safe if one of them can be had from its
column.

Secondary suppression is greedy, in two steps repeated until nothing is exposed:
 1. Lines (a set of cells differing in one dimension, and the total over them) with exactly
    one hidden value give it away by subtraction: hide one more value in each such line,
    preferring a cell that also mends another such line (this pairs hidden cells into
    rectangles in a two-way table).
 2. Whatever the whole linear system still exposes (a hidden cell bridging two otherwise safe
    groups, a total reached through the grand total) is mended by hiding the neighbour that
    leaves the fewest cells exposed.
Among equally good cells, both steps prefer
 a. an interior cell to a total (totals are what readers look at first),
 b. a non-zero value to a zero (a hidden zero beside a small cell bounds the small cell by
    what the line is missing, a tight bound),
 c. the smallest value (the least information lost; the usual practice in UK official
    statistics),
 d. the earlier cell, so the result depends on the table alone.
Greedy choice does not find the fewest hidden cells (that problem is NP-hard), but it always
ends with nothing exposed: hiding every cell but the empty totals leaves every cell free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from observatory.analysis.disclosure.rule import CellStatus, DisclosureRule
from observatory.errors import ObservatoryError

Key = tuple[Hashable | None, ...]

# Singular values (relative to the largest) and null-space row norms below these are zero.
# The equations have entries 0 and +-1, so genuine non-zeros are many orders larger.
_RANK_TOLERANCE = 1e-9
_NULL_TOLERANCE = 1e-7
# Step 2 tries at most this many of the cheapest candidates per hidden cell, so a large table
# with many small cells stays fast; step 2 is rarely needed after step 1.
_STEP_TWO_CANDIDATES = 40


@dataclass(frozen=True)
class Structure:
    """The additive structure of a table. It depends on the keys alone, so one Structure
    serves every count column of a table."""

    keys: tuple[Key, ...]
    totals: tuple[tuple[int, tuple[int, ...]], ...]
    """(total, the interior cells it adds up), one per total."""
    lines: tuple[tuple[int, tuple[int, ...]], ...]
    """(total, its cells one level down), for every total with at least one such cell."""
    lines_of: tuple[tuple[int, ...], ...]
    """For each cell, the positions in `lines` of the lines it is on."""
    neighbours: tuple[tuple[int, ...], ...]
    """For each cell, the cells on a common line with it (whether or not the line's total is
    in the table)."""

    @property
    def margins(self) -> frozenset[int]:
        return frozenset(total for total, _ in self.totals)

    @property
    def empty_totals(self) -> frozenset[int]:
        """Totals over no cell at all: known to be zero, so hiding one protects nothing."""
        return frozenset(total for total, members in self.totals if not members)


def structure(keys: Sequence[Key]) -> Structure:
    """The additive structure of cells with these keys (all of one length, no duplicates)."""
    keys = tuple(tuple(key) for key in keys)
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate cell keys")
    if len({len(key) for key in keys}) > 1:
        raise ValueError("cell keys of different lengths")
    interior = [index for index, key in enumerate(keys) if None not in key]
    by_projection: dict[tuple[int, ...], dict[Key, list[int]]] = {}
    totals = []
    for index, key in enumerate(keys):
        if None not in key:
            continue
        kept = tuple(position for position, part in enumerate(key) if part is not None)
        if kept not in by_projection:
            groups = by_projection[kept] = defaultdict(list)
            for cell in interior:
                groups[tuple(keys[cell][position] for position in kept)].append(cell)
        members = by_projection[kept].get(tuple(key[position] for position in kept), [])
        totals.append((index, tuple(members)))

    groups_by_line: dict[tuple, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        for dimension in range(len(key)):
            groups_by_line[(dimension, key[:dimension] + key[dimension + 1 :])].append(index)
    lines = []
    lines_of: list[list[int]] = [[] for _ in keys]
    for (dimension, _), cells in groups_by_line.items():
        total = [cell for cell in cells if keys[cell][dimension] is None]
        members = tuple(cell for cell in cells if keys[cell][dimension] is not None)
        if total and members:
            for cell in (total[0], *members):
                lines_of[cell].append(len(lines))
            lines.append((total[0], members))
    neighbours = []
    for index, key in enumerate(keys):
        near: set[int] = set()
        for dimension in range(len(key)):
            near.update(groups_by_line[(dimension, key[:dimension] + key[dimension + 1 :])])
        near.discard(index)
        neighbours.append(tuple(sorted(near)))
    return Structure(
        keys, tuple(totals), tuple(lines), tuple(map(tuple, lines_of)), tuple(neighbours)
    )


def check_additive(table: Structure, values: Sequence[int], name: Callable[[int], str]) -> None:
    """Raise ObservatoryError if a total is not the sum of the cells it covers.

    `name(index)` describes a cell for the message. Secondary suppression reasons about the
    equations the totals satisfy, so totals that do not add up (a total that includes an
    'Unknown' category the table leaves out, say) would make it protect the wrong thing."""
    for total, members in table.totals:
        expected = sum(values[cell] for cell in members)
        if values[total] != expected:
            raise ObservatoryError(
                f"{name(total)} is {values[total]} but the cells it totals add up to {expected}; "
                "disclosure control needs totals that are the sum of the cells in the table "
                "(add any missing category, e.g. 'Unknown', as a row)"
            )


def exposed(table: Structure, hidden: set[int] | frozenset[int]) -> set[int]:
    """The hidden cells whose value follows from the shown cells and totals."""
    if not hidden:
        return set()
    columns = {cell: position for position, cell in enumerate(sorted(hidden))}
    rows = []
    for total, members in table.totals:
        row = np.zeros(len(columns))
        if total in columns:
            row[columns[total]] = 1.0
        for cell in members:
            if cell in columns:
                row[columns[cell]] = -1.0
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, right = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > _RANK_TOLERANCE * max(matrix.shape) * singular[0]).sum())
    norms = np.linalg.norm(right[rank:], axis=0)  # rows of `right` past the rank: null space
    return {cell for cell, position in columns.items() if norms[position] < _NULL_TOLERANCE}


def suppress(table: Structure, values: Sequence[int], rule: DisclosureRule) -> list[CellStatus]:
    """The status of every cell of one count column under the rule. The values must be
    additive (see check_additive)."""
    margins, useless = table.margins, table.empty_totals
    status = [CellStatus.SMALL if rule.is_small(value) else CellStatus.SHOWN for value in values]
    hidden = {index for index, s in enumerate(status) if s is CellStatus.SMALL}

    def cost(cell: int) -> tuple:
        return (cell in margins, values[cell] == 0, values[cell], cell)

    def hide(cell: int) -> None:
        hidden.add(cell)
        status[cell] = CellStatus.SECONDARY

    while True:
        _mend_lines(table, hidden, useless, cost, hide)
        exposed_now = exposed(table, hidden)
        if not exposed_now:
            return status
        hide(_mend_system(table, hidden, useless, exposed_now, cost))


def _mend_lines(table, hidden, useless, cost, hide) -> None:
    """Step 1: until no line has exactly one hidden value, hide one more in such a line."""

    def hidden_on(line: int) -> int:
        total, members = table.lines[line]
        return (total in hidden) + sum(cell in hidden for cell in members)

    while True:
        lone = [line for line in range(len(table.lines)) if hidden_on(line) == 1]
        if not lone:
            return
        total, members = table.lines[lone[0]]
        candidates = [
            cell for cell in (*members, total) if cell not in hidden and cell not in useless
        ]
        if not candidates:
            return  # only an empty total is left to hide; step 2 decides what to do

        def score(cell: int) -> tuple:
            mends = sum(hidden_on(line) == 1 for line in table.lines_of[cell])
            margin, zero, *rest = cost(cell)
            return (margin, zero, -mends, *rest)

        hide(min(candidates, key=score))


def _mend_system(table, hidden, useless, exposed_now, cost) -> int:
    """Step 2: the cell to hide next so that the fewest cells stay exposed."""
    near = {
        cell
        for each in exposed_now
        for cell in table.neighbours[each]
        if cell not in hidden and cell not in useless
    }
    if not near:
        near = set(range(len(table.keys))) - hidden - useless
    candidates = sorted(near, key=cost)[:_STEP_TWO_CANDIDATES]
    return min(candidates, key=lambda cell: (len(exposed(table, hidden | {cell})), cost(cell)))
