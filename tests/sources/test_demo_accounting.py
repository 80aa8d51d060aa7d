"""A whole demo region imported with `import all`, accounted for row by row against the
demo's ground truth (truth/bad_rows.csv), then imported again.

For every file: read == accepted + rejected + duplicates; every planted bad row that should
be rejected is in that file's rejections, at its row number, with a reason that fits what
was done to it; the duplicates are exactly the planted copies; and no other row is rejected
(normalised rows, a `24:00` time or trailing spaces, are accepted). A demo file that no
source reads fails the test: every file the demo writes must have an importer.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from observatory.demo.files import EXPECTED
from observatory.demo.generate import generate
from observatory.lake.imports import ImportSummary
from observatory.lake.pipelines import DROP_LAYOUT, NEVER_IMPORTED, Unusable, import_drop_folder
from observatory.lake.store import Lake
from observatory.sources import registry
from observatory.sources.base import Context

# A higher share of spoiled rows than the default, so that every kind of bad row appears.
DIRTY_RATE = 0.02
# What a rejection of each kind of planted row must say (the reason names the problem).
REASONS = {
    "malformed_date": r"is not a (month|date)|is blank",  # the demo blanks some months
    "coordinates_outside_region": r"outside the region",
    "unknown_crime_type": r"is not a police\.uk crime type",
    "unknown_code": r"is not one of",
    "missing_required": r"is blank",
}


@dataclass
class Imported:
    demo: Path
    lake: Lake
    first: dict[str, ImportSummary]  # by path relative to the demo folder
    second: dict[str, ImportSummary]
    manifest_after_first: dict
    truth: dict[str, list[tuple[int, str, str]]]  # file -> (row, kind, expected)


def _by_file(results, demo: Path) -> dict[str, ImportSummary]:
    results = list(results)
    unusable = [r for r in results if isinstance(r, Unusable)]
    assert not unusable, f"demo files that could not be imported: {unusable}"
    return {str(Path(r.file).relative_to(demo)): r for r in results}


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Imported:
    kinds = {kind for kind, _ in DROP_LAYOUT} | {"premises"}
    unregistered = sorted(kinds - set(registry.KINDS))
    if unregistered:
        pytest.fail(f"the demo writes files that no source reads: kinds {unregistered}")
    root = tmp_path_factory.mktemp("demo-accounting")
    demo = root / "demo"
    generate(demo, seed=11, months=2, end_month="2025-09", scale=0.2, dirty_rate=DIRTY_RATE)
    lake = Lake.in_data_dir(root / "data")
    context = Context("demo accounting key")
    first = _by_file(import_drop_folder(demo, lake, context, who="tester"), demo)
    manifest = lake.manifest()
    second = _by_file(import_drop_folder(demo, lake, context, who="tester"), demo)
    truth = defaultdict(list)
    with open(demo / "truth" / "bad_rows.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            truth[row["file"]].append((int(row["row"]), row["kind"], row["expected"]))
    return Imported(demo, lake, first, second, manifest, dict(truth))


def _rejections(summary: ImportSummary) -> dict[int, str]:
    if summary.rejections_file is None:
        return {}
    with open(summary.rejections_file, newline="") as handle:
        return {int(row["row"]): row["reason"] for row in csv.DictReader(handle)}


def test_every_file_the_demo_writes_is_imported(imported):
    written = {
        str(p.relative_to(imported.demo))
        for p in imported.demo.rglob("*")
        if p.is_file() and NEVER_IMPORTED not in p.relative_to(imported.demo).parts
    }
    assert written == set(imported.first)
    assert set(imported.truth) <= set(imported.first)


def test_the_planted_rows_cover_every_kind_of_bad_row(imported):
    planted = {kind for rows in imported.truth.values() for _, kind, _ in rows}
    assert planted == set(EXPECTED)


def test_every_row_is_accepted_rejected_or_a_duplicate(imported):
    unbalanced = {
        name: (s.read, s.accepted, s.rejected, s.duplicates)
        for name, s in imported.first.items()
        if s.read != s.accepted + s.rejected + s.duplicates or s.read == 0
    }
    assert unbalanced == {}


def test_every_planted_bad_row_is_rejected_at_its_row_with_a_fitting_reason(imported):
    problems = []
    for name, rows in imported.truth.items():
        rejected = _rejections(imported.first[name])
        for row, kind, expected in rows:
            if expected != "reject":
                continue
            reason = rejected.get(row)
            if reason is None:
                problems.append(f"{name} row {row} ({kind}) was not rejected")
            elif not re.search(REASONS[kind], reason):
                problems.append(f"{name} row {row} ({kind}) rejected as {reason!r}")
    assert not problems, "\n".join(problems)


def test_duplicates_are_exactly_the_planted_copies(imported):
    counted = {name: s.duplicates for name, s in imported.first.items() if s.duplicates}
    planted = {
        name: n
        for name, rows in imported.truth.items()
        if (n := sum(expected == "duplicate" for _, _, expected in rows))
    }
    assert counted == planted


def test_no_row_outside_the_truth_is_rejected(imported):
    unexpected = {}
    for name, summary in imported.first.items():
        planted = {row for row, _, expected in imported.truth.get(name, []) if expected == "reject"}
        extra = {row: r for row, r in _rejections(summary).items() if row not in planted}
        if extra:
            unexpected[name] = f"{len(extra)} rows, first {sorted(extra.items())[:3]}"
    assert not unexpected, "\n".join(f"{name}: {rows}" for name, rows in unexpected.items())


def test_importing_the_region_again_adds_nothing(imported):
    changed = {
        name: (s.accepted, s.rejected, s.duplicates)
        for name, s in imported.second.items()
        if (s.accepted, s.rejected, s.duplicates)
        != (
            0,
            imported.first[name].rejected,
            imported.first[name].accepted + imported.first[name].duplicates,
        )
    }
    assert changed == {}
    assert imported.lake.manifest()["tables"] == imported.manifest_after_first["tables"]
