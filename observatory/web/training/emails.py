"""The e-mails a person gets about their booking, in plain text and HTML.

confirmation and reminder carry a calendar invitation (.ics, METHOD:REQUEST); cancellation
carries one that removes the event (METHOD:CANCEL). Every e-mail links to the person's own
booking page (tokens.py). Log lines name the booking by id only, never by name or address.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from observatory.web.training import calendar
from observatory.web.training.models import Booking
from observatory.web.training.tokens import booking_links

log = logging.getLogger(__name__)
CALENDAR_TYPE = "text/calendar; method={method}"  # Django adds the charset


def _send(booking: Booking, template: str, subject: str, base_url, method=None) -> None:
    context = {
        "booking": booking,
        "session": booking.session,
        "course": booking.session.course,
        "links": booking_links(booking, base_url),
        "subject": subject,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"training/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.email],
    )
    message.attach_alternative(
        render_to_string(f"training/email/{template}.html", context), "text/html"
    )
    if method:
        message.attach(
            "invitation.ics",
            calendar.invitation(booking, method),
            CALENDAR_TYPE.format(method=method),
        )
    message.send()


def send_confirmation(booking: Booking, base_url=None) -> None:
    _send(
        booking,
        "confirmation",
        f"Booking confirmed: {booking.session.course.title}",
        base_url,
        calendar.REQUEST,
    )


def send_pending(booking: Booking, base_url=None) -> None:
    _send(booking, "pending", f"Booking received: {booking.session.course.title}", base_url)


def send_waitlisted(booking: Booking, base_url=None) -> None:
    _send(booking, "waitlisted", f"On the waitlist: {booking.session.course.title}", base_url)


def send_offer(booking: Booking, base_url=None) -> None:
    _send(booking, "offer", f"A place is free: {booking.session.course.title}", base_url)


def send_reminder(booking: Booking, base_url=None) -> None:
    _send(
        booking,
        "reminder",
        f"Reminder: {booking.session.course.title}",
        base_url,
        calendar.REQUEST,
    )


def send_cancelled(booking: Booking, base_url=None) -> None:
    """Cancellation by the person or a coordinator, or an offer they declined."""
    method = calendar.CANCEL if booking.status == Booking.Status.CANCELLED else None
    _send(booking, "cancelled", f"Cancelled: {booking.session.course.title}", base_url, method)


def send_declined(booking: Booking, base_url=None) -> None:
    _send(booking, "declined", f"Booking not approved: {booking.session.course.title}", base_url)


# The e-mail for a booking that has just reached each status.
STATUS_EMAILS = {
    Booking.Status.CONFIRMED: send_confirmation,
    Booking.Status.PENDING_APPROVAL: send_pending,
    Booking.Status.WAITLISTED: send_waitlisted,
    Booking.Status.OFFERED: send_offer,
}


def deliver(send, booking_pk: int, base_url=None) -> bool:
    """Send one e-mail about a booking, read afresh; True when sent. A mail server's failure
    is logged (booking id and error type only: its message can hold the address) and does
    not undo the booking, which the person can always see at their link."""
    booking = Booking.objects.select_related("session__course").get(pk=booking_pk)
    try:
        send(booking, base_url)
    except OSError as error:  # smtplib's errors, refused connections, a full disk
        log.error(
            "E-mail %s for booking %s failed: %s", send.__name__, booking_pk, type(error).__name__
        )
        return False
    log.info("E-mail %s sent for booking %s", send.__name__, booking_pk)
    return True
