"""ED assault extracts (ISTV): checked row by row, pseudonymised, classified; other
departments' layouts read through a mapping file; the demo's spoiled rows rejected exactly."""

from __future__ import annotations

import csv
import subprocess
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from observatory.demo.generate import generate
from observatory.lake.imports import import_file
from observatory.lake.pipelines import import_geography, import_paths
from observatory.lake.store import Lake
from observatory.sources.base import Context
from observatory.sources.csvfile import UnusableFile
from observatory.sources.istv import Istv, IstvMapping, MappingError
from observatory.sources.privacy import Pseudonymiser

from .conftest import FIXTURES, KEY, counts, import_one, rejections, table

LAYOUT = FIXTURES / "istv" / "RZA01_2024-03.csv"
EXTRACT = FIXTURES / "istv" / "eastfield_ed_march_2024.csv"
MAPPING = FIXTURES / "istv" / "eastfield_ed.toml"


def test_layout_file_is_accounted_for_row_by_row(lake, context):
    summary = import_one(LAYOUT, Istv(), lake, context)
    assert counts(summary) == (17, 6, 10, 1)
    assert rejections(summary) == {
        4: "arrival_datetime '31/03/2024 10:00' is not a date-time written YYYY-MM-DD HH:MM",
        5: "assault_method_code '7' is not one of the ISTV codes 01, 02, 03, 04, 05, 06, 99",
        6: "patient_age is not a whole number from 0 to 120",
        7: "attendance_id is blank",
        10: "same attendance as row 1 but different details",
        11: "patient_lsoa 'X0123' is not an LSOA code",
        12: "patient_sex 'X' is not M, F or U",
        13: "arrival_datetime '2024-04-02 10:00' is outside the period 2024-03-01 to 2024-03-31",
        14: "period_start '2024-02-01' is not in the month of the file's name (2024-03)",
        16: "assault_datetime is after arrival_datetime",
    }
    assert summary.slices == ["RZA01/2024-03"]
    stored = table(lake, "istv").sort("arrival_datetime")
    assert stored.select(
        "assault_method", "assault_location", "age_band", "under_25", "patient_sex"
    ).rows() == [
        ("body (hit/kick)", "licensed premises", "18-24", True, "M"),
        ("bottle/glass", "licensed premises", "18-24", True, "F"),
        ("knife/sharp object", "street/public place", "25-34", False, "M"),  # 06 + screwdriver
        ("blunt object", "other", "15-17", True, "M"),
        ("unknown", "unknown", None, None, "U"),
        ("bottle/glass", "licensed premises", "45-54", False, "F"),  # 06 + "pint glass"
    ]
    # 24:00 is the next day's midnight; trailing spaces and lower case are normalised.
    assert str(stored["assault_datetime"][1]) == "2024-03-08 00:00:00"
    assert stored["residence_lsoa_code"][5] == "E01033621"
    pseudonym = Pseudonymiser(KEY).pseudonym("ATT-0001")
    assert stored["attendance_pseudonym"][0] == pseudonym
    assert "patient_age" not in stored.columns and "attendance_id" not in stored.columns


def test_no_identifier_reaches_the_data_dir(lake, context, tmp_path):
    summary = import_one(LAYOUT, Istv(), lake, context)
    stored = table(lake, "istv")
    assert "pt says [name removed] hit him near [number removed]" in set(
        stored["assault_location_description"].to_list()
    )
    with open(summary.rejections_file, newline="") as handle:
        header = next(csv.reader(handle))
    assert not {"attendance_id", "patient_age", "assault_location_description"} & set(header)
    planted = [b"ATT-0", b"943 476 5919", b"john smith", b"John Smith", b"250"]
    for path in lake.root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            if path.suffix == ".parquet":  # compressed: read the values back
                content = pl.read_parquet(path).select(pl.col(pl.String)).write_csv().encode()
            assert not [p for p in planted if p in content], path


def test_reimporting_adds_nothing(lake, context):
    import_one(LAYOUT, Istv(), lake, context)
    again = import_one(LAYOUT, Istv(), lake, context)
    assert (again.accepted, again.duplicates) == (0, 17 - 10)


def test_department_extract_loads_through_its_mapping_file(lake, context):
    source = Istv.with_options({"mapping": MAPPING})
    assert source.accepts_any_header
    summary = import_one(EXTRACT, source, lake, context)
    assert counts(summary) == (6, 4, 2, 0)
    assert rejections(summary) == {
        4: "assault_datetime '2024/03/05 22:00' is not a date-time in a format the mapping "
        "file declares, e.g. YYYY-MM-DD HH:MM",
        5: "assault_method_code 'SLAP' is not one of the ISTV codes 01, 02, 03, 04, 05, 06, 99",
    }
    stored = table(lake, "istv").sort("arrival_datetime")
    assert stored.select(
        "site_code", "assault_method_code", "assault_method", "assault_location", "patient_sex"
    ).rows() == [
        ("RZX01", "01", "body (hit/kick)", "licensed premises", "M"),
        ("RZX01", "06", "blunt object", "street/public place", "F"),  # "hit with a brick"
        ("RZX01", "03", "knife/sharp object", "home", "M"),
        ("RZX01", "04", "bottle/glass", "licensed premises", "F"),
    ]
    assert [str(t) for t in stored["assault_datetime"][:2]] == [
        "2024-03-01 23:30:00",
        "2024-03-02 00:00:00",  # 01/03/2024 24:00
    ]
    assert str(stored["arrival_datetime"][2]) == "2024-03-05 14:00:00"  # layout date too
    assert summary.slices == ["RZX01/2024-03"]


def test_without_its_mapping_the_extract_is_unusable(lake, context):
    with pytest.raises(UnusableFile, match="missing 'site_code'"):
        import_file(EXTRACT, Istv(), lake, context)
    assert not lake.files("istv")


def test_a_mapping_must_name_every_required_column(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[columns]\nattendance_id = "Ref"\nwho = "Name"\n')
    with pytest.raises(MappingError) as error:
        IstvMapping.load(broken)
    assert "'who' is not an ISTV column" in error.value.problem
    assert "required ISTV columns not mapped: site_code, period_start" in error.value.problem
    (tmp_path / "bad.toml").write_text("[columns\n")
    with pytest.raises(MappingError, match="not valid TOML"):
        IstvMapping.load(tmp_path / "bad.toml")


def test_command_line_takes_a_mapping(tmp_path):
    from tests.support.cli import cli_env, run_cli

    env = cli_env(tmp_path)
    run_cli(
        "import", "geography", "--areas", str(FIXTURES / "geography/lsoa_2021_bng.geojson"),
        "--lookup", str(FIXTURES / "geography/lsoa21_ward22_lad22_lookup.csv"),
        env=env,
    )  # fmt: skip
    result = run_cli("import", "istv", str(EXTRACT), "--mapping", str(MAPPING), env=env)
    assert "6 read, 4 accepted, 2 rejected, 0 duplicates" in result.stdout


# --- The demo region ------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A small demo region with many spoiled rows, its geography and ED files imported."""
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=7, months=2, end_month="2025-09", scale=0.3, dirty_rate=0.03)
    lake = Lake.in_data_dir(tmp_path_factory.mktemp("data"))
    context = Context(KEY)
    geography = out / "geography"
    list(import_geography(geography / "small_areas.geojson", None, None, lake, context))
    summaries = list(import_paths("istv", [out / "health/istv"], lake, context, who="tester"))
    return out, lake, summaries


def test_demo_spoiled_rows_are_rejected_exactly_and_copies_counted(demo):
    out, _, summaries = demo
    with open(out / "truth/bad_rows.csv", newline="") as handle:
        bad = [row for row in csv.DictReader(handle) if row["file"].startswith("health/istv/")]
    assert Counter(row["expected"] for row in bad).keys() >= {"reject", "duplicate", "normalise"}
    assert len(summaries) == 14
    for summary in summaries:
        relative = str(Path(summary.file).relative_to(out))
        expected = {
            int(r["row"]) for r in bad if r["file"] == relative and r["expected"] == "reject"
        }
        copies = sum(1 for r in bad if r["file"] == relative and r["expected"] == "duplicate")
        assert set(rejections(summary)) == expected, relative
        assert summary.duplicates == copies, relative
        assert summary.read == summary.accepted + summary.rejected + summary.duplicates


def test_demo_attendance_ids_never_reach_the_data_dir(demo):
    out, lake, _ = demo
    some_ids = []
    for path in sorted((out / "health/istv").glob("*.csv"))[:3]:
        frame = pl.read_csv(path, infer_schema=False)
        some_ids += frame[frame.columns[3]].drop_nulls().head(5).to_list()
    found = subprocess.run(
        ["grep", "-rlaF", *[arg for i in some_ids for arg in ("-e", i)], str(lake.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.stdout == ""
