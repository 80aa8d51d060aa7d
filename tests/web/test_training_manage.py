"""Coordinators' course and session pages: access for every role, forms, bookings by status
with no-show history, approval."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from observatory.web.accounts.roles import Role
from observatory.web.training import payments, reach
from observatory.web.training.demo import ensure_demo_training
from observatory.web.training.models import Booking, Course, Feedback, Session

pytestmark = pytest.mark.django_db


def make_course(title="Preventing VAWG", **fields) -> Course:
    fields.setdefault("learning_outcomes", "Recognise the signs\nKnow where to refer")
    return Course.objects.get_or_create(title=title, defaults=fields)[0]


def make_session(course=None, *, days=7, hours=3, capacity=10, **fields) -> Session:
    """A session `days` from now (negative: in the past) lasting `hours`."""
    course = course or make_course()
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        venue="Council House, Birmingham",
        capacity=capacity,
        booking_opens_at=starts - datetime.timedelta(days=60),
        booking_closes_at=starts - datetime.timedelta(hours=1),
        cancellation_cutoff=starts - datetime.timedelta(days=1),
        **fields,
    )


def make_booking(session, name="Ada Lovelace", **fields) -> Booking:
    fields.setdefault("email", f"{name.split()[0].lower()}@example.org")
    fields.setdefault("organisation", "Acme Youth Trust")
    fields.setdefault("job_role", "Youth worker")
    fields.setdefault("sector", "youth_work")
    fields.setdefault("status", Booking.Status.CONFIRMED)
    return Booking.objects.create(session=session, name=name, **fields)


def consultation(**fields) -> Session:
    fields.setdefault("hourly_rate", Decimal("25.00"))
    return make_session(kind=Session.Kind.CONSULTATION, **fields)


MANAGE_PAGES = [
    ("training-manage", lambda s: []),
    ("training-manage-course-create", lambda s: []),
    ("training-manage-course", lambda s: [s.course.pk]),
    ("training-manage-course-edit", lambda s: [s.course.pk]),
    ("training-manage-session-create", lambda s: [s.course.pk]),
    ("training-manage-session", lambda s: [s.pk]),
    ("training-manage-session-edit", lambda s: [s.pk]),
    ("training-manage-register", lambda s: [s.pk]),
    ("training-manage-session-payments", lambda s: [s.pk]),
    ("training-manage-payments", lambda s: []),
]


@pytest.mark.parametrize(("name", "args"), MANAGE_PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_only_training_managers_open_coordinator_pages(client, partnership, role, name, args):
    session = make_session()
    client.force_login(partnership["users"][role])
    response = client.get(reverse(name, args=args(session)))
    allowed = role in (Role.COORDINATOR, Role.VRP_ADMIN)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("name", "args"), MANAGE_PAGES)
def test_anonymous_people_are_sent_to_log_in(client, name, args):
    session = make_session()
    response = client.get(reverse(name, args=args(session)))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "training-manage-course",
        "training-manage-course-edit",
        "training-manage-session-create",
        "training-manage-session",
        "training-manage-session-edit",
        "training-manage-register",
        "training-manage-session-payments",
    ],
)
def test_guessed_ids_are_not_found(client, partnership, name):
    client.force_login(partnership["users"][Role.COORDINATOR])
    assert client.get(reverse(name, args=[9999])).status_code == 404


def test_approve_and_decline_need_the_capability_and_a_real_booking(client, partnership):
    booking = make_booking(make_session(), status=Booking.Status.PENDING_APPROVAL)
    client.force_login(partnership["users"][Role.PARTNER])
    assert client.post(reverse("training-manage-approve", args=[booking.pk])).status_code == 403
    client.force_login(partnership["users"][Role.COORDINATOR])
    assert client.post(reverse("training-manage-approve", args=[9999])).status_code == 404
    assert client.get(reverse("training-manage-approve", args=[booking.pk])).status_code == 405


def test_create_a_course_then_a_consultation_session(client, partnership):
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.post(
        reverse("training-manage-course-create"),
        {
            "title": "Voices of young people",
            "description": "A focus group.",
            "audiences": ["youth_work", "education"],
            "delivery_partner": "H.O.P.E",
            "learning_outcomes": "Shape the strategy",
        },
    )
    course = Course.objects.get(title="Voices of young people")
    assert response.status_code == 302
    assert course.audiences == ["education", "youth_work"]
    response = client.post(
        reverse("training-manage-session-create", args=[course.pk]),
        {
            "kind": "consultation",
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T12:30",
            "venue": "",
            "online_link": "https://meet.example.org/focus",
            "capacity": "12",
            "facilitators": "Sam Okafor",
            "booking_opens_at": "2030-03-01T09:00",
            "booking_closes_at": "2030-04-30T17:00",
            "cancellation_cutoff": "2030-04-29T17:00",
            "requires_approval": "on",
            "organisation_cap": "2",
            "hourly_rate": "30.00",
            "offer_hours": "24",
        },
    )
    session = course.sessions.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training-manage-session", args=[session.pk])
    assert session.is_consultation and session.requires_approval
    assert (session.organisation_cap, session.hourly_rate, session.offer_hours) == (
        2,
        Decimal("30.00"),
        24,
    )
    assert timezone.localtime(session.starts_at).hour == 10  # UK time as typed


def test_a_bad_session_is_refused_with_reasons_and_nothing_typed_is_lost(client, partnership):
    course = make_course()
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.post(
        reverse("training-manage-session-create", args=[course.pk]),
        {
            "kind": "training",
            "starts_at": "2030-05-01T10:00",
            "ends_at": "2030-05-01T09:00",
            "venue": "",
            "capacity": "0",
            "facilitators": "Jo Bloggs the facilitator",
            "booking_opens_at": "2030-03-01T09:00",
            "booking_closes_at": "2030-04-30T17:00",
            "cancellation_cutoff": "2030-04-29T17:00",
            "hourly_rate": "20",
            "offer_hours": "48",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Jo Bloggs the facilitator" in page
    assert "Ensure this value is greater than or equal to 1" in page
    assert not course.sessions.exists()


def test_session_errors_from_the_model_are_shown(client, partnership):
    course = make_course()
    client.force_login(partnership["users"][Role.COORDINATOR])
    data = {
        "kind": "training",
        "starts_at": "2030-05-01T10:00",
        "ends_at": "2030-05-01T09:00",
        "venue": "",
        "capacity": "5",
        "booking_opens_at": "2030-03-01T09:00",
        "booking_closes_at": "2030-04-30T17:00",
        "cancellation_cutoff": "2030-04-29T17:00",
        "hourly_rate": "20",
        "offer_hours": "48",
    }
    page = client.post(reverse("training-manage-session-create", args=[course.pk]), data)
    text = page.content.decode()
    assert "The session must end after it starts." in text
    assert "Give a venue, an online link, or both." in text
    assert "Only consultation groups pay contributors." in text


def test_edit_a_course(client, partnership):
    course = make_course()
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    response = client.post(
        reverse("training-manage-course-edit", args=[course.pk]),
        {"title": "Preventing VAWG: the basics", "learning_outcomes": "One"},
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Preventing VAWG: the basics"


def test_bookings_page_groups_by_status_and_shows_no_show_history(client, partnership):
    earlier = make_session(days=-30)
    make_booking(earlier, "Ada Lovelace", attendance=Booking.Attendance.NO_SHOW)
    make_booking(make_session(days=-60), "Ada Lovelace", attendance=Booking.Attendance.NO_SHOW)
    session = make_session(capacity=2)
    make_booking(session, "Ada Lovelace")
    make_booking(session, "Grace Hopper", status=Booking.Status.PENDING_APPROVAL)
    make_booking(session, "Alan Turing", status=Booking.Status.WAITLISTED)
    make_booking(session, "Mary Somerville", status=Booking.Status.CANCELLED)
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.get(reverse("training-manage-session", args=[session.pk]))
    groups = {label: [b.name for b in bookings] for label, bookings in response.context["groups"]}
    assert groups["Confirmed"] == ["Ada Lovelace"]
    assert groups["Awaiting approval"] == ["Grace Hopper"]
    assert groups["Waitlist, in order"] == ["Alan Turing"]
    assert groups["Cancelled, declined or expired"] == ["Mary Somerville"]
    ada = response.context["groups"][0][1][0]
    assert ada.no_shows == 2
    assert b'Approve<span class="visually-hidden"> Grace Hopper' in response.content


def test_approve_and_decline_call_the_booking_rules(client, partnership, mailoutbox):
    session = make_session(requires_approval=True)
    grace = make_booking(session, "Grace Hopper", status=Booking.Status.PENDING_APPROVAL)
    alan = make_booking(session, "Alan Turing", status=Booking.Status.PENDING_APPROVAL)
    client.force_login(partnership["users"][Role.COORDINATOR])
    with_commit = client.post(reverse("training-manage-approve", args=[grace.pk]), follow=True)
    assert "Approved the booking of Grace Hopper" in with_commit.content.decode()
    client.post(reverse("training-manage-decline", args=[alan.pk]))
    grace.refresh_from_db()
    alan.refresh_from_db()
    assert (grace.status, alan.status) == (Booking.Status.CONFIRMED, Booking.Status.DECLINED)
    again = client.post(reverse("training-manage-approve", args=[alan.pk]), follow=True)
    assert "no longer awaiting approval" in again.content.decode()


def test_overview_lists_upcoming_sessions_and_courses(client, partnership):
    make_session(days=-10, course=make_course("Old course"))
    upcoming = make_session(course=make_course("Trauma-informed practice"))
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.get(reverse("training-manage"))
    assert list(response.context["upcoming"]) == [upcoming]
    assert b"Old course" in response.content


def test_the_demo_year_is_complete_deterministic_and_added_once():
    today = timezone.localdate()
    assert ensure_demo_training(today) is True
    assert ensure_demo_training(today) is False
    counts = (Course.objects.count(), Session.objects.count(), Booking.objects.count())
    assert counts[0] == 5 and counts[1] > 30 and counts[2] > 600
    upcoming = Session.objects.filter(starts_at__gt=timezone.now())
    assert any(s.places_left() > 0 for s in upcoming)
    full = [s for s in upcoming if s.bookings.filter(status="waitlisted").exists()]
    assert len(full) == 1 and full[0].places_left() == 0
    assert Booking.objects.filter(status="pending_approval").exists()
    assert Booking.objects.filter(attendance="no_show").exists()
    assert reach.trained_professionals(reach.financial_year(today)).total > 100
    paid = payments.payments(Session.objects.filter(kind=Session.Kind.CONSULTATION))
    assert paid and all(p.booking.eligible_for_payment for p in paid)
    assert all(b.email.endswith("@example.org") for b in Booking.objects.all())
    first = sorted(Booking.objects.values_list("email", "status", "attendance"))
    Booking.objects.all().delete()
    Feedback.objects.all().delete()
    Session.objects.all().delete()
    Course.objects.all().delete()
    ensure_demo_training(today)
    assert sorted(Booking.objects.values_list("email", "status", "attendance")) == first
