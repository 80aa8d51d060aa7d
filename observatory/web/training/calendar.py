"""Calendar invitations (.ics, RFC 5545/5546) for booked sessions.

One event per booking, with a UID stable across the confirmation, the reminder and the
cancellation, so the person's calendar updates one entry instead of adding copies. Times are
written in UTC (the "Z" form), which every calendar reads without a time-zone definition.
"""

from datetime import UTC
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from observatory.web.training.models import Booking

PRODUCT_ID = "-//Observatory//Training bookings//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def event_uid(booking: Booking) -> str:
    """The booking's event identity, the same in every invitation about it."""
    host = urlsplit(settings.SITE_URL).hostname or "observatory"
    return f"training-booking-{booking.pk}@{host}"


def _location(session) -> str:
    places = [place for place in (session.venue, session.online_link) if place]
    return " / ".join(places)


def invitation(booking: Booking, method: str = REQUEST) -> bytes:
    """The .ics for `booking`: METHOD:REQUEST to add or update the event, METHOD:CANCEL
    (with STATUS:CANCELLED) to remove it."""
    session = booking.session
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", event_uid(booking))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.course.title)
    location = _location(session)
    if location:
        event.add("location", location)
    if session.online_link:
        event.add("url", session.online_link)
    description = session.course.description
    if session.facilitators:
        description = f"{description}\n\nFacilitators: {session.facilitators}".strip()
    if description:
        event.add("description", description)
    # RFC 5546: a REQUEST names its organizer and attendee; the sequence rises on a cancel.
    _, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{sender}")
    organizer.params["cn"] = "Observatory training"
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.email}")
    attendee.params["cn"] = booking.name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "ACCEPTED"
    event.add("attendee", attendee)
    event.add("sequence", 1 if method == CANCEL else 0)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
