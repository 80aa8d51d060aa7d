"""Generating the demo region: rows per second and peak memory, at scale 1 and at a scale
that writes ten million police.uk rows (target: under five minutes and 2 GiB on the
2-core development machine).

Baseline: Python's csv module writing the same number of rows of fixed text, the floor any
generator that writes CSV must pay.
"""

import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Result

RUN = """
import json, resource, sys
from pathlib import Path
from observatory.demo.generate import generate
s = generate(Path(sys.argv[1]), seed=1, months=int(sys.argv[2]), end_month="2025-12",
             scale=float(sys.argv[3]))
print(json.dumps({"seconds": s.seconds, "rows": s.rows, "police_uk": s.police_uk_rows(),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
ROW = [
    "f" * 64,
    "2025-01",
    "West Midlands Police",
    "West Midlands Police",
    "-1.890400",
    "52.486200",
    "On or near Broad Street",
    "E01900001",
    "Birmingham 001A",
    "Violence and sexual offences",
    "Under investigation",
    "",
]


def generate(months: int, scale: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="observatory-bench-demo-") as folder:
        result = subprocess.run(
            [sys.executable, "-c", RUN, folder, str(months), str(scale)],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout)


def plain_csv_seconds(rows: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with open(Path(folder) / "plain.csv", "w", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            chunk = [ROW] * 100_000
            for _ in range(rows // len(chunk)):
                writer.writerows(chunk)
            writer.writerows([ROW] * (rows % len(chunk)))
        return time.perf_counter() - started


def run() -> list[Result]:
    results = []
    for label, months, scale, limits in (
        ("demo generate, scale 1, 12 months", 12, 1.0, None),
        ("demo generate, 10M police.uk rows", 5, 44.0, (300, 2 * 1024**2)),
    ):
        figures = generate(months, scale)
        rate = figures["police_uk"] / figures["seconds"]
        peak_mib = figures["peak_kib"] / 1024
        met = None
        if limits:
            met = figures["seconds"] < limits[0] and figures["peak_kib"] < limits[1]
        results.append(
            Result(
                label,
                figures["seconds"],
                f"csv.writer, {figures['rows'] / 1e6:.1f}M rows",
                plain_csv_seconds(figures["rows"]),
                note=(
                    f"{figures['police_uk']:,} police.uk rows, {figures['rows']:,} rows in all;"
                    f" {rate:,.0f} police.uk rows/s; peak memory {peak_mib:,.0f} MiB"
                    + ("; target < 300 s and < 2 GiB" if limits else "")
                ),
                absolute_target_met=met,
            )
        )
    return results
