"""The attendance register: who came to a session, for how long, and who did not.

Attendance is recorded by the coordinator on the day for the session's confirmed bookings.
Hours matter only for consultation groups (they decide what a contributor is paid); they
default to the session's length. Marking someone attended for the first time also e-mails
them the link to the feedback form (see `feedback.send_request`), so the request goes out
once per person, when the coordinator closes the register, with no scheduler to run.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count

from observatory.web.training.models import Booking, Session

HOURS_STEP = Decimal("0.01")


def default_hours(session: Session) -> Decimal:
    """The session's length in hours, to the hundredth: the hours of a full attendance."""
    seconds = Decimal((session.ends_at - session.starts_at).total_seconds())
    return (seconds / 3600).quantize(HOURS_STEP, rounding=ROUND_HALF_UP)


def register(session: Session):
    """The bookings on the register: the confirmed ones, in booking order."""
    return session.bookings.filter(status=Booking.Status.CONFIRMED).select_related(
        "local_authority"
    )


def no_show_counts(emails) -> dict[str, int]:
    """How many times each of `emails` was recorded as not attending, across all sessions
    (people are matched by e-mail address, the only identity a booking has)."""
    rows = (
        Booking.objects.filter(email__in=set(emails), attendance=Booking.Attendance.NO_SHOW)
        .values("email")
        .annotate(times=Count("pk"))
    )
    return {row["email"]: row["times"] for row in rows}


@transaction.atomic
def record(booking: Booking, attendance: str, hours: Decimal | None = None) -> bool:
    """Record `booking`'s attendance; return True when it became "attended" just now (the
    moment to ask for feedback).

    For consultation groups an attended booking keeps `hours` (default: the session's
    length); everyone else, and anyone not attending, has no hours.
    """
    if attendance not in Booking.Attendance.values:
        raise ValueError(f"unknown attendance {attendance!r}")
    newly_attended = (
        attendance == Booking.Attendance.ATTENDED
        and booking.attendance != Booking.Attendance.ATTENDED
    )
    attended = attendance == Booking.Attendance.ATTENDED
    if attended and booking.session.is_consultation:
        booking.hours_attended = default_hours(booking.session) if hours is None else hours
    else:
        booking.hours_attended = None
    booking.attendance = attendance
    booking.save(update_fields=["attendance", "hours_attended", "updated_at"])
    return newly_attended
