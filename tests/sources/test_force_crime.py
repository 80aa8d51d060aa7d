"""The force's record-level extract: crime references pseudonymised, ages banded, `24:00`
read as midnight, offence windows checked, and months of an extract kept apart from the
next extract's."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime

import polars as pl

from observatory.sources.force_crime import FORCE_HEADER, ForceCrime, extract_tag
from observatory.sources.privacy import Pseudonymiser

from .conftest import FIXTURES, KEY, counts, import_one, rejections, table

EXTRACT = FIXTURES / "force" / "force_extract_2024-03.csv"
# What the fixture plants and must never be found in the data dir.
PLANTED = ["20/0000101/24", "20/0000118/24", "twenty", "Mr Smith", "07700 900123"]


def _import(path, lake, context):
    return import_one(path, ForceCrime(), lake, context)


def test_extract_is_accounted_for_row_by_row(lake, context):
    summary = _import(EXTRACT, lake, context)
    assert counts(summary) == (18, 8, 9, 1)
    assert rejections(summary) == {
        6: "same crime reference as row 1 but different details",
        7: "offence_to '2024-03-11 21:00' is before offence_from '2024-03-11 22:00'",
        8: "easting '40700O' is not a number",
        9: "victim_age is not an age in whole years",
        10: "crime_reference is blank",
        11: "offence_from '09/03/2024 22:00' is not a date and time written YYYY-MM-DD HH:MM",
        12: "knife_flag 'X' is not Y or N",
        13: "the location is outside the region's small areas",
        16: "victim_age is not an age in whole years",
    }
    assert summary.placement == {"point": 7, "code": 0, "unlocated": 1, "lsoa_disagreements": 0}
    # The crime of 29 February belongs to February, but to this extract's slices.
    assert summary.slices == ["extract-2024-03/2024-02", "extract-2024-03/2024-03"]


def test_rows_are_normalised_and_nothing_personal_is_stored(lake, context):
    _import(EXTRACT, lake, context)
    stored = table(lake, "force_crime")
    assert "crime_reference" not in stored.columns and "victim_age" not in stored.columns
    pseudonym = Pseudonymiser(KEY).pseudonym("20/0000102/24")
    knife = stored.filter(pl.col("crime_pseudonym") == pseudonym).row(0, named=True)
    # `2024-03-09 24:00` is the midnight that ends 9 March.
    assert knife["offence_to"] == datetime(2024, 3, 10, 0, 0)
    assert (knife["knife"], knife["domestic"]) == (True, False)
    assert (knife["victim_age_band"], knife["victim_under_25"]) == ("15-17", True)
    midnight = stored.filter(pl.col("ho_offence_code") == "105A").row(0, named=True)
    assert (midnight["offence_from"], midnight["month"]) == (datetime(2024, 3, 10), "2024-03")
    lower_case = stored.filter(pl.col("offence_from") == datetime(2024, 3, 21, 23, 59))
    assert lower_case.select("knife", "domestic", "victim_sex", "victim_under_25").row(0) == (
        True,
        False,
        "F",
        True,
    )
    unknown_victim = stored.filter(pl.col("domestic")).row(0, named=True)
    assert (unknown_victim["victim_age_band"], unknown_victim["victim_sex"]) == (None, None)
    redacted = stored.filter(pl.col("la_code") == "E08000028")["street"].item()
    assert redacted.startswith("outside 12 Rolfe St, [name removed]")
    assert "[number removed]" in redacted


def test_planted_identifiers_appear_nowhere_in_the_data_dir(lake, context):
    _import(EXTRACT, lake, context)
    data_dir = lake.root.parent
    found = {
        text: [
            str(p) for p in data_dir.rglob("*") if p.is_file() and text.encode() in p.read_bytes()
        ]
        for text in PLANTED
    }
    assert found == {text: [] for text in PLANTED}


def test_a_reissued_extract_replaces_its_months_and_the_next_extract_adds_its_own(
    tmp_path, lake, context
):
    _import(EXTRACT, lake, context)
    # A corrected re-issue: the same name, the first crime (and its copy) recoded.
    folder = tmp_path / "reissue"
    folder.mkdir()
    reissue = folder / EXTRACT.name
    with open(EXTRACT, newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][3] = rows[5][3] = "105A"
    with open(reissue, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    summary = _import(reissue, lake, context)
    assert counts(summary) == (18, 8, 9, 1)
    assert sorted(r["slice"] for r in summary.replaced) == summary.slices
    assert any("replaced extract-2024-03/2024-03 (7 rows" in note for note in summary.notes)
    assert len(table(lake, "force_crime")) == 8
    # April's extract holds a crime that began on 31 March: it joins March's rows and
    # replaces none of them.
    april = tmp_path / "force_extract_2024-04.csv"
    with open(april, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FORCE_HEADER)
        place = ["406100", "286100", "Broad Street", "N", "N"]
        crime = ["8N", "Assault with injury"]
        writer.writerow(
            ["20/0000201/24", "2024-03-31 23:40", "2024-04-01 00:15", *crime, *place, "22", "M"]
        )
        writer.writerow(
            ["20/0000202/24", "2024-04-02 20:00", "2024-04-02 20:05", *crime, *place, "", ""]
        )
    summary = _import(april, lake, context)
    assert (counts(summary), summary.replaced) == ((2, 2, 0, 0), [])
    assert summary.slices == ["extract-2024-04/2024-03", "extract-2024-04/2024-04"]
    stored = table(lake, "force_crime")
    assert stored.group_by("month").len().sort("month").rows() == [
        ("2024-02", 1),
        ("2024-03", 8),
        ("2024-04", 1),
    ]


def test_reimporting_the_extract_adds_nothing(tmp_path, lake, context):
    first = _import(EXTRACT, lake, context)
    copy = tmp_path / "copy" / EXTRACT.name
    copy.parent.mkdir()
    shutil.copy(EXTRACT, copy)
    again = _import(copy, lake, context)
    assert (again.accepted, again.duplicates) == (0, first.accepted + first.duplicates)
    assert again.rejected == first.rejected
    assert len(table(lake, "force_crime")) == first.accepted


def test_extract_tag():
    assert extract_tag("force_extract_2024-03.csv") == "2024-03"
    assert extract_tag("/drop/police/force_extract/2025-09.csv") == "2025-09"
    assert extract_tag("WMP crimes.csv") == "wmp-crimes"
