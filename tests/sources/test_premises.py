"""The licensing register: a snapshot, keyed by licence number, placed by its points, with
weekly opening hours worked out where the hours are written in the usual way."""

from __future__ import annotations

import pytest

from observatory.sources.premises import Premises, weekly_hours

from .conftest import FIXTURES, counts, import_one, rejections, table

REGISTER = FIXTURES / "premises" / "licensed_premises.csv"


def test_register_is_accounted_for_row_by_row(lake, context):
    summary = import_one(REGISTER, Premises(), lake, context)
    assert counts(summary) == (10, 5, 4, 1)
    assert rejections(summary) == {
        6: "same licence_number as row 2 but different details",
        7: "postcode 'NOT A POSTCODE' is not a UK postcode",
        8: "the location is outside the region's small areas",
        10: "licence_number is blank",
    }
    assert summary.slices == ["all"]
    assert summary.placement == {"point": 4, "code": 0, "unlocated": 1, "lsoa_disagreements": 0}
    stored = table(lake, "premises").sort("licence_number")
    assert stored.select(
        "licence_number", "postcode", "premises_type", "weekly_opening_hours", "lsoa_code"
    ).rows() == [
        ("BCC/PL/0001", "B1 2HF", "pub", 86.5, "E01033620"),
        ("BCC/PL/0002", "B5 4TB", "bar", 168.0, "E01033621"),
        ("BCC/PL/0003", "B5 4DY", "pub", None, "E01033622"),  # "by appointment" kept as text
        ("BCC/PL/0004", "B66 1AA", "pub", None, "E01009990"),
        ("BCC/PL/0009", "B5 6DY", "nightclub", 17.0, None),  # no coordinates: unlocated
    ]
    assert stored["month"].is_null().all()
    assert stored["easting"][0] == 406210


def test_a_newer_register_replaces_the_old_one(tmp_path, lake, context):
    import_one(REGISTER, Premises(), lake, context)
    newer = tmp_path / "register_2025.csv"
    lines = REGISTER.read_text().splitlines()
    newer.write_text("\n".join(lines[:3]) + "\n")
    summary = import_one(newer, Premises(), lake, context)
    assert summary.accepted == 2 and summary.replaced[0]["slice"] == "all"
    assert sorted(table(lake, "premises")["licence_number"]) == ["BCC/PL/0001", "BCC/PL/0002"]


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Mon-Thu 11:00-23:00; Fri-Sat 11:00-01:00; Sun 12:00-22:30", 86.5),
        ("Thu 22:00-03:00; Fri-Sat 22:00-04:00", 17.0),
        ("Mon-Sun 08:00-23:00", 105.0),
        ("Mon,Wed 10:00-12:00", 4.0),
        ("Fri-Mon 20:00-00:00", 16.0),  # a range across the week's end; midnight closing
        ("Mon-Sun 24 hours", 168.0),
        ("mon-sun 00:00-00:00", 168.0),
        ("by appointment", None),
        ("Mon-Sun 25:00-26:00", None),
        ("", None),
        (None, None),
    ],
)
def test_weekly_hours(text, hours):
    assert weekly_hours(text) == hours
