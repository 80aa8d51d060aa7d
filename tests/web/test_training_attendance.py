"""The attendance register: marks, hours for consultation groups, no-show history, and the
feedback e-mail sent once to the newly attended."""

from decimal import Decimal

import pytest
from django.urls import reverse

from observatory.web.accounts.roles import Role
from observatory.web.training import attendance
from observatory.web.training.models import Booking
from tests.web.test_training_manage import consultation, make_booking, make_session

pytestmark = pytest.mark.django_db


def register_url(session):
    return reverse("training-manage-register", args=[session.pk])


def test_register_lists_confirmed_bookings_only(client, partnership):
    session = make_session()
    make_booking(session, "Ada Lovelace")
    make_booking(session, "Alan Turing", status=Booking.Status.WAITLISTED)
    make_booking(session, "Mary Somerville", status=Booking.Status.CANCELLED)
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.get(register_url(session))
    assert [b.name for b in response.context["form"].bookings] == ["Ada Lovelace"]
    assert b"Attendance of Ada Lovelace" in response.content  # each radio group is named


def test_marking_attended_sends_the_feedback_link_once(client, partnership, mailoutbox):
    session = make_session(days=-1)
    ada = make_booking(session, "Ada Lovelace")
    alan = make_booking(session, "Alan Turing")
    client.force_login(partnership["users"][Role.COORDINATOR])
    data = {f"attendance_{ada.pk}": "attended", f"attendance_{alan.pk}": "no_show"}
    response = client.post(register_url(session), data, follow=True)
    assert "1 newly attended person was sent the feedback link" in response.content.decode()
    ada.refresh_from_db()
    alan.refresh_from_db()
    assert (ada.attendance, alan.attendance) == ("attended", "no_show")
    assert ada.hours_attended is None  # hours are for consultation groups only
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]
    link = reverse("training-feedback", args=[ada.token])
    assert f"http://testserver{link}" in mailoutbox[0].body
    client.post(register_url(session), data)
    assert len(mailoutbox) == 1  # saving again sends nothing new


def test_consultation_hours_default_to_the_session_length(client, partnership):
    session = consultation(hours=2.5)
    ada = make_booking(session, "Ada Lovelace")
    alan = make_booking(session, "Alan Turing")
    client.force_login(partnership["users"][Role.COORDINATOR])
    page = client.get(register_url(session))
    assert page.context["form"][f"hours_{ada.pk}"].initial == Decimal("2.50")
    client.post(
        register_url(session),
        {
            f"attendance_{ada.pk}": "attended",
            f"hours_{ada.pk}": "",
            f"attendance_{alan.pk}": "attended",
            f"hours_{alan.pk}": "1.5",
        },
    )
    ada.refresh_from_db()
    alan.refresh_from_db()
    assert (ada.hours_attended, alan.hours_attended) == (Decimal("2.50"), Decimal("1.50"))


def test_impossible_hours_are_refused_and_nothing_is_saved(client, partnership):
    session = consultation(hours=2)
    ada = make_booking(session, "Ada Lovelace")
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.post(
        register_url(session), {f"attendance_{ada.pk}": "attended", f"hours_{ada.pk}": "9"}
    )
    assert response.status_code == 400
    assert "less than or equal to 2.00" in response.content.decode()
    ada.refresh_from_db()
    assert ada.attendance == "unknown"


def test_a_missing_mark_is_an_error_not_a_crash(client, partnership):
    session = make_session()
    make_booking(session, "Ada Lovelace")
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.post(register_url(session), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_no_show_counts_are_by_email_across_sessions():
    first, second = make_session(days=-20), make_session(days=-10)
    make_booking(first, "Ada Lovelace", attendance="no_show")
    make_booking(second, "Ada Lovelace", attendance="no_show")
    make_booking(second, "Alan Turing", attendance="attended")
    counts = attendance.no_show_counts(["ada@example.org", "alan@example.org"])
    assert counts == {"ada@example.org": 2}


def test_a_no_show_has_no_hours():
    session = consultation()
    ada = make_booking(session, "Ada Lovelace", attendance="attended", hours_attended=3)
    assert attendance.record(ada, "no_show") is False
    ada.refresh_from_db()
    assert ada.hours_attended is None
    with pytest.raises(ValueError, match="unknown attendance"):
        attendance.record(ada, "maybe")
