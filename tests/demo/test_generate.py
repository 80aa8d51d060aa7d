"""The demo region: real formats, determinism, bounded memory, and the patterns the
analyses rely on, checked against stated tolerances."""

import csv
import datetime
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from observatory.demo.generate import generate
from observatory.demo.geography import LOCAL_AUTHORITIES
from observatory.demo.profiles import CRIME_TYPES
from tests.support.cli import cli_env, run_cli

STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
OUTCOMES_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Outcome type"
)
STOP_SEARCH_HEADER = (
    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,"
    "Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,"
    "Outcome,Outcome linked to object of search,Removal of more than just outer clothing"
)
FORCE_HEADER = (
    "crime_reference,offence_from,offence_to,ho_offence_code,offence_description,easting,"
    "northing,street,knife_flag,domestic_flag,victim_age,victim_sex"
)
ISTV_HEADER = (
    "site_code,period_start,period_end,attendance_id,arrival_datetime,assault_datetime,"
    "assault_method_code,assault_method_other,assault_location_type,"
    "assault_location_description,patient_age,patient_sex,patient_lsoa"
)
DIRTY_RATE = 0.01


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.lower() if h.isupper() else h for h in next(reader)]
        return [dict(zip(header, row, strict=True)) for row in reader]


def header_of(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").splitlines()[0]


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    summary = generate(out, seed=7, months=3, end_month="2025-12", scale=1, dirty_rate=DIRTY_RATE)
    return out, summary


def test_files_are_where_a_partnership_receives_them(region):
    out, summary = region
    for month in ("2025-10", "2025-11", "2025-12"):
        for kind in ("street", "outcomes", "stop-and-search"):
            assert (out / f"police/{month}/{month}-west-midlands-{kind}.csv").is_file()
        assert (out / f"police/force_extract/{month}.csv").is_file()
        assert len(list((out / "health/istv").glob(f"*_{month}.csv"))) == 7
    for name in ("small_areas.geojson", "population.csv", "deprivation.csv"):
        assert (out / "geography" / name).is_file()
    for name in (
        "premises/licensed_premises.csv",
        "places/schools.csv",
        "places/youth_provision.csv",
    ):
        assert (out / name).is_file()
    assert summary.rows > 100_000


def test_headers_are_exactly_the_real_ones(region):
    out, _ = region
    month = "2025-11"
    assert header_of(out / f"police/{month}/{month}-west-midlands-street.csv").lower() == (
        STREET_HEADER.lower()
    )
    assert header_of(out / f"police/{month}/{month}-west-midlands-outcomes.csv") == OUTCOMES_HEADER
    assert header_of(out / f"police/{month}/{month}-west-midlands-stop-and-search.csv") == (
        STOP_SEARCH_HEADER
    )
    assert header_of(out / f"police/force_extract/{month}.csv").lower() == FORCE_HEADER
    for path in (out / "health/istv").glob("*.csv"):
        assert header_of(path).lower() == ISTV_HEADER


def test_police_uk_street_rows_look_real(region):
    out, _ = region
    rows = read(out / "police/2025-11/2025-11-west-midlands-street.csv")
    types = Counter(row["Crime type"].strip() for row in rows)
    assert set(CRIME_TYPES) <= set(types)
    violence_share = types["Violence and sexual offences"] / len(rows)
    assert 0.25 < violence_share < 0.45
    for raw in rows[:5000]:
        row = {key: value.strip() for key, value in raw.items()}  # some have trailing spaces
        if row["Crime type"] == "Anti-social behaviour":
            assert row["Crime ID"] == "" and row["Last outcome category"] == ""
        elif row["Crime type"] in CRIME_TYPES and row["Month"] == "2025-11":
            assert re.fullmatch(r"[0-9a-f]{64}", row["Crime ID"])
        if row["Location"] == "No location":
            assert row["Longitude"] == row["LSOA code"] == ""
        else:
            assert row["Location"].startswith("On or near ")
            assert re.fullmatch(r"E019\d{5}", row["LSOA code"])
    assert any(row["Location"] == "No location" for row in rows)


def test_geography_matches_the_west_midlands(region):
    out, _ = region
    areas = json.loads((out / "geography/small_areas.geojson").read_text())["features"]
    by_la = Counter(feature["properties"]["LAD22NM"] for feature in areas)
    assert set(by_la) == {la.name for la in LOCAL_AUTHORITIES}
    population = Counter()
    for row in read(out / "geography/population.csv"):
        population[row["lsoa_code"]] += int(row["population"])
    la_of = {f["properties"]["LSOA21CD"]: f["properties"]["LAD22CD"] for f in areas}
    totals = Counter()
    for code, count in population.items():
        totals[la_of[code]] += count
    for la in LOCAL_AUTHORITIES:
        assert totals[la.code] == pytest.approx(la.population, rel=0.001)
    mean_area = sum(population.values()) / len(population)
    assert 1_400 < mean_area < 1_600
    for feature in areas[:200]:
        ring = np.array(feature["geometry"]["coordinates"][0])
        assert ring[:, 0].min() > -2.5 and ring[:, 0].max() < -1.2
        assert ring[:, 1].min() > 52.2 and ring[:, 1].max() < 52.8
    deciles = [int(row["imd_decile"]) for row in read(out / "geography/deprivation.csv")]
    assert set(deciles) <= set(range(1, 11)) and deciles.count(1) > len(deciles) * 0.1


def test_half_the_violence_is_in_a_small_share_of_areas(region):
    out, _ = region
    events = np.array(
        [int(r["events"]) for r in read(out / "truth/intensity.csv") if r["month"] == "2025-12"]
    )
    ordered = np.sort(events)[::-1]
    areas_for_half = np.searchsorted(np.cumsum(ordered) / ordered.sum(), 0.5) + 1
    assert areas_for_half / len(events) < 0.2


def test_grid_truth_accounts_for_every_event(region):
    out, _ = region
    by_area = sum(int(r["events"]) for r in read(out / "truth/intensity.csv"))
    grid = read(out / "truth/grid_intensity.csv")
    assert sum(int(r["events"]) for r in grid) == by_area
    expected_area = sum(float(r["expected_events"]) for r in read(out / "truth/intensity.csv"))
    assert sum(float(r["expected_events"]) for r in grid) == pytest.approx(expected_area, 1e-3)
    assert all(int(r["cell_easting"]) % 1000 == 0 for r in grid)


def ed_rows(out):
    rows = []
    for path in sorted((out / "health/istv").glob("*.csv")):
        rows += read(path)
    return rows


def test_ed_assaults_peak_on_friday_and_saturday_nights(region):
    out, _ = region
    night = total = 0
    for row in ed_rows(out):
        try:
            when = datetime.datetime.strptime(row["assault_datetime"], "%Y-%m-%d %H:%M")
        except ValueError:
            continue  # blank, or deliberately malformed
        total += 1
        weekday, hour = when.weekday(), when.hour
        night += (weekday in (4, 5) and hour >= 22) or (weekday in (5, 6) and hour < 3)
    assert night / total > 1.7 * 10 / 168  # ten of the week's 168 hours


def test_about_a_quarter_of_ed_assaults_reach_the_police(region):
    out, _ = region
    attendances = {row["attendance_id"].strip() for row in ed_rows(out)} - {""}
    links = read(out / "truth/ed_police_links.csv")
    references = {
        row["crime_reference"]
        for month in ("2025-10", "2025-11", "2025-12")
        for row in read(out / f"police/force_extract/{month}.csv")
    }
    # A few references or ids are deliberately blanked among the bad rows.
    assert sum(link["crime_reference"] in references for link in links) > 0.97 * len(links)
    assert sum(link["attendance_id"] in attendances for link in links) > 0.97 * len(links)
    assert 0.18 < len(links) / len(attendances) < 0.32


def test_victims_skew_young_and_male_and_knives_are_a_minority(region):
    out, _ = region
    rows = [r for r in ed_rows(out) if r["patient_age"].strip().isdigit()]
    ages = np.array([int(r["patient_age"]) for r in rows])
    assert np.median(ages) < 32
    assert sum(r["patient_sex"] == "M" for r in rows) / len(rows) > 0.55
    knife = sum(r["assault_method_code"] == "03" for r in rows) / len(rows)
    assert 0.05 < knife < 0.2


def test_a_few_premises_carry_much_of_the_risk(region):
    out, _ = region
    risk = np.sort([float(r["relative_risk"]) for r in read(out / "truth/premises_risk.csv")])
    top_tenth = risk[-len(risk) // 10 :].sum() / risk.sum()
    assert top_tenth > 0.4


def test_dirty_rows_are_about_the_share_asked_for_and_recorded(region):
    out, _ = region
    bad = read(out / "truth/bad_rows.csv")
    spoilable = [
        p
        for p in out.rglob("*.csv")
        if "force_extract" in str(p) or "istv" in str(p) or p.name.endswith("-street.csv")
    ]
    rows = sum(len(read(p)) for p in spoilable)
    assert 0.6 * DIRTY_RATE < len(bad) / rows < 1.4 * DIRTY_RATE
    kinds = Counter(row["kind"] for row in bad)
    assert {"duplicate", "malformed_date", "missing_required", "trailing_spaces"} <= set(kinds)
    duplicate = next(row for row in bad if row["kind"] == "duplicate")
    rows_of_file = read(out / duplicate["file"])
    number = int(duplicate["row"])
    assert rows_of_file[number - 1] == rows_of_file[number - 2]


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_arguments_give_byte_identical_files(tmp_path):
    arguments = {"seed": 3, "months": 2, "end_month": "2024-02", "scale": 0.2, "dirty_rate": 0.02}
    generate(tmp_path / "a", **arguments)
    generate(tmp_path / "b", **arguments)
    generate(tmp_path / "c", **{**arguments, "seed": 4})
    first = checksums(tmp_path / "a")
    assert first == checksums(tmp_path / "b")
    differing = {k for k, v in checksums(tmp_path / "c").items() if first.get(k) != v}
    assert len(differing) > len(first) // 2


PEAK_MEMORY = """
import resource, sys
from pathlib import Path
from observatory.demo.generate import generate
generate(Path(sys.argv[1]), seed=1, months=1, end_month="2025-01", scale=float(sys.argv[2]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(folder: Path, scale: float) -> int:
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, str(folder), str(scale)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip())


def test_memory_stays_bounded_as_the_scale_grows(tmp_path):
    """Twenty times the rows must not need anything like twenty times the memory: rows are
    formatted and written in chunks, never held all at once."""
    small = peak_kib(tmp_path / "small", 0.5)
    large = peak_kib(tmp_path / "large", 10)
    assert large < small * 2.5, (small, large)


def test_command_line(tmp_path):
    env = cli_env(tmp_path / "data")
    result = run_cli(
        "demo",
        "generate",
        "--out",
        str(tmp_path / "out"),
        "--months",
        "1",
        "--end-month",
        "2025-06",
        "--scale",
        "0.05",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "police.uk" in result.stdout and "Wrote" in result.stdout
    assert "2025-06 (1/1)" in result.stderr
    bad = run_cli("demo", "generate", "--out", str(tmp_path / "x"), "--end-month", "June", env=env)
    assert bad.returncode == 1
    assert bad.stderr.strip() == (
        "observatory: error: --end-month 'June' is not a month: use YYYY-MM"
    )
