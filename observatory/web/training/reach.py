"""The reach of training: professionals trained, and the young people they work with.

"Trained" means recorded as attended at a session that started in the period. A person is
their e-mail address: someone trained on two courses counts once in the total and once
under each course (so the by-course rows may add up to more than the total); their sector,
local authority and number of young people are those of their latest attended booking.

The **indirect reach** is an estimate: the sum of the numbers of young people the trained
professionals said they work with. It is shown as a range: the lower end is the sum of the
answers; the upper end scales that sum up to everyone trained, as if those who did not
answer worked with as many young people on average as those who did. Both ends count a
young person twice when two of their professionals were trained, so they are reach in
contacts, not distinct young people. The partnership's reach figures (issue 7) read
`trained_professionals()` and `indirect_reach()`.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from observatory.web.training.models import Booking, Sector

FINANCIAL_YEAR_STARTS = 4  # April


@dataclass(frozen=True)
class Period:
    """Dates from `start` up to but not including `end` (local dates, Europe/London)."""

    start: datetime.date
    end: datetime.date
    label: str

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        return tuple(
            datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
            for day in (self.start, self.end)
        )


def financial_year(day: datetime.date | None = None) -> Period:
    """The UK financial year (1 April to 31 March) that contains `day` (default: today)."""
    day = day or timezone.localdate()
    first = day.year if day.month >= FINANCIAL_YEAR_STARTS else day.year - 1
    return Period(
        datetime.date(first, FINANCIAL_YEAR_STARTS, 1),
        datetime.date(first + 1, FINANCIAL_YEAR_STARTS, 1),
        f"{first}-{str(first + 1)[2:]}",
    )


def financial_year_named(label: str) -> Period | None:
    """The financial year named like "2025-26", or None for anything else."""
    try:
        first = int(label[:4])
    except (TypeError, ValueError):
        return None
    period = financial_year(datetime.date(first, FINANCIAL_YEAR_STARTS, 1))
    return period if period.label == label else None


def _people(period: Period) -> dict[str, Booking]:
    """Each trained person's latest attended booking in `period`, by e-mail."""
    start, end = period.bounds()
    bookings = (
        Booking.objects.filter(
            attendance=Booking.Attendance.ATTENDED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .select_related("session__course", "local_authority")
        .order_by("session__starts_at", "pk")
    )
    return {booking.email: booking for booking in bookings}


@dataclass(frozen=True)
class TrainedProfessionals:
    period: Period
    total: int
    by_course: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_local_authority: list[tuple[str, int]]


def trained_professionals(period: Period | None = None) -> TrainedProfessionals:
    """People trained in `period` (default: this financial year), in total and by course,
    sector and local authority (largest first)."""
    period = period or financial_year()
    people = _people(period)
    start, end = period.bounds()
    per_course = (
        Booking.objects.filter(
            attendance=Booking.Attendance.ATTENDED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .values_list("session__course__title", "email")
        .distinct()
    )
    courses = Counter(title for title, _ in per_course)
    sectors = Counter(Sector(b.sector).label for b in people.values())
    areas = Counter(
        b.local_authority.name if b.local_authority else "Outside the region"
        for b in people.values()
    )
    return TrainedProfessionals(
        period=period,
        total=len(people),
        by_course=courses.most_common(),
        by_sector=sectors.most_common(),
        by_local_authority=areas.most_common(),
    )


@dataclass(frozen=True)
class IndirectReach:
    """An estimate of the young people reached through the professionals trained."""

    period: Period
    trained: int
    answered: int  # trained people who said how many young people they work with
    total: int  # the sum of their answers: the lower end of the range
    upper: int  # the sum scaled up to everyone trained: the upper end

    @property
    def unanswered(self) -> int:
        return self.trained - self.answered


def indirect_reach(period: Period | None = None) -> IndirectReach:
    """The estimated indirect reach of training in `period` (default: this financial year);
    see the module's docstring for how the range is built."""
    period = period or financial_year()
    people = _people(period)
    answers = [b.young_people for b in people.values() if b.young_people is not None]
    total = sum(answers)
    upper = round(total * len(people) / len(answers)) if answers else 0
    return IndirectReach(period, len(people), len(answers), total, upper)
