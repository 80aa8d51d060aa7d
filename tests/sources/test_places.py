"""Schools and youth provision: registers imported as snapshots, placed by their points or,
without one, by the small-area code they give."""

from __future__ import annotations

import json

import polars as pl

from observatory.sources.places import Schools, YouthProvision
from tests.support.cli import cli_env, run_cli

from .conftest import FIXTURES, counts, import_one, rejections, table

SCHOOLS = FIXTURES / "places" / "schools.csv"
YOUTH = FIXTURES / "places" / "youth_provision.csv"


def test_schools_are_accounted_for_row_by_row(lake, context):
    summary = import_one(SCHOOLS, Schools(), lake, context)
    assert counts(summary) == (11, 6, 4, 1)
    assert rejections(summary) == {
        5: "the location is outside the region's small areas",
        6: "pupils 'lots' is not a whole number from 0 to 10000",
        7: "school_urn 'ABC123' is not a six-digit URN",
        11: "lsoa_code 'E0103362' is not a small-area code",
    }
    assert summary.placement == {"point": 4, "code": 1, "unlocated": 1, "lsoa_disagreements": 1}
    assert summary.slices == ["all"]
    stored = table(lake, "schools").sort("school_urn")
    assert stored.select("school_urn", "phase", "lsoa_code", "placement").rows() == [
        ("100001", "primary", "E01033620", "point"),
        ("100002", "secondary", "E01033621", "point"),
        ("100003", "nursery", "E01033622", "code"),
        ("100004", "primary", "E01033622", "point"),  # the point wins over the stated area
        ("100008", "not applicable", None, "unlocated"),
        ("100010", "all-through", "E01009990", "point"),
    ]
    assert stored["month"].is_null().all()


def test_youth_provision_is_accounted_for_row_by_row(lake, context):
    summary = import_one(YOUTH, YouthProvision(), lake, context)
    assert counts(summary) == (6, 4, 2, 0)
    assert rejections(summary) == {
        2: "weekly_hours '200' is not a number of hours from 0 to 168",
        3: "min_age '18' is above max_age '11'",
    }
    stored = table(lake, "youth_provision").sort("site_id")
    assert stored.select("site_id", "weekly_hours", "min_age", "max_age", "placement").rows() == [
        ("YP9001", 12.0, 10, 19, "point"),
        ("YP9004", 20.0, 13, 25, "code"),
        ("YP9005", 30.0, 8, 18, "point"),
        ("YP9006", 7.5, 11, 25, "point"),
    ]


def test_a_new_register_replaces_the_old_one(tmp_path, lake, context):
    import_one(SCHOOLS, Schools(), lake, context)
    newer = tmp_path / "schools_2025.csv"
    lines = SCHOOLS.read_text().splitlines()
    newer.write_text("\n".join(lines[:3]) + "\n")  # two schools left
    summary = import_one(newer, Schools(), lake, context)
    assert (summary.accepted, summary.replaced[0]["previous_rows"]) == (2, 6)
    assert summary.notes == ["replaced all (6 rows from schools.csv) with this file's 2 rows"]
    assert table(lake, "schools")["school_urn"].sort().to_list() == ["100001", "100002"]


def test_the_places_command_tells_schools_from_youth_provision(tmp_path, lake):
    result = run_cli(
        "import", "places", str(FIXTURES / "places"), "--json", env=cli_env(tmp_path / "data")
    )
    assert result.returncode == 0, result.stderr
    summaries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(s["source"], s["accepted"], s["rejected"]) for s in summaries] == [
        ("places-schools", 6, 4),
        ("places-youth-provision", 4, 2),
    ]
    assert set(pl.read_parquet(lake.files("youth_provision"))["la_code"]) == {
        "E08000025",
        "E08000028",
    }
