"""`observatory disclose` as an analyst meets it: a CSV in, a protected CSV out, a report."""

import json

import pytest

from tests.support.cli import cli_env, run_cli

# Knife-crime assaults by area and year; 'Total' is the total row, 'All' the total column.
TABLE = """\
Area,2023,2024,All,Rate per 100k
Northfield,3,12,15,4.1
Southgate,10,0,10,2.2
Westbury,20,9,29,6.0
Total,33,21,54,4.2
"""
# The 3 is small; its row partner 12, its column partner 10 and the 0 at their corner are
# hidden with it, a rectangle no subtraction or equation can undo. Shown values are rounded
# to the nearest 5 (9 -> 10, 29 -> 30, 33 -> 35, 21 -> 20, 54 -> 55).
PROTECTED = """\
Area,2023,2024,All,Rate per 100k
Northfield,<8,[c],15,
Southgate,[c],[c],10,
Westbury,20,10,30,6.0
Total,35,20,55,4.2
"""


def assert_one_clear_line(result, *expected):
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("observatory: error: ")
    assert "Traceback" not in result.stdout + result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


@pytest.fixture
def env(tmp_path):
    return cli_env(tmp_path / "data")


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "knife.csv"
    path.write_text(TABLE)
    return path


def test_help(env):
    result = run_cli("disclose", "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert "Usage: observatory disclose" in result.stdout
    assert "--total-row" in result.stdout


def test_named_totals_and_derived_column(tmp_path, env, table):
    out = tmp_path / "public.csv"
    result = run_cli(
        "disclose", str(table), "--out", str(out), "--total-row", "Total",
        "--total-column", "All", "--derived", "Rate per 100k", env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == PROTECTED.replace("\n", "\r\n").encode()  # CSV's CRLF
    assert result.stdout.splitlines() == [
        f"Wrote {out}: counts below 8 hidden, others rounded to the nearest 5.",
        "  count columns: 2023, 2024, All",
        "  totals: row 'Total' and column 'All'",
        "  12 counts: 8 shown (5 changed by rounding), 1 hidden as small ('<8'), "
        "3 hidden to protect them ('[c]')",
        "  2 derived values blanked in Rate per 100k",
    ]


def test_counts_and_totals_are_found_when_not_named(tmp_path, env, table):
    # Unnamed, the totals are still recognised (each is the sum of the others), so the hidden
    # cells are protected from them; the rate is not a count (not whole numbers) and is kept.
    out = tmp_path / "public.csv"
    result = run_cli("disclose", str(table), "--out", str(out), "--json", env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["count_columns"] == ["2023", "2024", "All"]
    assert report["total_row"] == "Total" and report["total_column"] == "All"
    assert report["kept_columns"] == ["Rate per 100k"]
    assert report["markers"] == {"small": "<8", "secondary": "[c]"}
    assert report["summary"] == {
        "cells": 12,
        "shown": 8,
        "rounded": 5,
        "hidden_small": 1,
        "hidden_secondary": 3,
        "derived_withheld": 0,
    }
    lines = out.read_text().splitlines()
    assert lines[1] == "Northfield,<8,[c],15,4.1"


def test_thresholds_come_from_the_environment(tmp_path, table):
    env = cli_env(
        tmp_path / "data",
        OBSERVATORY_DISCLOSURE_SMALLEST_SHOWN="10",
        OBSERVATORY_DISCLOSURE_ROUNDING="10",
    )
    out = tmp_path / "public.csv"
    result = run_cli("disclose", str(table), "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert "counts below 10 hidden, others rounded to the nearest 10" in result.stdout
    # 3 and 9 are now small and share no line; the rectangle through them closes on 12 and 20.
    # 10 is the smallest shown count; 15 rounds up to 20 (halves round up), 54 down to 50.
    assert out.read_text().splitlines() == [
        "Area,2023,2024,All,Rate per 100k",
        "Northfield,<10,[c],20,4.1",
        "Southgate,10,0,10,2.2",
        "Westbury,[c],<10,30,6.0",
        "Total,30,20,50,4.2",
    ]


def test_named_counts_leave_the_other_columns_as_they_were(tmp_path, env):
    source = tmp_path / "premises.csv"
    source.write_text("Premises,Assaults,Licence number\nThe Anchor,12,4401\nThe Bell,3,4402\n")
    out = tmp_path / "public.csv"
    result = run_cli("disclose", str(source), "--out", str(out), "--counts", "Assaults", env=env)
    assert result.returncode == 0, result.stderr
    assert "kept as they were: Licence number" in result.stdout
    # no total, so nothing else needs hiding
    assert out.read_text().splitlines()[1:] == ["The Anchor,10,4401", "The Bell,<8,4402"]


@pytest.mark.parametrize(
    ("content", "options", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [], "not a UTF-8 text CSV file"),
        (b"", [], "is empty"),
        (b"Area,2023\n", [], "no rows"),
        (TABLE.encode(), ["--counts", "2022"], "no column '2022'"),
        (TABLE.encode(), ["--total-row", "Grand total"], "total row 'Grand total' is not"),
        (b"Area,n\nA,3\nB,-2\n", [], "'-2' in count column 'n' is not a whole number >= 0"),
        (b"Area,n\nA,3\nB,2.5\n", ["--counts", "n"], "'2.5' in count column 'n'"),
        (b"Area,n\nA,3,4\n", [], "line 2 has 3 fields, the header 2"),
        (b"Area,a,b,t\nA,3,4,8\nB,10,10,20\n", ["--total-column", "t"], "is 8 but"),
        (b"Area,note\nA,x\n", [], "no column of whole numbers"),
    ],
    ids=[
        "binary", "empty", "header-only", "missing-column", "missing-total-row", "negative",
        "fraction", "ragged", "totals-do-not-add-up", "no-counts",
    ],
)  # fmt: skip
def test_a_wrong_file_is_one_clear_line_and_writes_nothing(
    tmp_path, env, content, options, expected
):
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    out = tmp_path / "out.csv"
    result = run_cli("disclose", str(source), "--out", str(out), *options, env=env)
    assert_one_clear_line(result, expected)
    assert not out.exists()
    assert [path.name for path in tmp_path.iterdir()] == ["in.csv"] + (
        ["data"] if (tmp_path / "data").exists() else []
    )


def test_a_missing_input_file(tmp_path, env):
    result = run_cli(
        "disclose", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv"), env=env
    )
    assert_one_clear_line(result, "does not exist")


def test_a_bad_threshold_setting(tmp_path, table):
    env = cli_env(tmp_path / "data", OBSERVATORY_DISCLOSURE_SMALLEST_SHOWN="eight")
    out = tmp_path / "public.csv"
    result = run_cli("disclose", str(table), "--out", str(out), env=env)
    assert_one_clear_line(result, "OBSERVATORY_DISCLOSURE_SMALLEST_SHOWN='eight'")
    assert not out.exists()
