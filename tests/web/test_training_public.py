"""The public training pages: anyone, logged in or not, sees upcoming sessions and books;
a person's own booking page answers only to its secret token; e-mail links lead there and
change nothing until the person confirms with a POST."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from observatory.web.accounts.roles import Role
from observatory.web.training.models import Booking, Course, Session
from observatory.web.training.tokens import booking_path
from tests.web.test_training_booking import make_session

pytestmark = pytest.mark.django_db
Status = Booking.Status

FORM = {
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "organisation": "Acme Youth Trust",
    "job_role": "Youth worker",
    "sector": "youth_work",
    "local_authority": "E08000025",
    "young_people": "120",
}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the requests' on-commit work (the e-mails) as a real server would."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks


def post_booking(client, session, **changes):
    return client.post(reverse("training-book", args=[session.pk]), {**FORM, **changes})


def book(client, session, django_capture_on_commit_callbacks, **changes) -> Booking:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, session, **changes)
    assert response.status_code == 302, response.content.decode()
    token = response.url.rstrip("/").rsplit("/", 1)[1]
    return Booking.objects.get(token=token)


def test_listing_shows_upcoming_sessions_to_anyone(client):
    open_session = make_session(capacity=3, online_link="https://meet.example.org/x")
    full = make_session(capacity=1, starts_in=datetime.timedelta(days=9))
    Booking.objects.create(
        session=full, name="A", email="a@example.org", organisation="A", job_role="r",
        sector="sport", status=Status.CONFIRMED,
    )  # fmt: skip
    make_session(cancelled=True)
    make_session(starts_in=datetime.timedelta(days=-2))  # finished
    response = client.get(reverse("training"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<tr>") == 1 + 2
    assert "Full — join the waitlist" in page
    assert reverse("training-book", args=[open_session.pk]) in page
    assert "and online" in page
    assert "Log in" in page  # anonymous


def test_listing_filters_by_sector_audience(client):
    police = Course.objects.create(title="Stop and search with young people", audiences=["police"])
    everyone = Course.objects.create(title="Trauma-informed practice", audiences=[])
    for course in (police, everyone):
        make_session(course=course)
    for_education = client.get(reverse("training"), {"sector": "education"}).content.decode()
    assert "Trauma-informed practice" in for_education
    assert "Stop and search" not in for_education
    for_police = client.get(reverse("training"), {"sector": "police"}).content.decode()
    assert "Trauma-informed practice" in for_police and "Stop and search" in for_police
    nonsense = client.get(reverse("training"), {"sector": "<script>"})
    assert nonsense.status_code == 200 and "Stop and search" in nonsense.content.decode()


def test_booking_form_books_and_shows_the_result(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    session = make_session(capacity=1)
    form = client.get(reverse("training-book", args=[session.pk]))
    assert form.status_code == 200
    assert 'name="contributor_category"' not in form.content.decode()
    booking = book(client, session, django_capture_on_commit_callbacks)
    assert booking.status == Status.CONFIRMED and booking.young_people == 120
    assert booking.local_authority_id == "E08000025"
    page = client.get(booking_path(booking)).content.decode()
    assert "Your place is confirmed" in page and "Confirmed" in page
    other = book(client, session, django_capture_on_commit_callbacks, email="bo@example.org")
    assert other.status == Status.WAITLISTED
    assert "you are on the waitlist" in client.get(booking_path(other)).content.decode()
    assert len(mailoutbox) == 2
    link = re.search(r"http://testserver(/training/b/\S+/cancel/)", mailoutbox[0].body)[1]
    assert link == booking_path(booking, "cancel")


def test_errors_keep_what_was_typed(client):
    session = make_session()
    response = post_booking(client, session, email="not-an-address", sector="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Ada Lovelace"' in page and 'value="Acme Youth Trust"' in page
    assert 'aria-invalid="true"' in page
    assert not Booking.objects.exists()


def test_a_refusal_by_the_rules_is_explained_above_the_kept_form(client, committed):
    session = make_session(organisation_cap=1)
    assert post_booking(client, session).status_code == 302
    response = post_booking(
        client, session, email="bo@example.org", organisation="ACME YOUTH TRUST LTD"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 1 person from one organisation" in page
    assert 'value="bo@example.org"' in page


def test_consultations_ask_the_contributor_category_and_explain_payment(client, committed):
    session = make_session(kind=Session.Kind.CONSULTATION)
    page = client.get(reverse("training-book", args=[session.pk])).content.decode()
    assert 'name="contributor_category"' in page and "Paid for your time" in page
    missing = post_booking(client, session)
    assert missing.status_code == 400 and Booking.objects.count() == 0
    assert (
        post_booking(client, session, contributor_category="independent_academic").status_code
        == 302
    )
    assert Booking.objects.get().eligible_for_payment


def test_closed_cancelled_or_unknown_sessions(client):
    not_yet = make_session(booking_opens_at=timezone.now() + datetime.timedelta(days=1))
    page = client.get(reverse("training-book", args=[not_yet.pk])).content.decode()
    assert "Booking opens on" in page and '<form method="post"' not in page
    cancelled = make_session(cancelled=True)
    assert client.get(reverse("training-book", args=[cancelled.pk])).status_code == 404
    assert client.get(reverse("training-book", args=[99999])).status_code == 404
    assert post_booking(client, not_yet).status_code == 400


def test_token_pages_cancel_accept_and_decline(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    session = make_session(capacity=1)
    first = book(client, session, django_capture_on_commit_callbacks)
    second = book(client, session, django_capture_on_commit_callbacks, email="bo@example.org")
    cancel = booking_path(first, "cancel")
    asked = client.get(cancel)
    assert asked.status_code == 200 and "Yes, cancel my booking" in asked.content.decode()
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED  # following the link changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(cancel)
    assert done.status_code == 302 and done.url == booking_path(first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.CANCELLED, Status.OFFERED)
    offer = mailoutbox[-1]
    accept = re.search(r"http://testserver(/training/b/\S+/accept/)", offer.body)[1]
    assert accept == booking_path(second, "accept")
    offer_page = client.get(booking_path(second)).content.decode()
    assert "A place is yours if you want it" in offer_page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(accept)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED
    again = client.post(booking_path(second, "decline"), follow=True)
    assert "nothing to do" in again.content.decode()
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


def test_cancelling_after_the_cut_off_says_to_contact_the_coordinator(client, committed):
    session = make_session(cancellation_cutoff=timezone.now() - datetime.timedelta(minutes=1))
    booking = Booking.objects.create(
        session=session, name="A", email="a@example.org", organisation="A", job_role="r",
        sector="sport", status=Status.CONFIRMED,
    )  # fmt: skip
    page = client.get(booking_path(booking)).content.decode()
    assert "Please contact the training coordinator" in page
    response = client.post(booking_path(booking, "cancel"), follow=True)
    assert "contact the training coordinator" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_an_expired_offer_moves_on_when_a_page_is_viewed(client, committed):
    session = make_session(capacity=1)
    offered = Booking.objects.create(
        session=session, name="A", email="a@example.org", organisation="A", job_role="r",
        sector="sport", status=Status.OFFERED, offer_expires_at=timezone.now(),
    )  # fmt: skip
    waiting = Booking.objects.create(
        session=session, name="B", email="b@example.org", organisation="B", job_role="r",
        sector="sport", status=Status.WAITLISTED,
    )  # fmt: skip
    assert client.get(reverse("training")).status_code == 200
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert (offered.status, waiting.status) == (Status.EXPIRED, Status.OFFERED)


@pytest.mark.parametrize("suffix", ["", "cancel/", "accept/", "decline/"])
def test_unknown_tokens_are_not_found(client, suffix):
    session = make_session()
    Booking.objects.create(
        session=session, name="A", email="a@example.org", organisation="A", job_role="r",
        sector="sport", status=Status.CONFIRMED,
    )  # fmt: skip
    assert client.get(f"/training/b/guessed-token/{suffix}").status_code == 404
    if suffix:
        assert client.post(f"/training/b/guessed-token/{suffix}").status_code == 404


def test_tokens_are_long_random_and_distinct():
    session = make_session()
    tokens = {
        Booking.objects.create(
            session=session, name="A", email=f"{n}@example.org", organisation="A",
            job_role="r", sector="sport", status=Status.WAITLISTED,
        ).token
        for n in range(20)
    }  # fmt: skip
    assert len(tokens) == 20 and all(len(token) >= 40 for token in tokens)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_same_public_pages(client, partnership, role):
    session = make_session()
    client.force_login(partnership["users"][role])
    assert client.get(reverse("training")).status_code == 200
    assert client.get(reverse("training-book", args=[session.pk])).status_code == 200


def test_only_coordinators_get_the_link_to_manage_training(client, partnership):
    manage = reverse("training-manage")
    assert manage not in client.get(reverse("training")).content.decode()
    client.force_login(partnership["users"][Role.COORDINATOR])
    assert manage in client.get(reverse("training")).content.decode()
    client.force_login(partnership["users"][Role.PROVIDER])
    assert manage not in client.get(reverse("training")).content.decode()
