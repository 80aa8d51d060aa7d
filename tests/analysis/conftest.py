"""A tiny readable region for the analysis spec tests, and the engines to run them on.

Two local authorities (LA1 with wards W1a and W1b, LA2 with ward W2a), four small areas.
Every table is written as Parquet, the way the lake holds it, and each test runs on DuckDB
and on Spark (`-m "not spark"` skips Spark locally; CI runs it and fails if Java is missing).
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from observatory.analysis.engine import Engine
from tests.conftest import unavailable

AREAS = [
    # lsoa, lsoa name, ward, ward name, la, la name
    ("L1", "Area 1", "W1a", "Ward 1a", "LA1", "Authority 1"),
    ("L2", "Area 2", "W1a", "Ward 1a", "LA1", "Authority 1"),
    ("L3", "Area 3", "W1b", "Ward 1b", "LA1", "Authority 1"),
    ("L4", "Area 4", "W2a", "Ward 2a", "LA2", "Authority 2"),
]
# Residents per small area: (age band, sex, people).
PEOPLE = [("18-24", "M", 500), ("18-24", "F", 500), ("25-34", "M", 1500), ("25-34", "F", 2500)]

STREET = [
    # month, crime type, lsoa
    ("2025-03", "Violence and sexual offences", "L1"),
    ("2025-03", "Violence and sexual offences", "L1"),
    ("2025-03", "Robbery", "L2"),
    ("2025-03", "Burglary", "L1"),  # not violence
    ("2025-04", "Violence and sexual offences", "L4"),
]
FORCE = [
    # code, from, to, knife, domestic, age band, under 25, sex, lsoa
    ("8N", "2025-03-07 22:00", "2025-03-07 23:00", True, False, "18-24", True, "M", "L1"),
    ("8N", "2025-03-08 01:00", "2025-03-08 01:30", False, False, "25-34", False, "F", "L2"),
    ("105A", "2025-03-09 10:00", "2025-03-09 10:00", False, True, "25-34", False, "F", "L3"),
    ("3A", "2025-04-01 12:00", "2025-04-02 12:00", True, False, "18-24", True, "M", "L4"),
    ("10D", "2025-04-03 15:00", "2025-04-03 15:00", True, False, "18-24", True, "M", "L4"),
    ("46", "2025-04-04 15:00", "2025-04-04 15:00", False, False, "25-34", False, "F", "L4"),
]
ED = [
    # site, assault at, method code, method, location code, location, description, age, u25,
    # sex, residence
    ("S1", "2025-03-07 23:30", "03", "knife/sharp object", "03", "licensed premises",
     "outside the Red Lion", "18-24", True, "M", "L1"),
    ("S1", "2025-03-08 00:30", "01", "body (hit/kick)", "03", "licensed premises",
     "red lion pub", "25-34", False, "M", "L2"),
    ("S1", "2025-03-14 22:15", "01", "body (hit/kick)", "03", "licensed premises",
     "the crown", "18-24", True, "F", "L4"),
    ("S1", "2025-03-17 09:00", "01", "body (hit/kick)", "01", "home", "red lion pub",
     "25-34", False, "F", None),
]  # fmt: skip
PREMISES = [
    # licence, name, type, weekly hours, lsoa
    ("LN/1", "Red Lion", "pub", 70.0, "L1"),
    ("LN/2", "The Crown", "pub", 70.0, "L4"),
    ("LN/3", "Quiet Cafe", "restaurant", 35.0, "L3"),
]
TEXTS = [
    ("S1", "outside the Red Lion", "S1|red lion"),
    ("S1", "red lion pub", "S1|red lion"),
    ("S1", "the crown", "S1|crown"),
]
MATCHES = [("S1|red lion", "LN/1", "auto"), ("S1|crown", "LN/2", "review")]


def _area_columns(lsoa: str | None) -> dict:
    for code, _, ward, _, la, _ in AREAS:
        if code == lsoa:
            return {"lsoa_code": code, "ward_code": ward, "la_code": la}
    return {"lsoa_code": None, "ward_code": None, "la_code": None}


def _time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def tables() -> dict[str, pl.DataFrame]:
    """The fixture region's lake tables, with the columns and types the importers write."""
    located = {"placement": "point", "easting": 400000, "northing": 280000}
    return {
        "small_areas": pl.DataFrame(
            AREAS,
            schema=["lsoa_code", "lsoa_name", "ward_code", "ward_name", "la_code", "la_name"],
            orient="row",
        ),
        "population": pl.DataFrame(
            [(lsoa, band, sex, n) for lsoa, *_ in AREAS for band, sex, n in PEOPLE],
            schema=["lsoa_code", "age_band", "sex", "population"],
            orient="row",
        ),
        "police_street": pl.DataFrame(
            [
                {"crime_id": f"c{i}", "month": m, "crime_type": t, **_area_columns(a), **located}
                for i, (m, t, a) in enumerate(STREET)
            ]
        ).with_columns(pl.col("easting", "northing").cast(pl.Int32)),
        "force_crime": pl.DataFrame(
            [
                {
                    "crime_pseudonym": f"p{i}", "offence_from": _time(start),
                    "offence_to": _time(end), "ho_offence_code": code, "knife": knife,
                    "domestic": domestic, "victim_age_band": band, "victim_under_25": u25,
                    "victim_sex": sex, "month": start[:7], **_area_columns(lsoa), **located,
                }
                for i, (code, start, end, knife, domestic, band, u25, sex, lsoa)
                in enumerate(FORCE)
            ]
        ).with_columns(pl.col("easting", "northing").cast(pl.Int32)),
        "istv": pl.DataFrame(
            [
                {
                    "site_code": site, "attendance_pseudonym": f"a{i}",
                    "arrival_datetime": _time(at), "assault_datetime": _time(at),
                    "assault_method_code": mcode, "assault_method": method,
                    "assault_location_code": lcode, "assault_location": location,
                    "assault_location_description": text, "age_band": band,
                    "under_25": u25, "patient_sex": sex, "residence_lsoa_code": lsoa,
                    "month": at[:7],
                }
                for i, (site, at, mcode, method, lcode, location, text, band, u25, sex, lsoa)
                in enumerate(ED)
            ],
            schema_overrides={"residence_lsoa_code": pl.String},
        ),
        "premises": pl.DataFrame(
            [
                {
                    "licence_number": n, "premises_name": name, "address": "1 High St",
                    "postcode": "B1 1AA", "premises_type": kind, "opening_hours": "",
                    "weekly_opening_hours": hours, **_area_columns(lsoa),
                }
                for n, name, kind, hours, lsoa in PREMISES
            ]
        ),
        "premises_location_texts": pl.DataFrame(
            TEXTS,
            schema=["site_code", "assault_location_description", "location_key"],
            orient="row",
        ),
        "premises_matches": pl.DataFrame(
            MATCHES, schema=["location_key", "licence_number", "status"], orient="row"
        ),
    }  # fmt: skip


@pytest.fixture(scope="session")
def region_files(tmp_path_factory) -> dict[str, list[Path]]:
    folder = tmp_path_factory.mktemp("region")
    files = {}
    for name, frame in tables().items():
        path = folder / f"{name}.parquet"
        frame.write_parquet(path)
        files[name] = [path]
    return files


@pytest.fixture(scope="session")
def spark_session():
    if shutil.which("java") is None:
        unavailable("Spark needs a Java runtime (install default-jre-headless)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install -e '.[spark]')")
    from observatory.analysis import engine

    session = engine.spark_session()
    yield session
    session.stop()


@pytest.fixture(scope="session", params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request, region_files) -> Engine:
    """The fixture region on each engine."""
    session = request.getfixturevalue("spark_session") if request.param == "spark" else None
    return Engine.over_files(region_files, request.param, session)
