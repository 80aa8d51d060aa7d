"""Every row of a file accounted for: accepted, rejected with a reason, or a duplicate."""

from __future__ import annotations

import csv

import pytest

from observatory.lake.imports import import_file
from observatory.sources.csvfile import UnusableFile
from observatory.sources.police_uk import STREET_HEADER, StreetCrime

from .conftest import connect, street_row, write_street

VIOLENCE = "Violence and sexual offences"
ASB = "Anti-social behaviour"


def _import(path, lake, context):
    summary = import_file(path, StreetCrime(), lake, context, who="tester")
    assert summary.read == summary.accepted + summary.rejected + summary.duplicates
    return summary


def _rejections(summary) -> dict[int, str]:
    with open(summary.rejections_file, newline="") as handle:
        return {int(row["row"]): row["reason"] for row in csv.DictReader(handle)}


def test_rows_are_accepted_rejected_or_duplicates_with_their_row_numbers(tmp_path, lake, context):
    rows = [
        street_row("a" * 64, "2024-03", "E01000001", VIOLENCE),  # 1 good
        street_row("b" * 64, "2024-13", "E01000002", VIOLENCE),  # 2 bad month
        street_row("c" * 64, "2024-03", "E01000003", "Violent crime"),  # 3 unknown type
        street_row("a" * 64, "2024-03", "E01000001", VIOLENCE),  # 4 copy of row 1
        street_row("a" * 64, "2024-03", "E01000002", VIOLENCE),  # 5 same id, other details
        street_row("", "2024-03", "E01000004", ASB),  # 6 ASB
        street_row("", "2024-03", "E01000004", ASB),  # 7 identical ASB: another incident
        street_row("d" * 64, "2024-03", "E01000001", "  violence AND sexual offences  "),  # 8
    ]
    path = write_street(tmp_path / "2024-03-west-midlands-street.csv", rows)
    with open(path, "a") as handle:
        handle.write("only,three,fields\n")  # 9 ragged
        handle.write(
            'e,2024-03,West Midlands Police,West Midlands Police,,,"No\nlocation",,,Drugs,,\n'
        )
    summary = _import(path, lake, context)
    assert (summary.read, summary.accepted, summary.rejected, summary.duplicates) == (10, 5, 4, 1)
    reasons = _rejections(summary)
    assert sorted(reasons) == [2, 3, 5, 9]
    assert "Month '2024-13'" in reasons[2]
    assert "'Violent crime' is not a police.uk crime type" in reasons[3]
    assert reasons[5] == "same Crime ID as row 1 but different details"
    assert "has 3 fields where the header has 12" in reasons[9]
    stored = (
        connect(lake)
        .execute("select crime_type, count(*) from police_street group by 1")
        .fetchall()
    )
    assert dict(stored) == {VIOLENCE: 2, ASB: 2, "Drugs": 1}


def test_normalised_quirks_are_accepted(tmp_path, lake, context):
    """A byte-order mark, CRLF line ends and an upper-case header change nothing."""
    plain = write_street(
        tmp_path / "plain.csv", [street_row("a" * 64, "2024-03", "E01000001", VIOLENCE)]
    )
    quirky = tmp_path / "quirky.csv"
    lines = plain.read_text().splitlines()
    quirky.write_bytes(
        "\ufeff".encode() + "\r\n".join([lines[0].upper(), *lines[1:]]).encode() + b"\r\n"
    )
    summary = _import(quirky, lake, context)
    assert (summary.accepted, summary.rejected) == (1, 0)
    crime_type, outcome = (
        connect(lake)
        .execute("select crime_type, last_outcome_category from police_street")
        .fetchone()
    )
    assert (crime_type, outcome) == (VIOLENCE, "Under investigation")


def test_placement_by_point_by_code_or_unlocated_and_outside_rejected(tmp_path, lake, context):
    far_lon, far_lat = "-0.127700", "51.507400"  # London
    rows = [
        street_row("a" * 64, "2024-03", "E01000001", VIOLENCE),
        # The file says square 2, the point is in square 1: the point wins, and it counts.
        street_row("b" * 64, "2024-03", "E01000001", VIOLENCE, **{"LSOA code": "E01000002"}),
        street_row("c" * 64, "2024-03", None, VIOLENCE, **{"LSOA code": "E01000003"}),
        street_row("d" * 64, "2024-03", None, VIOLENCE),
        street_row("e" * 64, "2024-03", "E01000001", VIOLENCE, Longitude=far_lon, Latitude=far_lat),
        street_row("f" * 64, "2024-03", None, VIOLENCE, **{"LSOA code": "E01999999"}),
    ]
    summary = _import(write_street(tmp_path / "s.csv", rows), lake, context)
    assert summary.placement == {"point": 2, "code": 1, "unlocated": 1, "lsoa_disagreements": 1}
    reasons = _rejections(summary)
    assert reasons == {
        5: "the location is outside the region's small areas",
        6: "small area 'E01999999' is not in the imported geography",
    }
    placed = (
        connect(lake)
        .sql(
            "select crime_id, lsoa_code, ward_code, la_code, easting is not null "
            "from police_street order by crime_id"
        )
        .fetchall()
    )
    assert placed == [
        ("a" * 64, "E01000001", "E05000001", "E08000025", True),
        ("b" * 64, "E01000001", "E05000001", "E08000025", True),
        ("c" * 64, "E01000003", "E05000001", "E08000025", False),
        ("d" * 64, None, None, None, False),
    ]


def test_reimport_adds_nothing_and_a_corrected_month_replaces_it(tmp_path, lake, context):
    rows = [street_row(f"{i:064x}", "2024-03", "E01000001", VIOLENCE) for i in range(5)]
    path = write_street(tmp_path / "2024-03-west-midlands-street.csv", rows)
    first = _import(path, lake, context)
    manifest = (lake.root / "manifest.json").read_text()
    again = _import(path, lake, context)
    assert (again.accepted, again.duplicates) == (0, 5)
    assert again.notes == ["this file has been imported before; nothing changed"]
    assert lake.slices("police_street") == {
        key: value
        for key, value in __import__("json").loads(manifest)["tables"]["police_street"].items()
    }
    corrected = write_street(
        tmp_path / "2024-03-corrected.csv", [*rows[:4], [*rows[4][:9], "Drugs", "", ""]]
    )
    replaced = _import(corrected, lake, context)
    assert replaced.accepted == 5 and replaced.replaced == [
        {"slice": first.slices[0], "previous_rows": 5, "previous_file": path.name}
    ]
    assert "replaced west-midlands-police/2024-03" in replaced.notes[0]
    counts = (
        connect(lake)
        .execute("select crime_type, count(*) from police_street group by 1")
        .fetchall()
    )
    assert dict(counts) == {VIOLENCE: 4, "Drugs": 1}


def test_a_record_already_in_another_month_is_a_duplicate(tmp_path, lake, context):
    _import(
        write_street(
            tmp_path / "feb.csv", [street_row("a" * 64, "2024-02", "E01000001", VIOLENCE)]
        ),
        lake,
        context,
    )
    march = write_street(
        tmp_path / "mar.csv",
        [
            street_row("a" * 64, "2024-02", "E01000001", VIOLENCE, Month="2024-03"),
            street_row("b" * 64, "2024-03", "E01000001", VIOLENCE),
        ],
    )
    summary = _import(march, lake, context)
    assert (summary.accepted, summary.duplicates) == (1, 1)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty"),
        (b"PK\x03\x04rest of a zip", "looks like an Excel workbook"),
        ("Crime ID,Month\n".encode("utf-16"), "UTF-16"),
        (b"\xa3100,Month\n", "not UTF-8"),
        (b"Name,Address\nx,y\n", "missing 'Crime ID'"),
    ],
)
def test_an_unusable_file_is_refused_whole_and_writes_nothing(
    tmp_path, lake, context, content, problem
):
    before = (lake.root / "manifest.json").read_bytes()
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableFile, match=problem):
        _import(path, lake, context)
    assert (lake.root / "manifest.json").read_bytes() == before


def test_bad_utf8_deep_in_a_file_is_refused_whole(tmp_path, lake, context):
    rows = [street_row(f"{i:064x}", "2024-03", "E01000001", VIOLENCE) for i in range(2000)]
    path = write_street(tmp_path / "s.csv", rows)
    path.write_bytes(path.read_bytes() + b"x,2024-03,West Midlands Police,W\xe9st,,,,,,Drugs,,\n")
    before = (lake.root / "manifest.json").read_bytes()
    with pytest.raises(UnusableFile, match="not UTF-8"):
        _import(path, lake, context)
    assert (lake.root / "manifest.json").read_bytes() == before
    assert not list((lake.root / "police_street").rglob("*.parquet"))


def test_header_names_ignore_case_and_extra_columns_are_never_stored(tmp_path, lake, context):
    path = tmp_path / "s.csv"
    header = [name.lower() for name in STREET_HEADER] + ["Officer notes"]
    row = [*street_row("a" * 64, "2024-03", "E01000002", VIOLENCE), "told by Mr Jones"]
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows([header, row])
    assert _import(path, lake, context).accepted == 1
    for parquet in (lake.root / "police_street").rglob("*.parquet"):
        assert b"Jones" not in parquet.read_bytes()
