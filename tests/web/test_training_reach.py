"""Reach of training: professionals trained per financial year by course, sector and local
authority, and the estimated indirect reach as a range."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observatory.web.accounts.models import LocalAuthority
from observatory.web.accounts.roles import Role
from observatory.web.training import reach
from observatory.web.training.models import Course, Session
from tests.web.test_training_manage import make_booking

pytestmark = pytest.mark.django_db

FY = reach.financial_year(datetime.date(2025, 6, 1))


def session_on(day: datetime.date, title: str) -> Session:
    course, _ = Course.objects.get_or_create(title=title)
    starts = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        venue="Hall",
        capacity=50,
        booking_opens_at=starts - datetime.timedelta(days=30),
        booking_closes_at=starts - datetime.timedelta(hours=1),
        cancellation_cutoff=starts - datetime.timedelta(days=1),
    )


@pytest.fixture
def year(db):
    birmingham = LocalAuthority.objects.get(code="E08000025")
    vawg = session_on(datetime.date(2025, 5, 10), "Preventing VAWG")
    boys = session_on(datetime.date(2026, 2, 3), "Working with young men and boys")
    before = session_on(datetime.date(2025, 3, 31), "Preventing VAWG")  # previous year
    make_booking(vawg, "Ada One", attendance="attended", young_people=100,
                 local_authority=birmingham, sector="education")  # fmt: skip
    make_booking(boys, "Ada One", attendance="attended", young_people=120,
                 local_authority=birmingham, sector="education")  # fmt: skip
    make_booking(vawg, "Ben Two", attendance="attended", young_people=30, sector="sport")
    make_booking(boys, "Cat Three", attendance="attended", young_people=None, sector="sport")
    make_booking(vawg, "Dan Four", attendance="no_show", young_people=900)
    make_booking(before, "Eve Five", attendance="attended", young_people=500)


def test_financial_years():
    assert reach.Period(datetime.date(2025, 4, 1), datetime.date(2026, 4, 1), "2025-26") == FY
    assert reach.financial_year(datetime.date(2026, 3, 31)).label == "2025-26"
    assert reach.financial_year(datetime.date(2026, 4, 1)).label == "2026-27"
    assert reach.financial_year_named("2025-26") == FY
    assert reach.financial_year_named("2025-27") is None
    assert reach.financial_year_named("nonsense") is None


def test_trained_professionals(year):
    trained = reach.trained_professionals(FY)
    assert trained.total == 3  # Ada counts once; Dan did not come; Eve is last year
    assert dict(trained.by_course) == {"Preventing VAWG": 2, "Working with young men and boys": 2}
    assert dict(trained.by_sector) == {"Sport": 2, "Education": 1}
    assert dict(trained.by_local_authority) == {"Outside the region": 2, "Birmingham": 1}


def test_indirect_reach_is_a_range(year):
    estimate = reach.indirect_reach(FY)
    # Ada's latest answer (120) and Ben's 30; Cat did not say.
    assert (estimate.trained, estimate.answered, estimate.unanswered) == (3, 2, 1)
    assert estimate.total == 150
    assert estimate.upper == 225  # 150 scaled from 2 answers to 3 people


def test_nobody_trained_means_no_estimate(db):
    estimate = reach.indirect_reach(FY)
    assert (estimate.trained, estimate.total, estimate.upper) == (0, 0, 0)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        (Role.VRP_ADMIN, 200),
        (Role.PARTNER, 200),
        (Role.ANALYST, 200),
        (Role.PROVIDER, 403),
    ],
)
def test_reach_page_for_coordinators_and_partners(client, partnership, year, role, status):
    client.force_login(partnership["users"][role])
    response = client.get(reverse("training-manage-reach"), {"year": "2025-26"})
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "Professionals trained: 3" in text
        assert "An estimate, not a count." in text
        assert "<strong>150 to 225</strong>" in text
        assert "Ada One" not in text  # aggregates only


def test_an_unknown_year_shows_the_current_one(client, partnership, year):
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.get(reverse("training-manage-reach"), {"year": "1066-67"})
    assert response.status_code == 200
    assert response.context["period"] == reach.financial_year()
