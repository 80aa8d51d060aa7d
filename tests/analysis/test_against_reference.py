"""The engine against the plain-Python reference (reference.py) on generated lakes."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatory.analysis.engine import Engine
from observatory.analysis.indicators import Filters, counts, rates
from observatory.analysis.measures import serious_violence_measures
from observatory.analysis.profiles import hour_weekday
from tests.analysis import reference

AREAS = [
    {"lsoa_code": f"L{i}", "lsoa_name": f"Area {i}", "ward_code": f"W{i % 3}",
     "ward_name": f"Ward {i % 3}", "la_code": f"LA{i % 2}", "la_name": f"Authority {i % 2}"}
    for i in range(6)
]  # fmt: skip
CODES = ["1", "8N", "105A", "3A", "8R", "17A", "34B", "10D", "46", "28E", "XYZ"]

crimes = st.lists(
    st.fixed_dictionaries(
        {
            "ho_offence_code": st.sampled_from(CODES),
            "month": st.sampled_from(["2024-11", "2024-12", "2025-01"]),
            "lsoa_code": st.sampled_from([a["lsoa_code"] for a in AREAS]),
            "knife": st.booleans(),
            "domestic": st.booleans(),
            "victim_under_25": st.one_of(st.none(), st.booleans()),
            "offence_from": st.datetimes(datetime(2024, 11, 1), datetime(2025, 1, 31)),
            "window_minutes": st.sampled_from([0, 1, 59, 90, 179, 180, 181, 600]),
        }
    ),
    max_size=60,
)
populations = st.lists(st.integers(0, 5_000), min_size=len(AREAS), max_size=len(AREAS))


def _with_windows(crime_rows: list[dict]) -> list[dict]:
    return [
        {
            **{k: v for k, v in row.items() if k != "window_minutes"},
            "offence_from": row["offence_from"].replace(second=0, microsecond=0),
            "offence_to": row["offence_from"].replace(second=0, microsecond=0)
            + timedelta(minutes=row["window_minutes"]),
        }
        for row in crime_rows
    ]


def _lake(folder, crime_rows, people) -> Engine:
    force = pl.DataFrame(
        [
            {
                **row,
                "victim_age_band": None,
                "victim_sex": None,
                "ward_code": None,
                "la_code": None,
                "easting": 1,
                "northing": 1,
            }
            for row in crime_rows
        ],
        schema={
            "ho_offence_code": pl.String, "month": pl.String, "lsoa_code": pl.String,
            "knife": pl.Boolean, "domestic": pl.Boolean, "victim_under_25": pl.Boolean,
            "offence_from": pl.Datetime("us"), "offence_to": pl.Datetime("us"),
            "victim_age_band": pl.String, "victim_sex": pl.String, "ward_code": pl.String,
            "la_code": pl.String, "easting": pl.Int32, "northing": pl.Int32,
        },
    )  # fmt: skip
    # The importer stores each crime's ward and authority; the reference looks them up.
    lookup = pl.DataFrame(AREAS).select("lsoa_code", "ward_code", "la_code")
    force = force.drop("ward_code", "la_code").join(lookup, on="lsoa_code", how="left")
    tables = {
        "force_crime": force,
        "small_areas": pl.DataFrame(AREAS),
        "population": pl.DataFrame(
            people, schema={"lsoa_code": pl.String, "population": pl.Int64}
        ).with_columns(age_band=pl.lit("25-34"), sex=pl.lit("F")),
    }
    files = {}
    for name, frame in tables.items():
        path = folder / f"{name}.parquet"
        frame.write_parquet(path)
        files[name] = [path]
    return Engine.over_files(files, "duckdb")


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(
    crime_rows=crimes,
    sizes=populations,
    by=st.sampled_from(
        [["la_code"], ["month", "category"], ["ward_code", "knife"], ["under_25", "domestic"]]
    ),
)
def test_counts_match_the_reference(tmp_path_factory, crime_rows, sizes, by):
    people = [
        {"lsoa_code": a["lsoa_code"], "population": n} for a, n in zip(AREAS, sizes, strict=True)
    ]
    engine = _lake(tmp_path_factory.mktemp("lake"), crime_rows, people)
    table = counts(engine, Filters(sources=("force",)), by)
    found = {tuple(row[:-1]): row[-1] for row in table.iter_rows()}
    assert found == dict(reference.force_violence_counts(crime_rows, AREAS, by))


@SETTINGS
@given(crime_rows=crimes, sizes=populations)
def test_rates_match_the_reference(tmp_path_factory, crime_rows, sizes):
    people = [
        {"lsoa_code": a["lsoa_code"], "population": n} for a, n in zip(AREAS, sizes, strict=True)
    ]
    engine = _lake(tmp_path_factory.mktemp("lake"), crime_rows, people)
    table = rates(engine, Filters(sources=("force",)), "ward")
    expected_counts = reference.force_violence_counts(crime_rows, AREAS, ["ward_code"])
    expected_people = reference.population_by_area(people, AREAS, "ward_code")
    for row in table.iter_rows(named=True):
        ward = row["ward_code"]
        assert row["count"] == expected_counts.get((ward,), 0)
        assert row["population"] == expected_people[ward]
        if expected_people[ward]:
            assert row["value"] == pytest.approx(row["count"] / expected_people[ward] * 1e5)
        else:
            assert row["value"] is None


@SETTINGS
@given(crime_rows=crimes)
def test_time_profile_and_knife_measure_match_the_reference(tmp_path_factory, crime_rows):
    people = [{"lsoa_code": a["lsoa_code"], "population": 100} for a in AREAS]
    crime_rows = _with_windows(crime_rows)
    engine = _lake(tmp_path_factory.mktemp("lake"), crime_rows, people)
    grid = hour_weekday(engine, Filters(sources=("force",)))
    found = {(r["weekday"], r["hour"]): r["count"] for r in grid.iter_rows(named=True)}
    expected = reference.force_hour_weekday(crime_rows)
    assert {cell: n for cell, n in found.items() if n} == dict(expected)
    measures = serious_violence_measures(engine, Filters(sources=("force",)))
    knife = {
        r["ages"]: r["count"]
        for r in measures.filter(pl.col("measure") == "knife_enabled_offences").iter_rows(
            named=True
        )
    }
    assert knife == {
        "under_25": reference.knife_enabled(crime_rows, under_25=True),
        "all_ages": reference.knife_enabled(crime_rows),
    }
