"""A person's own links to their booking.

Each booking carries a random token (`secrets.token_urlsafe(32)`, about 256 bits, see
models.new_token): knowing the link is what entitles someone to see, cancel, accept or
decline that one booking, so the links need no login and cannot be guessed or enumerated.
The links only show pages; every change is a POST from that page, so an e-mail scanner that
follows links changes nothing.
"""

from django.conf import settings
from django.urls import reverse

from observatory.web.training.models import Booking

PAGES = {
    "booking": "training-booking",
    "cancel": "training-booking-cancel",
    "accept": "training-booking-accept",
    "decline": "training-booking-decline",
}


def booking_path(booking: Booking, page: str = "booking") -> str:
    """The path of one of the booking's pages: booking, cancel, accept or decline."""
    return reverse(PAGES[page], args=[booking.token])


def booking_url(booking: Booking, page: str = "booking", base_url: str | None = None) -> str:
    """The absolute link, under `base_url` (from the request) or `settings.SITE_URL`."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + booking_path(booking, page)


def booking_links(booking: Booking, base_url: str | None = None) -> dict[str, str]:
    """All of the booking's links, by page name, for e-mail templates."""
    return {page: booking_url(booking, page, base_url) for page in PAGES}
