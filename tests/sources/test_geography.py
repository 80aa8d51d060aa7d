"""An ONS-style boundary file in British National Grid, with only the small areas' own codes
and names, and the ONS lookup that gives their wards and local authorities."""

from __future__ import annotations

import json

import polars as pl
import pytest
import shapely

from observatory.lake.placement import Placer
from observatory.lake.store import Lake
from tests.support.cli import cli_env, run_cli

from .conftest import AREAS, LOOKUP


@pytest.fixture
def imported(tmp_path) -> Lake:
    result = run_cli(
        "import", "geography", "--areas", str(AREAS), "--lookup", str(LOOKUP), "--json",
        env=cli_env(tmp_path / "data"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (summary,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (5, 5, 0)
    return Lake.in_data_dir(tmp_path / "data")


def test_boundary_file_in_british_national_grid_loads_with_the_lookup(imported):
    areas = pl.read_parquet(imported.files("small_areas")).sort("lsoa_code")
    assert areas.select("lsoa_code", "lsoa_name", "ward_name", "la_code", "la_name").rows() == [
        ("E01009990", "Sandwell 030A", "Smethwick", "E08000028", "Sandwell"),
        ("E01033620", "Birmingham 138A", "Ladywood", "E08000025", "Birmingham"),
        ("E01033621", "Birmingham 138B", "Ladywood", "E08000025", "Birmingham"),
        ("E01033622", "Birmingham 139A", "Soho & Jewellery Quarter", "E08000025", "Birmingham"),
        ("E01033623", "Birmingham 139B", "Soho & Jewellery Quarter", "E08000025", "Birmingham"),
    ]
    # Stored as they were drawn, in metres: a 2.5 km square is 6.25 km², and the
    # MultiPolygon is two strips with a 100 m gap between them.
    assert areas["area_km2"].to_list() == pytest.approx([12.5, 6.25, 6.25, 6.25, 6.0])
    first = areas.row(1, named=True)
    assert (first["centroid_easting"], first["centroid_northing"]) == (406_250, 286_250)
    multi = shapely.from_wkb(areas["geometry"][4])
    assert multi.geom_type == "MultiPolygon" and len(multi.geoms) == 2


def test_points_are_placed_in_the_hand_drawn_areas(imported):
    placer = Placer.from_lake(imported)
    # Inside 138A; inside 139B's northern strip; in the gap between its strips; in Sandwell.
    found = placer.area_of_points(
        [406_000, 409_000, 409_000, 401_000], [286_000, 289_500, 288_750, 288_000]
    )
    codes = [None if i < 0 else placer.areas["lsoa_code"][int(i)] for i in found]
    assert codes == ["E01033620", "E01033623", None, "E01009990"]
