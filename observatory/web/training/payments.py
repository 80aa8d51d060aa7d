"""The payment list of consultation groups: who is owed what for their time.

Only people who attended a consultation group with an hourly rate, in a category the
payment policy pays (experts by experience, independent practitioners, grass-roots
organisations and small charities, independent academics), appear. Staff of large funded
organisations and statutory bodies take part as part of their role and never appear, nor
does anyone who did not attend.
"""

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from observatory.web.training.models import Booking, Session

PENNY = Decimal("0.01")
COLUMNS = [
    "session date", "course", "name", "email", "organisation", "category",
    "hours", "hourly rate (GBP)", "amount (GBP)",
]  # fmt: skip


@dataclass(frozen=True)
class Payment:
    booking: Booking
    hours: Decimal
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.hours * self.rate).quantize(PENNY, rounding=ROUND_HALF_UP)


def payable_bookings(sessions):
    """The bookings of `sessions` that are owed a payment (see the module's rule)."""
    return (
        Booking.objects.filter(
            session__in=sessions,
            session__kind=Session.Kind.CONSULTATION,
            session__hourly_rate__isnull=False,
            attendance=Booking.Attendance.ATTENDED,
            contributor_category__in=Booking.PAID_CATEGORIES,
            hours_attended__gt=0,
        )
        .select_related("session__course")
        .order_by("session__starts_at", "name", "pk")
    )


def payments(sessions) -> list[Payment]:
    return [
        Payment(booking, booking.hours_attended, booking.session.hourly_rate)
        for booking in payable_bookings(sessions)
    ]


def spreadsheet_safe(text: str) -> str:
    """`text` as typed by a member of the public, never read as a formula by a spreadsheet:
    a leading =, +, -, @ or control character gets an apostrophe before it."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list[Payment]) -> str:
    """The payment list as CSV text, one row per person per session."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        booking = row.booking
        writer.writerow(
            [
                timezone.localtime(booking.session.starts_at).date().isoformat(),
                booking.session.course.title,
                spreadsheet_safe(booking.name),
                spreadsheet_safe(booking.email),
                spreadsheet_safe(booking.organisation),
                booking.get_contributor_category_display(),
                row.hours,
                row.rate,
                row.amount,
            ]
        )
    return out.getvalue()
