"""The fair booking rules (observatory/web/training/booking.py): capacity then a waitlist in
booking order, offers when a place frees and their expiry, the per-organisation cap, approval,
the cancellation cut-off, the booking window, the reminder command, and the e-mails with
their calendar invitations parsed back."""

import datetime
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.utils import timezone
from icalendar import Calendar

from observatory.cli import app
from observatory.web.accounts.models import LocalAuthority
from observatory.web.training import booking as rules
from observatory.web.training.calendar import event_uid
from observatory.web.training.models import Booking, Course, Session, organisation_key
from observatory.web.training.tokens import booking_url

pytestmark = pytest.mark.django_db
Status = Booking.Status
HOUR = datetime.timedelta(hours=1)


def make_session(
    *, course=None, capacity=2, starts_in=datetime.timedelta(days=7), **fields
) -> Session:
    """A session a week from now, bookable now, cancellable until two days before."""
    course = (
        course
        or Course.objects.get_or_create(
            title="Preventing VAWG", defaults={"description": "An introduction, for all sectors."}
        )[0]
    )
    starts = timezone.now().replace(microsecond=0) + starts_in
    fields.setdefault("venue", "Council House, Victoria Square, Birmingham")
    fields.setdefault("booking_opens_at", starts - datetime.timedelta(days=30))
    fields.setdefault("booking_closes_at", starts - HOUR)
    fields.setdefault("cancellation_cutoff", starts - datetime.timedelta(days=2))
    return Session.objects.create(
        course=course, starts_at=starts, ends_at=starts + 3 * HOUR, capacity=capacity, **fields
    )


def details(name="Ada Lovelace", organisation=None, **fields) -> rules.BookingDetails:
    first = name.split()[0].lower()
    fields.setdefault("email", f"{first}@example.org")
    fields.setdefault("job_role", "Youth worker")
    fields.setdefault("sector", "youth_work")
    fields.setdefault("local_authority", LocalAuthority.objects.get(code="E08000025"))
    fields.setdefault("young_people", 40)
    return rules.BookingDetails(name=name, organisation=organisation or f"{name} Trust", **fields)


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """Call a rule as a request would: committed, so its e-mails go out."""

    def run(rule, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return rule(*args, **kwargs)

    return run


def statuses(session):
    return [b.status for b in session.bookings.order_by("created_at", "pk")]


def invitation(message) -> Calendar:
    [ics] = [a for a in message.attachments if a[0] == "invitation.ics"]
    assert ics[2].startswith("text/calendar")
    content_type = message.message().get_payload()[-1]["Content-Type"]
    assert content_type.count("charset") == 1 and "method=" in content_type
    return Calendar.from_ical(ics[1])


def test_organisation_keys_compare_spellings_of_one_organisation():
    assert organisation_key("Acme Ltd") == organisation_key("ACME limited") == "acme"
    assert organisation_key("The Acme Ltd.") == "acme"
    assert organisation_key("  Acme   Youth, C.I.C.  ") == organisation_key("acme youth cic")
    assert organisation_key("Acme") != organisation_key("Acme Youth")


def test_places_then_a_waitlist_in_booking_order(act, mailoutbox):
    session = make_session(capacity=2)
    for name in ["Ada One", "Bo Two", "Cy Three", "Di Four"]:
        act(rules.book, session, details(name))
    assert statuses(session) == [Status.CONFIRMED, Status.CONFIRMED] + [Status.WAITLISTED] * 2
    assert session.places_left() == 0
    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Booking confirmed",
        "Booking confirmed",
        "On the waitlist",
        "On the waitlist",
    ]
    assert [m.to for m in mailoutbox] == [[f"{n}@example.org"] for n in ["ada", "bo", "cy", "di"]]


def test_confirmation_has_a_calendar_invitation_and_a_working_cancel_link(act, mailoutbox):
    session = make_session(online_link="https://meet.example.org/vawg")
    booking = act(rules.book, session, details(), base_url="https://obs.example/")
    [message] = mailoutbox
    calendar = invitation(message)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == event_uid(booking)
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert "DTSTART:" in calendar.to_ical().decode() and "Z\r\n" in calendar.to_ical().decode()
    assert str(event["LOCATION"]).startswith("Council House, Victoria Square, Birmingham")
    assert str(event["SUMMARY"]) == "Preventing VAWG"
    assert str(event["ATTENDEE"]) == "mailto:ada@example.org"
    cancel = booking_url(booking, "cancel", "https://obs.example/")
    assert cancel == f"https://obs.example/training/b/{booking.token}/cancel/"
    assert cancel in message.body
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and cancel in html


def test_cancelling_offers_the_place_to_the_next_person_waiting(act, mailoutbox):
    session = make_session(capacity=1, offer_hours=24)
    first = act(rules.book, session, details("Ada One"))
    second = act(rules.book, session, details("Bo Two"))
    third = act(rules.book, session, details("Cy Three"))
    mailoutbox.clear()
    now = timezone.now()
    act(rules.cancel, first, now=now)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (Status.OFFERED, Status.WAITLISTED)
    assert second.offer_expires_at == now + datetime.timedelta(hours=24)
    cancelled, offer = mailoutbox
    assert cancelled.to == ["ada@example.org"] and invitation(cancelled)["METHOD"] == "CANCEL"
    assert offer.to == ["bo@example.org"]
    assert booking_url(second, "accept") in offer.body
    assert booking_url(second, "decline") in offer.body
    mailoutbox.clear()
    act(rules.accept_offer, second)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED and second.offer_expires_at is None
    [confirmation] = mailoutbox
    assert confirmation.to == ["bo@example.org"] and invitation(confirmation)["METHOD"] == "REQUEST"


def test_an_expired_offer_passes_to_the_next_person(act, mailoutbox):
    session = make_session(capacity=1, offer_hours=48)
    first = act(rules.book, session, details("Ada One"))
    second = act(rules.book, session, details("Bo Two"))
    third = act(rules.book, session, details("Cy Three"))
    act(rules.cancel, first)
    assert act(rules.expire_offers, timezone.now() + 47 * HOUR) == 0
    mailoutbox.clear()
    assert act(rules.expire_offers, timezone.now() + 49 * HOUR) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (Status.EXPIRED, Status.OFFERED)
    assert [m.to for m in mailoutbox] == [["cy@example.org"]]
    with pytest.raises(rules.BookingRefused, match="no open offer"):
        act(rules.accept_offer, second)


def test_accepting_too_late_expires_the_offer_and_says_so(act):
    session = make_session(capacity=1)
    first = act(rules.book, session, details("Ada One"))
    second = act(rules.book, session, details("Bo Two"))
    third = act(rules.book, session, details("Cy Three"))
    act(rules.cancel, first)
    with pytest.raises(rules.BookingRefused, match="expired"):
        act(rules.accept_offer, second, now=timezone.now() + 100 * HOUR)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (Status.EXPIRED, Status.OFFERED)


def test_declining_an_offer_passes_it_on(act):
    session = make_session(capacity=1)
    first = act(rules.book, session, details("Ada One"))
    second = act(rules.book, session, details("Bo Two"))
    third = act(rules.book, session, details("Cy Three"))
    act(rules.cancel, first)
    act(rules.decline_offer, second)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (Status.DECLINED, Status.OFFERED)


def test_nobody_jumps_the_waitlist_when_capacity_is_raised(act):
    session = make_session(capacity=1)
    act(rules.book, session, details("Ada One"))
    waiting = act(rules.book, session, details("Bo Two"))
    Session.objects.filter(pk=session.pk).update(capacity=2)
    session.refresh_from_db()
    late = act(rules.book, session, details("Cy Three"))
    assert late.status == Status.WAITLISTED
    act(rules.offer_free_places, session)
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_per_organisation_cap_compares_normalised_names(act):
    session = make_session(capacity=10, organisation_cap=1)
    first = act(rules.book, session, details("Ada One", organisation="Acme Ltd"))
    with pytest.raises(rules.BookingRefused, match="at most 1 person from one organisation"):
        act(rules.book, session, details("Bo Two", organisation="ACME limited"))
    assert act(rules.book, session, details("Cy Three", organisation="Acme Youth")).is_live
    act(rules.cancel, first)
    assert act(rules.book, session, details("Bo Two", organisation="the acme ltd")).is_live


def test_an_offer_skips_people_whose_organisation_is_at_its_cap(act):
    session = make_session(capacity=2, organisation_cap=1)
    leaving = [
        act(rules.book, session, details("Ada One", organisation="Brum Boxing")),
        act(rules.book, session, details("Bo Two", organisation="Walsall Street Sport")),
    ]
    first_acme = act(rules.book, session, details("Cy Three", organisation="Acme"))
    second_acme = act(rules.book, session, details("Di Four", organisation="ACME Ltd"))
    other = act(rules.book, session, details("Eve Five", organisation="Coventry Mentors"))
    for booking in leaving:
        act(rules.cancel, booking)
    assert statuses(session)[2:] == [Status.OFFERED, Status.WAITLISTED, Status.OFFERED]
    assert [first_acme.pk, second_acme.pk, other.pk] == [b.pk for b in session.bookings.all()[2:]]


def test_approval_holds_a_place_until_approved_or_declined(act, mailoutbox):
    session = make_session(capacity=1, requires_approval=True)
    pending = act(rules.book, session, details("Ada One"))
    waiting = act(rules.book, session, details("Bo Two"))
    assert (pending.status, waiting.status) == (Status.PENDING_APPROVAL, Status.WAITLISTED)
    assert mailoutbox[0].subject.startswith("Booking received")
    assert not mailoutbox[0].attachments
    mailoutbox.clear()
    act(rules.decline, pending)
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert (pending.status, waiting.status) == (Status.DECLINED, Status.OFFERED)
    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Booking not approved",
        "A place is free",
    ]
    act(rules.accept_offer, waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.PENDING_APPROVAL
    mailoutbox.clear()
    act(rules.approve, waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    [confirmation] = mailoutbox
    assert confirmation.subject.startswith("Booking confirmed") and invitation(confirmation)
    with pytest.raises(rules.BookingRefused, match="not awaiting approval"):
        act(rules.approve, waiting)


def test_cancelling_is_refused_after_the_cut_off_except_for_coordinators(act):
    session = make_session()
    booking = act(rules.book, session, details())
    after_cutoff = session.cancellation_cutoff + HOUR
    with pytest.raises(rules.BookingRefused, match="contact the training coordinator"):
        act(rules.cancel, booking, now=after_cutoff)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    act(rules.cancel, booking, now=after_cutoff, by_coordinator=True)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    with pytest.raises(rules.BookingRefused, match="no longer active"):
        act(rules.cancel, booking)


def test_booking_only_within_its_window_and_once_per_address(act):
    session = make_session()
    with pytest.raises(rules.BookingRefused, match="opens on"):
        act(rules.book, session, details(), now=session.booking_opens_at - HOUR)
    with pytest.raises(rules.BookingRefused, match="closed on"):
        act(rules.book, session, details(), now=session.booking_closes_at)
    act(rules.book, session, details(email="Ada@Example.org "))
    with pytest.raises(rules.BookingRefused, match="already has a booking"):
        act(rules.book, session, details(email="ada@example.org"))
    Session.objects.filter(pk=session.pk).update(cancelled=True)
    with pytest.raises(rules.BookingRefused, match="cancelled"):
        act(rules.book, session, details("Bo Two"))


def test_contributor_category_is_kept_for_consultations_only(act):
    consultation = make_session(kind=Session.Kind.CONSULTATION, hourly_rate=Decimal("25"))
    training = make_session()
    paid = act(rules.book, consultation, details(contributor_category="expert_by_experience"))
    staff = act(rules.book, consultation, details("Bo Two", contributor_category="statutory_body"))
    trainee = act(rules.book, training, details(contributor_category="expert_by_experience"))
    assert paid.eligible_for_payment and not staff.eligible_for_payment
    assert trainee.contributor_category == "" and not trainee.eligible_for_payment


def test_reminders_go_once_to_confirmed_people_for_sessions_within_a_day(act, mailoutbox):
    soon = make_session(capacity=1, starts_in=datetime.timedelta(hours=20))
    later = make_session(capacity=1, starts_in=datetime.timedelta(days=3))
    booked = act(rules.book, soon, details("Ada One"))
    act(rules.book, soon, details("Bo Two"))  # waitlisted: no reminder
    act(rules.book, later, details("Cy Three"))
    mailoutbox.clear()
    assert rules.send_reminders() == 1
    [reminder] = mailoutbox
    assert reminder.to == ["ada@example.org"] and reminder.subject.startswith("Reminder")
    assert str(invitation(reminder).walk("VEVENT")[0]["UID"]) == event_uid(booked)
    assert rules.send_reminders() == 0


def test_the_commands_expire_offers_and_send_reminders():
    session = make_session(capacity=1, starts_in=datetime.timedelta(hours=12))
    Booking.objects.create(
        session=session,
        name="Ada One",
        email="ada@example.org",
        organisation="Acme",
        job_role="Teacher",
        sector="education",
        status=Status.OFFERED,
        offer_expires_at=timezone.now() - HOUR,
    )
    Booking.objects.create(
        session=session,
        name="Bo Two",
        email="bo@example.org",
        organisation="Brum",
        job_role="Coach",
        sector="sport",
        status=Status.WAITLISTED,
    )
    runner = CliRunner()
    expired = runner.invoke(app, ["training", "expire-offers"])
    assert expired.exit_code == 0, expired.output
    assert expired.stdout == "1 offer expired.\n"
    assert statuses(session) == [Status.EXPIRED, Status.OFFERED]
    reminded = runner.invoke(app, ["training", "remind"])
    assert reminded.exit_code == 0 and reminded.stdout == "0 reminders sent.\n"


def test_no_personal_data_in_the_log(act, caplog):
    caplog.set_level("DEBUG", logger="observatory")
    session = make_session(capacity=1)
    first = act(rules.book, session, details("Ada Lovelace", organisation="Acme"))
    act(rules.book, session, details("Bo Two"))
    act(rules.cancel, first)
    assert caplog.records
    for text in ["Ada", "Lovelace", "ada@example.org", "Acme", "bo@example.org"]:
        assert text not in caplog.text
