"""police.uk street, outcomes and stop-and-search files written by hand (not by the demo):
another force, anti-social behaviour without Crime IDs, rows without a location, the
legacy crime type, and every kind of row that must be rejected."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile

import polars as pl
import pytest

from observatory.lake.pipelines import import_paths
from observatory.sources.police_uk import (
    OUTCOMES_HEADER,
    Outcomes,
    StopAndSearch,
    StreetCrime,
    force_of_search_file,
)
from tests.support.cli import cli_env, run_cli

from .conftest import FIXTURES, counts, import_one, rejections, table

POLICE = FIXTURES / "police"
STREET = POLICE / "2024-03-btp-street.csv"
OUTCOMES = POLICE / "2024-03-btp-outcomes.csv"
SEARCHES = POLICE / "2024-03-btp-stop-and-search.csv"
BIRMINGHAM_138A, BIRMINGHAM_138B = "E01033620", "E01033621"


def test_street_file_of_another_force_is_accounted_for_row_by_row(lake, context):
    summary = import_one(STREET, StreetCrime(), lake, context)
    assert counts(summary) == (20, 12, 7, 1)
    assert rejections(summary) == {
        8: "the location is outside the region's small areas",
        9: "small area 'E01999999' is not in the imported geography",
        10: "Crime type 'Violent crime' is not a police.uk crime type",
        12: "same Crime ID as row 1 but different details",
        13: "Month '03/2024' is not a month written YYYY-MM",
        15: "only one of Longitude and Latitude is given",
        16: "has 4 fields where the header has 12",
    }
    # Row 11 is row 1 again (the duplicate); rows 2 and 3 are identical anti-social
    # behaviour rows without a Crime ID: two incidents, both kept.
    assert summary.placement == {"point": 9, "code": 1, "unlocated": 2, "lsoa_disagreements": 1}
    assert summary.slices == ["british-transport-police/2024-03"]
    stored = table(lake, "police_street")
    asb = stored.filter(pl.col("crime_type") == "Anti-social behaviour")
    assert asb["placement"].to_list().count("point") == 2
    assert asb["placement"].to_list().count("unlocated") == 1
    by_code = stored.filter(pl.col("placement") == "code")
    assert by_code.select("lsoa_code", "ward_code", "la_code", "easting").row(0) == (
        "E01033622",
        "E05011175",
        "E08000025",
        None,
    )
    # The point's small area wins over the one the file states, and is counted above.
    robbery = stored.filter(pl.col("crime_type") == "Robbery")
    assert robbery.select("lsoa_code", "stated_lsoa_code").row(0) == (
        BIRMINGHAM_138A,
        BIRMINGHAM_138B,
    )
    # An upper-cased crime type with a trailing space is the standard one; the point in
    # the MultiPolygon small area is found.
    violence = stored.filter(pl.col("crime_type") == "Violence and sexual offences")
    assert sorted(violence["lsoa_code"]) == [BIRMINGHAM_138A, "E01033623"]
    sandwell = stored.filter(pl.col("crime_type") == "Bicycle theft")
    assert sandwell.select("ward_code", "la_code").row(0) == ("E05001260", "E08000028")


def test_legacy_public_disorder_and_weapons_is_kept_under_its_name(lake, context):
    summary = import_one(POLICE / "2013-04-btp-street.csv", StreetCrime(), lake, context)
    assert counts(summary) == (3, 3, 0, 0)
    assert table(lake, "police_street")["crime_type"].to_list() == [
        "Public disorder and weapons",
        "Anti-social behaviour",
        "Public disorder and weapons",
    ]


def test_outcomes_are_keyed_by_crime_month_and_outcome(lake, context):
    summary = import_one(OUTCOMES, Outcomes(), lake, context)
    assert counts(summary) == (12, 6, 5, 1)
    assert rejections(summary) == {
        8: "same Crime ID, month and outcome type as row 7 but different details",
        9: "Crime ID is blank",
        10: "Outcome type is blank",
        11: "the location is outside the region's small areas",
        12: "Month '2024-3' is not a month written YYYY-MM",
    }
    assert summary.placement == {"point": 4, "code": 1, "unlocated": 1, "lsoa_disagreements": 2}
    stored = table(lake, "police_outcomes")
    # Rows 4 and 5: one crime, two outcomes in the same month; row 6 copies row 5.
    assert stored.group_by("crime_id").len()["len"].max() == 2


def test_a_later_outcome_of_the_same_crime_is_not_a_duplicate(tmp_path, lake, context):
    import_one(OUTCOMES, Outcomes(), lake, context)
    with open(OUTCOMES, newline="") as handle:
        first = list(csv.reader(handle))[1]
    later = tmp_path / "2024-04-btp-outcomes.csv"
    with open(later, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTCOMES_HEADER)
        writer.writerow([first[0], "2024-04", *first[2:9], "Offender given a caution"])
        writer.writerow([first[0], "2024-04", *first[2:9], first[9]])  # same outcome again
    summary = import_one(later, Outcomes(), lake, context)
    assert counts(summary) == (2, 2, 0, 0)
    assert summary.slices == ["british-transport-police/2024-04"]


def test_stop_and_search_rows_have_no_key_and_the_force_comes_from_the_file_name(lake, context):
    source = StopAndSearch()
    summary = import_one(SEARCHES, source, lake, context)
    assert counts(summary) == (12, 6, 6, 0)
    assert rejections(summary) == {
        5: "Date '01/03/2024 10:00' is not a date and time like 2024-03-01T12:34:56",
        6: "Type 'Strip search' is not one of the police.uk values",
        7: "Age range '18-25' is not one of the police.uk values",
        8: "the location is outside the region's small areas",
        9: "Part of a policing operation 'Yes' is not True or False",
        12: "only one of Longitude and Latitude is given",
    }
    assert summary.placement == {"point": 5, "code": 0, "unlocated": 1, "lsoa_disagreements": 0}
    assert summary.slices == ["btp/2024-03"]
    stored = table(lake, "police_stop_and_search")
    # Rows 1 and 2 are identical: two searches, both kept.
    first = stored.filter(pl.col("searched_at") == pl.datetime(2024, 3, 1, 12, 34, 56))
    assert len(first) == 2
    # Local clock time as written: 23:30 on 31 March in British Summer Time is March.
    late = stored.filter(pl.col("search_type") == "Person and Vehicle search").row(0, named=True)
    assert (late["month"], late["outcome_linked_to_object_of_search"]) == ("2024-03", True)
    sceptre = stored.filter(pl.col("policing_operation") == "Operation Sceptre").row(0, named=True)
    assert sceptre["part_of_policing_operation"] is True
    vehicle = stored.filter(pl.col("search_type") == "Vehicle search").row(0, named=True)
    assert (vehicle["gender"], vehicle["placement"]) == (None, "unlocated")


def test_force_of_a_stop_and_search_file():
    assert force_of_search_file("2024-03-west-midlands-stop-and-search.csv") == "west-midlands"
    assert force_of_search_file("/x/2024-03-btp-stop-and-search.csv") == "btp"
    assert force_of_search_file("Searches March 2024.csv") == "searches-march-2024"


def test_the_police_kind_tells_the_three_formats_apart_by_header(lake, context):
    results = list(import_paths("police", [POLICE], lake, context, who="tester"))
    assert [(r.file.rsplit("/", 1)[1], r.source) for r in results] == [
        ("2013-04-btp-street.csv", "police-street"),
        ("2024-03-btp-outcomes.csv", "police-outcomes"),
        ("2024-03-btp-stop-and-search.csv", "police-stop-and-search"),
        ("2024-03-btp-street.csv", "police-street"),
    ]
    assert [r.accepted for r in results] == [3, 6, 6, 12]


def _cli_import(kind: str, path, data_dir):
    return run_cli("import", kind, str(path), "--json", env=cli_env(data_dir))


def test_reimporting_a_file_adds_nothing_and_a_corrected_reissue_replaces_the_month(tmp_path, lake):
    data_dir = lake.root.parent
    first = _cli_import("police", STREET, data_dir)
    assert first.returncode == 0, first.stderr
    (first,) = [json.loads(line) for line in first.stdout.splitlines()]
    again = _cli_import("police", STREET, data_dir)
    (again,) = [json.loads(line) for line in again.stdout.splitlines()]
    assert (again["accepted"], again["duplicates"]) == (0, first["accepted"] + first["duplicates"])
    assert again["notes"] == ["this file has been imported before; nothing changed"]
    # The force re-issues March with one crime type corrected and one row withdrawn.
    lines = STREET.read_text().splitlines()
    corrected = [lines[0], lines[1].replace("Violence and sexual offences", "Robbery"), *lines[2:5]]
    reissue = tmp_path / "2024-03-btp-street (corrected).csv"
    reissue.write_text("\n".join(corrected) + "\n")
    result = _cli_import("police", reissue, data_dir)
    (summary,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (summary["accepted"], summary["rejected"], summary["duplicates"]) == (4, 0, 0)
    assert summary["replaced"] == [
        {
            "slice": "british-transport-police/2024-03",
            "previous_rows": 12,
            "previous_file": "2024-03-btp-street.csv",
        }
    ]
    assert summary["notes"] == [
        "replaced british-transport-police/2024-03 (12 rows from 2024-03-btp-street.csv) "
        "with this file's 4 rows"
    ]
    stored = table(lake, "police_street")
    assert stored["crime_type"].to_list() == [
        "Robbery",
        "Anti-social behaviour",
        "Anti-social behaviour",
        "Theft from the person",
    ]


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        workbook.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return buffer.getvalue()


STREET_TEXT = STREET.read_text()
UNUSABLE = {
    "empty": ("police", b"", "is empty"),
    "xlsx renamed": ("police", _xlsx(), "is not a CSV file: it looks like an Excel workbook"),
    "wrong header": (
        "police",
        b"Crime reference,Month,Force\nabc,2024-03,BTP\n",
        "has a header that is none of the police formats I know",
    ),
    "UTF-16": ("police", STREET_TEXT.encode("utf-16"), "is UTF-16 text"),
    "latin-1 street": (
        "police",
        STREET_TEXT.replace("New Street Station", "Caf\u00e9 Rouge").encode("latin-1"),
        "is not UTF-8 text",
    ),
    "latin-1 schools": (
        "places",
        (FIXTURES / "places" / "schools.csv")
        .read_text()
        .replace("Chad", "Ch\u00e2d")
        .encode("latin-1"),
        "is not UTF-8 text",
    ),
    "force extract header missing a column": (
        "force-crime",
        b"crime_reference,offence_from\n20/1/24,2024-03-01 10:00\n",
        "does not have the expected header: missing 'offence_to'",
    ),
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_an_unusable_file_exits_with_one_clear_line_and_writes_nothing(tmp_path, lake, case):
    kind, content, message = UNUSABLE[case]
    path = tmp_path / "2024-03-btp-street.csv"
    path.write_bytes(content)
    before = (lake.root / "manifest.json").read_bytes()
    files_before = sorted(p for p in lake.root.rglob("*") if p.is_file())
    result = run_cli("import", kind, str(path), env=cli_env(lake.root.parent))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"observatory: error: {path}: ") and message in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert (lake.root / "manifest.json").read_bytes() == before
    assert sorted(p for p in lake.root.rglob("*") if p.is_file()) == files_before


def test_a_file_that_is_not_utf8_is_refused_without_crashing_the_process(tmp_path):
    """pyarrow's CSV reader, failing on bad UTF-8 while it holds the ragged-row callback, has
    been seen to abort the process at exit (`terminate called without an active exception`)
    one time in three to eight with polars loaded; twenty tries catch that almost always."""
    path = tmp_path / "latin-1.csv"
    rows = [line for line in STREET_TEXT.splitlines() if line.count(",") == 11]  # no ragged row
    path.write_bytes("\n".join(rows).replace("New Street", "Caf\u00e9").encode("latin-1"))
    script = (
        "import sys\n"
        "from observatory.sources.csvfile import UnusableFile, open_csv\n"
        "from observatory.sources.police_uk import STREET_HEADER\n"
        "try:\n"
        "    list(open_csv(sys.argv[1], STREET_HEADER).batches())\n"
        "except UnusableFile as error:\n"
        "    print(error.problem)\n"
    )
    for _ in range(20):
        result = subprocess.run(
            [sys.executable, "-c", script, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert result.stdout.startswith("is not UTF-8 text")
