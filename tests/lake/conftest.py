"""A tiny region for lake tests: four 1 km squares in British National Grid, and helpers
to write police.uk street files with points inside or outside them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyproj
import pytest

from observatory.analysis.engine import Engine
from observatory.lake.pipelines import import_geography
from observatory.lake.store import Lake
from observatory.sources.base import Context
from observatory.sources.police_uk import STREET_HEADER

TO_WGS84 = pyproj.Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
ORIGIN = (406_000, 286_000)  # central Birmingham
SQUARES = {  # code -> (column, row) of its 1 km square from ORIGIN
    "E01000001": (0, 0),
    "E01000002": (1, 0),
    "E01000003": (0, 1),
    "E01000004": (1, 1),
}
KEY = "test pseudonym key"


def lonlat_in(code: str, dx: float = 500, dy: float = 500) -> tuple[str, str]:
    """Longitude and latitude (as police.uk writes them) of a point inside a square."""
    column, row = SQUARES[code]
    lon, lat = TO_WGS84.transform(ORIGIN[0] + column * 1000 + dx, ORIGIN[1] + row * 1000 + dy)
    return f"{lon:.6f}", f"{lat:.6f}"


def write_squares(path: Path) -> Path:
    features = []
    for code, (column, row) in SQUARES.items():
        x0, y0 = ORIGIN[0] + column * 1000, ORIGIN[1] + row * 1000
        ring = [(x0, y0), (x0 + 1000, y0), (x0 + 1000, y0 + 1000), (x0, y0 + 1000), (x0, y0)]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "LSOA21CD": code,
                    "LSOA21NM": f"Test {code[-1]}",
                    "WD22CD": "E05000001" if column == 0 else "E05000002",
                    "WD22NM": "West ward" if column == 0 else "East ward",
                    "LAD22CD": "E08000025",
                    "LAD22NM": "Birmingham",
                },
                "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
            }
        )
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
                "features": features,
            }
        )
    )
    return path


def street_row(crime_id: str, month: str, code: str | None, crime_type: str, **overrides):
    lon, lat = lonlat_in(code) if code else ("", "")
    row = {
        "Crime ID": crime_id,
        "Month": month,
        "Reported by": "West Midlands Police",
        "Falls within": "West Midlands Police",
        "Longitude": lon,
        "Latitude": lat,
        "Location": "On or near Test Street" if code else "No location",
        "LSOA code": code or "",
        "LSOA name": f"Test {code[-1]}" if code else "",
        "Crime type": crime_type,
        "Last outcome category": ""
        if crime_type == "Anti-social behaviour"
        else "Under investigation",
        "Context": "",
    }
    row.update(overrides)
    return [row[name] for name in STREET_HEADER]


def write_street(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(STREET_HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def lake(tmp_path) -> Lake:
    """A lake with the four squares imported as its geography."""
    lake = Lake(tmp_path / "lake")
    results = list(
        import_geography(write_squares(tmp_path / "areas.geojson"), None, None, lake, Context(KEY))
    )
    assert results[0].accepted == 4
    return lake


@pytest.fixture
def context() -> Context:
    return Context(KEY)


def connect(lake: Lake):
    """A DuckDB connection with a view per lake table (the analysis engine's own)."""
    return Engine.for_lake(lake, "duckdb").backend.con
