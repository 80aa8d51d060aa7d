"""Hand-written fixtures in the real formats (tests/sources/fixtures/), and a lake that holds
their small areas.

The fixtures were written by hand from the formats in DESIGN.md, not by the demo generator:
five small areas drawn as rectangles in British National Grid around central Birmingham
and Smethwick (one of them a MultiPolygon), an ONS-style lookup to their wards and local
authorities, and police, force and places files whose points lie inside those areas.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from observatory.lake.imports import ImportSummary, import_file
from observatory.lake.pipelines import import_geography
from observatory.lake.store import Lake
from observatory.sources.base import Context, Source

FIXTURES = Path(__file__).parent / "fixtures"
AREAS = FIXTURES / "geography" / "lsoa_2021_bng.geojson"
LOOKUP = FIXTURES / "geography" / "lsoa21_ward22_lad22_lookup.csv"
KEY = "sources test pseudonym key"


@pytest.fixture
def context() -> Context:
    return Context(KEY)


@pytest.fixture
def lake(tmp_path, context) -> Lake:
    """A lake holding the five hand-drawn small areas, with wards and local authorities."""
    lake = Lake.in_data_dir(tmp_path / "data")
    (summary,) = import_geography(AREAS, None, None, lake, context, lookup=LOOKUP)
    assert (summary.accepted, summary.rejected) == (5, 0)
    return lake


def import_one(path: Path, source: Source, lake: Lake, context: Context) -> ImportSummary:
    summary = import_file(path, source, lake, context, who="tester")
    assert summary.read == summary.accepted + summary.rejected + summary.duplicates
    return summary


def counts(summary: ImportSummary) -> tuple[int, int, int, int]:
    return summary.read, summary.accepted, summary.rejected, summary.duplicates


def rejections(summary: ImportSummary) -> dict[int, str]:
    """Row number -> reason, from the summary's rejections file."""
    if summary.rejections_file is None:
        return {}
    with open(summary.rejections_file, newline="") as handle:
        return {int(row["row"]): row["reason"] for row in csv.DictReader(handle)}


def table(lake: Lake, name: str) -> pl.DataFrame:
    return pl.read_parquet(lake.files(name))
