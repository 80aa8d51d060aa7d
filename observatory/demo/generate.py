"""`observatory demo generate`: the whole demo region, written month by month.

Same arguments, same bytes: every random choice comes from a numpy generator seeded with
(seed, stream, month), never from global state or the clock. Memory is bounded by one
month of events, so `--scale 50` streams tens of millions of rows.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from observatory.demo import files
from observatory.demo import profiles as p
from observatory.demo.events import ViolenceProcess, next_month
from observatory.demo.geography import build_region, write_geography
from observatory.demo.health import HealthFiles
from observatory.demo.places import build_premises, write_places
from observatory.demo.police import PoliceFiles
from observatory.errors import ObservatoryError

GRID_CELL_M = 1_000  # ground-truth grid: 1 km cells of the British National Grid


@dataclass
class Summary:
    files: dict[str, int] = field(default_factory=dict)  # relative path -> data rows
    seconds: float = 0.0
    bad_rows: int = 0

    @property
    def rows(self) -> int:
        return sum(self.files.values())

    def police_uk_rows(self) -> int:
        return sum(
            n for f, n in self.files.items() if f.startswith("police/") and "force_extract" not in f
        )


def months_ending(end: str, count: int) -> list[tuple[int, int]]:
    try:
        year, month = (int(part) for part in end.split("-"))
        if not 1 <= month <= 12 or len(end) != 7:
            raise ValueError
    except ValueError:
        raise ObservatoryError(f"--end-month {end!r} is not a month: use YYYY-MM") from None
    months = [(year, month)]
    for _ in range(count - 1):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    return months[::-1]


def generate(
    out: Path,
    seed: int = 42,
    months: int = 12,
    end_month: str = "2026-09",
    scale: float = 1.0,
    dirty_rate: float = 0.005,
    progress: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Write the demo region into `out`; return what was written."""
    if months < 1:
        raise ObservatoryError("--months must be at least 1")
    if scale <= 0:
        raise ObservatoryError("--scale must be greater than 0")
    if not 0 <= dirty_rate <= 0.5:
        raise ObservatoryError("--dirty-rate must be between 0 and 0.5")
    if out.exists() and not out.is_dir():
        raise ObservatoryError(f"--out {out} is a file; give a folder")
    calendar = months_ending(end_month, months)
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary()

    progress("Building the region's geography…")
    region = build_region(seed)
    summary.files.update(write_geography(region, out))
    premises = build_premises(region, seed)
    summary.files.update(write_places(region, premises, out, seed, p.LICENSED_RATE * scale))

    truth = files.Truth(out)
    violence = ViolenceProcess(region, premises.xy, premises.area, premises.risk, seed, scale)
    police = PoliceFiles(region, out, seed, scale, dirty_rate, truth)
    health = HealthFiles(region, out, seed, dirty_rate, truth, premises.names, premises.licence)
    with (
        open(out / "truth/intensity.csv", "w", newline="") as intensity_handle,
        open(out / "truth/ed_police_links.csv", "w", newline="") as links_handle,
        open(out / "truth/grid_intensity.csv", "w", newline="") as grid_handle,
        open(out / "truth/ed_premises.csv", "w", newline="") as ed_premises_handle,
    ):
        grid = csv.writer(grid_handle, lineterminator="\n")
        grid.writerow(["month", "cell_easting", "cell_northing", "expected_events", "events"])
        area_cell = (region.centre_xy // GRID_CELL_M).astype(np.int64)
        intensity = csv.writer(intensity_handle, lineterminator="\n")
        intensity.writerow(
            ["month", "lsoa_code", "expected_background_events", "expected_events", "events"]
        )
        links = csv.writer(links_handle, lineterminator="\n")
        links.writerow(["site_code", "attendance_id", "crime_reference"])
        ed_premises = csv.writer(ed_premises_handle, lineterminator="\n")
        ed_premises.writerow(["site_code", "attendance_id", "licence_number", "venue_named"])
        for index, (year, month) in enumerate(calendar):
            events, expected = violence.month(year, month, index)
            victims = violence.victimisation(events, year, month)
            written = police.write_month(year, month, events, victims)
            treated = health.write_month(year, month, events, victims)
            summary.files.update(written["rows"])
            summary.files.update(treated["rows"])
            for event, site, attendance in treated["attendances"]:
                reference = written["references"].get(event)
                if reference:
                    links.writerow([site, attendance, reference])
            for site, attendance, licence, named in treated["at_premises"]:
                ed_premises.writerow([site, attendance, licence, "Y" if named else "N"])
            realised = np.bincount(events.area, minlength=region.size)
            stamp = f"{year:04d}-{month:02d}"
            for area in range(region.size):
                intensity.writerow(
                    [
                        stamp,
                        region.lsoa_code[area],
                        f"{expected[area]:.4f}",
                        f"{expected[area] / (1 - p.BRANCHING):.4f}",
                        int(realised[area]),
                    ]
                )
            _write_grid(grid, stamp, area_cell, expected / (1 - p.BRANCHING), events)
            progress(
                f"{stamp} ({index + 1}/{len(calendar)}): {len(events):,} violent events, "
                f"{summary.police_uk_rows():,} police.uk rows so far"
            )
    truth.close()
    summary.bad_rows = truth.bad_rows
    summary.seconds = time.perf_counter() - started
    return summary


def _write_grid(writer, stamp, area_cell, expected_by_area, events) -> None:
    """Expected and realised violent events per 1 km British National Grid cell. An area's
    expectation is counted in the cell holding its centre; events in the cell they fell in."""
    expected: dict[tuple[int, int], float] = {}
    for (cx, cy), value in zip(map(tuple, area_cell), expected_by_area, strict=True):
        expected[(cx, cy)] = expected.get((cx, cy), 0.0) + value
    cells = np.stack([events.x // GRID_CELL_M, events.y // GRID_CELL_M], axis=1).astype(np.int64)
    unique, counts = np.unique(cells, axis=0, return_counts=True)
    realised = {(int(cx), int(cy)): int(n) for (cx, cy), n in zip(unique, counts, strict=True)}
    for cell in sorted(set(expected) | set(realised)):
        writer.writerow(
            [
                stamp,
                cell[0] * GRID_CELL_M,
                cell[1] * GRID_CELL_M,
                f"{expected.get(cell, 0.0):.4f}",
                realised.get(cell, 0),
            ]
        )


__all__ = ["Summary", "generate", "months_ending", "next_month"]
