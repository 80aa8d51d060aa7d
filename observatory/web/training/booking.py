"""The fair booking rules: every change of a booking's status happens here.

Each function runs in one transaction holding the session's row lock (`select_for_update`),
so counting the places taken and taking one is atomic: two people booking the last place at
the same moment get one place and one waitlist spot, on PostgreSQL (row lock) as on SQLite
(the write lock the first writer takes).

A rule that says no raises `BookingRefused` with a message meant for the person. E-mails
are sent after the transaction commits, so nobody is told about a booking that was rolled
back. `base_url` (e.g. "https://observatory.example/") is where links in e-mails point;
None means `settings.SITE_URL` (commands run outside a request).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from observatory.web.accounts.models import LocalAuthority
from observatory.web.training import emails
from observatory.web.training.models import Booking, Session, organisation_key

log = logging.getLogger(__name__)

Status = Booking.Status
REMINDER_WINDOW = timedelta(days=1)


class BookingRefused(Exception):
    """A rule said no; `str(error)` tells the person why and what to do instead."""


@dataclass(frozen=True)
class BookingDetails:
    """What a person gives when booking a place."""

    name: str
    email: str
    organisation: str
    job_role: str
    sector: str
    local_authority: LocalAuthority | None = None
    young_people: int | None = None
    contributor_category: str = ""


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def _locked(session: Session) -> Session:
    """The session re-read under its row lock (call inside a transaction)."""
    return Session.objects.select_for_update().get(pk=session.pk)


def _after_commit(send, booking: Booking, base_url: str | None) -> None:
    transaction.on_commit(lambda: emails.deliver(send, booking.pk, base_url))


def book(session: Session, details: BookingDetails, *, now=None, base_url=None) -> Booking:
    """Book `details`' person on `session`: confirmed, awaiting approval, or waitlisted.

    Refused when booking is not open, when the e-mail already has a live booking on this
    session, or when the person's organisation already holds the session's
    per-organisation cap of places. A free place goes to the new booker only when nobody is
    waiting for one (the waitlist keeps its order).
    """
    with transaction.atomic():
        session = _locked(session)
        now = now or timezone.now()
        _check_window(session, now)
        email = details.email.strip().lower()
        live = session.bookings.filter(status__in=Booking.LIVE)
        if live.filter(email=email).exists():
            raise BookingRefused(
                "This e-mail address already has a booking for this session. The e-mail we "
                "sent you has a link to see or cancel it."
            )
        key = organisation_key(details.organisation)
        cap = session.organisation_cap
        holding = live.filter(status__in=Booking.HOLDING_PLACE)
        if cap and holding.filter(organisation_key=key).count() >= cap:
            raise BookingRefused(
                f"This session takes at most {cap} "
                f"{'person' if cap == 1 else 'people'} from one organisation, and "
                f"{details.organisation.strip()} already has {cap}, so that more organisations "
                "can take part. Ask a colleague who has booked whether they can go on your "
                "behalf, or choose another session."
            )
        nobody_waiting = not live.filter(status=Status.WAITLISTED).exists()
        if holding.count() < session.capacity and nobody_waiting:
            status = Status.PENDING_APPROVAL if session.requires_approval else Status.CONFIRMED
        else:
            status = Status.WAITLISTED
        booking = Booking.objects.create(
            session=session,
            name=details.name.strip(),
            email=email,
            organisation=details.organisation.strip(),
            job_role=details.job_role.strip(),
            sector=details.sector,
            local_authority=details.local_authority,
            young_people=details.young_people,
            contributor_category=details.contributor_category if session.is_consultation else "",
            status=status,
        )
        log.info("Booking %s on session %s: %s", booking.pk, session.pk, status)
        _after_commit(emails.STATUS_EMAILS[status], booking, base_url)
    return booking


def _check_window(session: Session, now) -> None:
    if session.cancelled:
        raise BookingRefused("This session has been cancelled.")
    if now < session.booking_opens_at:
        raise BookingRefused(
            f"Booking for this session opens on {_when(session.booking_opens_at)}."
        )
    if now >= session.booking_closes_at:
        raise BookingRefused(
            f"Booking for this session closed on {_when(session.booking_closes_at)}."
        )


def offer_free_places(session: Session, *, now=None, base_url=None) -> list[Booking]:
    """Offer each free place to the next waitlisted person, in booking order, skipping anyone
    whose organisation already holds its cap. Call with the session locked (inside one of
    the functions here, or after raising a session's capacity). Nothing is offered once the
    session has started or when it is cancelled."""
    now = now or timezone.now()
    if session.cancelled or now >= session.starts_at:
        return []
    live = session.bookings.filter(status__in=Booking.LIVE)
    free = session.capacity - live.filter(status__in=Booking.HOLDING_PLACE).count()
    offered = []
    for candidate in live.filter(status=Status.WAITLISTED).order_by("created_at", "pk"):
        if free <= 0:
            break
        if session.organisation_cap and (
            live.filter(
                status__in=Booking.HOLDING_PLACE, organisation_key=candidate.organisation_key
            ).count()
            >= session.organisation_cap
        ):
            continue
        candidate.status = Status.OFFERED
        candidate.offer_expires_at = min(session.offer_expiry(now), session.starts_at)
        candidate.save(update_fields=["status", "offer_expires_at", "updated_at"])
        log.info("Booking %s on session %s: place offered", candidate.pk, session.pk)
        _after_commit(emails.send_offer, candidate, base_url)
        offered.append(candidate)
        free -= 1
    return offered


def _reload_locked(booking: Booking) -> tuple[Session, Booking]:
    session = _locked(booking.session)
    return session, Booking.objects.select_related("session").get(pk=booking.pk)


def cancel(booking: Booking, *, by_coordinator=False, now=None, base_url=None) -> Booking:
    """Cancel a live booking. The person may do so until the session's cancellation
    cut-off; a coordinator at any time. A freed place is offered to the next person."""
    with transaction.atomic():
        session, booking = _reload_locked(booking)
        now = now or timezone.now()
        if not booking.is_live:
            raise BookingRefused("This booking is no longer active, so there is nothing to cancel.")
        if not by_coordinator and not session.may_cancel_by_link(now):
            raise BookingRefused(
                "The time to cancel online has passed "
                f"({_when(session.cancellation_cutoff)}). Please contact the training "
                "coordinator."
            )
        held_place = booking.holds_place
        booking.status = Status.CANCELLED
        booking.offer_expires_at = None
        booking.save(update_fields=["status", "offer_expires_at", "updated_at"])
        log.info("Booking %s on session %s: cancelled", booking.pk, session.pk)
        _after_commit(emails.send_cancelled, booking, base_url)
        if held_place:
            offer_free_places(session, now=now, base_url=base_url)
    return booking


def accept_offer(booking: Booking, *, now=None, base_url=None) -> Booking:
    """Take an offered place before the offer expires: confirmed (or awaiting approval where
    the session needs it). An expired offer is expired now and passed on, and refused."""
    with transaction.atomic():
        session, booking = _reload_locked(booking)
        now = now or timezone.now()
        if booking.status != Status.OFFERED:
            raise BookingRefused("There is no open offer of a place on this booking.")
        if booking.offer_expires_at <= now:
            _expire(session, booking, now, base_url)
        else:
            booking.status = (
                Status.PENDING_APPROVAL if session.requires_approval else Status.CONFIRMED
            )
            booking.offer_expires_at = None
            booking.save(update_fields=["status", "offer_expires_at", "updated_at"])
            log.info("Booking %s on session %s: offer accepted", booking.pk, session.pk)
            _after_commit(emails.STATUS_EMAILS[booking.status], booking, base_url)
            return booking
    raise BookingRefused(
        f"Sorry, this offer expired on {_when(booking.offer_expires_at)} and the place has "
        "been offered to the next person on the waitlist."
    )


def decline_offer(booking: Booking, *, now=None, base_url=None) -> Booking:
    """Turn down an offered place; it goes to the next person waiting."""
    with transaction.atomic():
        session, booking = _reload_locked(booking)
        if booking.status != Status.OFFERED:
            raise BookingRefused("There is no open offer of a place on this booking.")
        booking.status = Status.DECLINED
        booking.offer_expires_at = None
        booking.save(update_fields=["status", "offer_expires_at", "updated_at"])
        log.info("Booking %s on session %s: offer declined", booking.pk, session.pk)
        _after_commit(emails.send_cancelled, booking, base_url)
        offer_free_places(session, now=now, base_url=base_url)
    return booking


def _expire(session: Session, booking: Booking, now, base_url) -> None:
    booking.status = Status.EXPIRED
    booking.save(update_fields=["status", "updated_at"])
    log.info("Booking %s on session %s: offer expired", booking.pk, session.pk)
    offer_free_places(session, now=now, base_url=base_url)


def expire_offers(now=None, *, base_url=None) -> int:
    """Expire every offer past its time and offer those places on; returns how many expired.
    Cheap when there are none (one indexed query), so pages call it on every view."""
    now = now or timezone.now()
    stale = Booking.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    expired = 0
    for session_id in stale.values_list("session_id", flat=True).distinct():
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session_id)
            # Re-read under the lock: a concurrent call may have dealt with them already.
            for booking in stale.filter(session=session):
                _expire(session, booking, now, base_url)
                expired += 1
    return expired


def approve(booking: Booking, *, base_url=None) -> Booking:
    """A coordinator approves a booking awaiting approval: confirmed, and told so."""
    with transaction.atomic():
        session, booking = _reload_locked(booking)
        if booking.status != Status.PENDING_APPROVAL:
            raise BookingRefused("This booking is not awaiting approval.")
        booking.status = Status.CONFIRMED
        booking.save(update_fields=["status", "updated_at"])
        log.info("Booking %s on session %s: approved", booking.pk, session.pk)
        _after_commit(emails.send_confirmation, booking, base_url)
    return booking


def decline(booking: Booking, *, now=None, base_url=None) -> Booking:
    """A coordinator declines a booking awaiting approval: the person is told, and the place
    is offered to the next person waiting."""
    with transaction.atomic():
        session, booking = _reload_locked(booking)
        if booking.status != Status.PENDING_APPROVAL:
            raise BookingRefused("This booking is not awaiting approval.")
        booking.status = Status.DECLINED
        booking.save(update_fields=["status", "updated_at"])
        log.info("Booking %s on session %s: declined", booking.pk, session.pk)
        _after_commit(emails.send_declined, booking, base_url)
        offer_free_places(session, now=now, base_url=base_url)
    return booking


def send_reminders(now=None, *, base_url=None) -> int:
    """Remind everyone confirmed for a session starting within the next day, once each;
    returns how many were sent. Each booking is claimed (reminder_sent_at set) before its
    e-mail goes, so two runs at once never remind anyone twice."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__cancelled=False,
        session__starts_at__gt=now,
        session__starts_at__lte=now + REMINDER_WINDOW,
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        if Booking.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            if emails.deliver(emails.send_reminder, pk, base_url):
                sent += 1
            else:  # try again on the next run
                Booking.objects.filter(pk=pk).update(reminder_sent_at=None)
    return sent
