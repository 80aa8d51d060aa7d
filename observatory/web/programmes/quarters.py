"""Quarters of the financial year (April to March), the period of a provider's return.

A quarter is named by the first day of its three months: 1 April, 1 July, 1 October or
1 January. Quarter 1 of 2025-26 is April to June 2025; quarter 4 of 2025-26 is January to
March 2026. A return is due a fixed number of days after its quarter ends (RETURN_DUE_DAYS).
"""

import datetime
import re
from dataclasses import dataclass

from observatory.errors import ObservatoryError

RETURN_DUE_DAYS = 30
_FIRST_MONTHS = (4, 7, 10, 1)
_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2})\s+Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """One financial quarter, identified by its first day."""

    start: datetime.date

    def __post_init__(self):
        if self.start.day != 1 or self.start.month not in _FIRST_MONTHS:
            raise ValueError(f"{self.start} is not the first day of a quarter")

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        """The quarter that contains `day`."""
        month = day.month - (day.month - 1) % 3
        return cls(datetime.date(day.year, month, 1))

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """Read "2025-26 Q1" (as `label` writes it) or a quarter's first day "2025-04-01".
        Raises ObservatoryError with a sentence for anything else."""
        if match := _LABEL.match(text or ""):
            first_year, second, number = int(match[1]), int(match[2]), int(match[3])
            if (first_year + 1) % 100 != second:
                raise ObservatoryError(f"{text.strip()!r} is not a financial year like 2025-26")
            year = first_year if number < 4 else first_year + 1
            return cls(datetime.date(year, _FIRST_MONTHS[number - 1], 1))
        try:
            return cls(datetime.date.fromisoformat((text or "").strip()))
        except ValueError:
            raise ObservatoryError(
                f"{text!r} is not a quarter: write it like 2025-26 Q1 (April to June 2025)"
            ) from None

    @property
    def financial_year(self) -> int:
        """The calendar year in which the quarter's financial year starts (2025 for 2025-26)."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def number(self) -> int:
        """1 for April to June … 4 for January to March."""
        return _FIRST_MONTHS.index(self.start.month) + 1

    @property
    def end(self) -> datetime.date:
        """The quarter's last day."""
        return self.next().start - datetime.timedelta(days=1)

    @property
    def due(self) -> datetime.date:
        """The day by which the quarter's return is due."""
        return self.end + datetime.timedelta(days=RETURN_DUE_DAYS)

    @property
    def label(self) -> str:
        """ "2025-26 Q1", the name used in pages, files and templates."""
        year = self.financial_year
        return f"{year}-{(year + 1) % 100:02d} Q{self.number}"

    @property
    def months(self) -> str:
        """ "April to June 2025"."""
        return f"{self.start:%B} to {self.end:%B %Y}"

    def next(self) -> "Quarter":
        month = self.start.month + 3
        year = self.start.year + (month > 12)
        return Quarter(datetime.date(year, (month - 1) % 12 + 1, 1))

    def overlaps(self, first_day: datetime.date, last_day: datetime.date) -> bool:
        """True when any day of the quarter lies from `first_day` to `last_day` inclusive."""
        return self.start <= last_day and first_day <= self.end

    def __str__(self) -> str:
        return self.label


def quarters_between(first_day: datetime.date, last_day: datetime.date) -> list[Quarter]:
    """Every quarter with at least one day from `first_day` to `last_day`, in order."""
    quarters, quarter = [], Quarter.of(first_day)
    while quarter.start <= last_day:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def financial_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of the financial year starting in April of `year`."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def current_financial_year(today: datetime.date) -> int:
    """The start year of the financial year containing `today`."""
    return Quarter.of(today).financial_year
