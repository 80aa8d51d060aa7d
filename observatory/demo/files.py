"""CSV files as real senders make them: a few with a byte-order mark, Windows line ends or an
upper-cased header, and a controllable share of bad rows, each one recorded in the truth.

A `Truth` collects what every later test needs to know and no importer may see: which rows
were spoiled and how, and what an importer should do with them (`reject`, `duplicate`, or
`normalise` and accept).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

# What an importer is expected to do with each kind of spoiled row.
EXPECTED = {
    "malformed_date": "reject",
    "coordinates_outside_region": "reject",
    "unknown_crime_type": "reject",
    "unknown_code": "reject",
    "missing_required": "reject",
    "duplicate": "duplicate",
    "time_24": "normalise",
    "trailing_spaces": "normalise",
}

Spoiler = Callable[[np.random.Generator, list[str]], list[str] | None]


class Truth:
    """The demo's ground truth for bad rows and file quirks, streamed to truth/."""

    def __init__(self, out: Path):
        folder = out / "truth"
        folder.mkdir(parents=True, exist_ok=True)
        self._rows_handle = open(folder / "bad_rows.csv", "w", newline="")  # noqa: SIM115
        self._rows = csv.writer(self._rows_handle, lineterminator="\n")
        self._rows.writerow(["file", "row", "line", "kind", "expected"])
        self._quirks_handle = open(folder / "file_quirks.csv", "w", newline="")  # noqa: SIM115
        self._quirks = csv.writer(self._quirks_handle, lineterminator="\n")
        self._quirks.writerow(["file", "quirk"])
        self.bad_rows = 0

    def bad_row(self, file: str, row: int, kind: str) -> None:
        # `row` counts data rows from 1; `line` is the physical line, the header being line 1.
        self._rows.writerow([file, row, row + 1, kind, EXPECTED[kind]])
        self.bad_rows += 1

    def quirk(self, file: str, quirk: str) -> None:
        self._quirks.writerow([file, quirk])

    def close(self) -> None:
        self._rows_handle.close()
        self._quirks_handle.close()


class CsvOut:
    """One output CSV. `spoilers` maps a kind of bad row to a function that spoils a row in
    place (returning None when that kind cannot apply to this row)."""

    def __init__(
        self,
        out: Path,
        relative: str,
        header: list[str],
        rng: np.random.Generator,
        truth: Truth,
        dirty_rate: float = 0.0,
        spoilers: dict[str, Spoiler] | None = None,
    ):
        self.relative = relative
        self.rng = rng
        self.truth = truth
        self.dirty_rate = dirty_rate
        self.spoilers = spoilers or {}
        self.rows = 0
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        quirk_chance = min(0.5, 10 * dirty_rate) if spoilers else 0.0
        bom, crlf, upper = rng.random(3) < quirk_chance
        self.handle = open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8")  # noqa: SIM115
        self.writer = csv.writer(self.handle, lineterminator="\r\n" if crlf else "\n")
        for flag, name in (
            (bom, "byte_order_mark"),
            (crlf, "crlf_line_ends"),
            (upper, "upper_case_header"),
        ):
            if flag:
                truth.quirk(relative, name)
        self.writer.writerow([h.upper() for h in header] if upper else header)

    def write(self, rows: Iterable[list[str]]) -> None:
        rows = rows if isinstance(rows, list) else list(rows)
        if not self.spoilers or self.dirty_rate <= 0:
            self.writer.writerows(rows)
            self.rows += len(rows)
            return
        chosen = np.flatnonzero(self.rng.random(len(rows)) < self.dirty_rate)
        if not len(chosen):
            self.writer.writerows(rows)
            self.rows += len(rows)
            return
        kinds = list(self.spoilers)
        picks = self.rng.integers(0, len(kinds), size=len(chosen))
        spoil = dict(zip(chosen.tolist(), picks.tolist(), strict=True))
        out = []
        for index, row in enumerate(rows):
            kind = kinds[spoil[index]] if index in spoil else None
            duplicable = self.spoilers.get("duplicate")
            if kind == "duplicate" and (duplicable is None or duplicable(self.rng, row)):
                out.append(row)
                self.truth.bad_row(self.relative, self.rows + len(out) + 1, kind)
                out.append(list(row))
                continue
            if kind is not None and kind != "duplicate":
                spoiled = self.spoilers[kind](self.rng, list(row))
                if spoiled is not None:
                    row = spoiled
                    self.truth.bad_row(self.relative, self.rows + len(out) + 1, kind)
            out.append(row)
        self.writer.writerows(out)
        self.rows += len(out)

    def close(self) -> int:
        self.handle.close()
        return self.rows


def write_table(path: Path, header: list[str], rows: Iterable[list]) -> int:
    """Write a clean CSV (no quirks, no spoiled rows) and return how many data rows it has.
    `rows` may be a generator: it is consumed in order, so random draws inside it keep
    their sequence."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def add_trailing_spaces(rng, row: list[str]) -> list[str]:
    for column in rng.choice(len(row), size=min(3, len(row)), replace=False):
        row[column] = row[column] + " " * int(rng.integers(1, 4))
    return row


def malformed_datetime(rng, value: str) -> str:
    """A date-time as a careless system might write it."""
    date, _, time = value.partition(" ")
    year, month, day = date.split("-")
    choices = (
        f"{day}/{month}/{year[2:]} {time}x",
        f"{year}-{int(month) + 12:02d}-{day} {time}",
        f"{year}-{month}-{int(day) + 31} {time}",
        f"{date}T{time}:99",
        "N/K",
        f"{year}{month}{day}",
    )
    return choices[int(rng.integers(0, len(choices)))]


def midnight_as_24(value: str) -> str:
    """Midnight at the start of the value's day, written as the previous day's `24:00`, as
    some systems do. (The moment moves to that midnight, never later than the original.)"""
    date = value.partition(" ")[0]
    previous = np.datetime64(date) - np.timedelta64(1, "D")
    return f"{previous} 24:00"
