"""Financial quarters: naming, parsing, due dates and ranges."""

import datetime

import pytest

from observatory.errors import ObservatoryError
from observatory.web.programmes.quarters import Quarter, financial_year_bounds, quarters_between

D = datetime.date


@pytest.mark.parametrize(
    ("day", "label", "months"),
    [
        (D(2025, 4, 1), "2025-26 Q1", "April to June 2025"),
        (D(2025, 9, 30), "2025-26 Q2", "July to September 2025"),
        (D(2025, 12, 25), "2025-26 Q3", "October to December 2025"),
        (D(2026, 3, 31), "2025-26 Q4", "January to March 2026"),
        (D(1999, 2, 1), "1998-99 Q4", "January to March 1999"),
    ],
)
def test_quarter_of_a_day(day, label, months):
    quarter = Quarter.of(day)
    assert (quarter.label, quarter.months) == (label, months)
    assert Quarter.parse(label) == quarter
    assert Quarter.parse(quarter.start.isoformat()) == quarter
    assert quarter.start <= day <= quarter.end


def test_end_due_and_next():
    quarter = Quarter.parse("2025-26 Q3")
    assert quarter.end == D(2025, 12, 31)
    assert quarter.due == D(2026, 1, 30)
    assert quarter.next() == Quarter.parse("2025-26 Q4")
    assert quarter.next().next() == Quarter.parse("2026-27 Q1")


@pytest.mark.parametrize("text", ["", "2025 Q1", "2025-27 Q1", "2025-26 Q5", "2025-05-01", None])
def test_parse_refuses_with_a_sentence(text):
    with pytest.raises(ObservatoryError, match=r"quarter|financial year"):
        Quarter.parse(text)


def test_quarters_between_and_overlap():
    quarters = quarters_between(D(2025, 5, 15), D(2026, 1, 2))
    assert [q.label for q in quarters] == ["2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4"]
    assert quarters[0].overlaps(D(2025, 6, 30), D(2027, 1, 1))
    assert not quarters[0].overlaps(D(2025, 7, 1), D(2027, 1, 1))
    assert financial_year_bounds(2025) == (D(2025, 4, 1), D(2026, 3, 31))
