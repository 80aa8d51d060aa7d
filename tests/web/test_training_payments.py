"""The consultation payment list: eligible attendees with hours, rate and amount; the
excluded categories and non-attendees never appear."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from observatory.web.accounts.roles import Role
from observatory.web.training import payments
from observatory.web.training.models import Session
from tests.web.test_training_manage import consultation, make_booking, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def focus_group():
    """A consultation group at £25 an hour with one person of every kind."""
    session = consultation(days=-2, hours=2)
    people = [
        ("Ada Expert", "expert_by_experience", "attended", "2"),
        ("Ben Independent", "independent_practitioner", "attended", "1.5"),
        ("Cat Grassroots", "grassroots_or_small_charity", "attended", "2"),
        ("Dan Academic", "independent_academic", "attended", "2"),
        ("Eve Funded", "large_funded_organisation", "attended", "2"),
        ("Fay Statutory", "statutory_body", "attended", "2"),
        ("Gus Absent", "expert_by_experience", "no_show", None),
        ("Hal Unrecorded", "expert_by_experience", "unknown", None),
    ]
    for name, category, attendance, hours in people:
        make_booking(
            session,
            name,
            contributor_category=category,
            attendance=attendance,
            hours_attended=Decimal(hours) if hours else None,
        )
    return session


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_payment_list_pays_only_eligible_attendees(client, partnership, focus_group):
    client.force_login(partnership["users"][Role.COORDINATOR])
    response = client.get(reverse("training-manage-session-payments", args=[focus_group.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    listed = rows(response)
    assert [row["name"] for row in listed] == [
        "Ada Expert", "Ben Independent", "Cat Grassroots", "Dan Academic",
    ]  # fmt: skip
    text = response.content.decode()
    for absent in ["Eve Funded", "Fay Statutory", "Gus Absent", "Hal Unrecorded"]:
        assert absent not in text
    ben = listed[1]
    assert (ben["hours"], ben["hourly rate (GBP)"], ben["amount (GBP)"]) == (
        "1.50",
        "25.00",
        "37.50",
    )
    assert ben["category"] == "Self-employed independent practitioner"


def test_training_sessions_and_unpaid_groups_have_empty_lists(focus_group):
    training = make_session(days=-2)
    make_booking(training, "Ada Expert", contributor_category="expert_by_experience",
                 attendance="attended", hours_attended=Decimal(2))  # fmt: skip
    unpaid = consultation(days=-3, hourly_rate=None)
    make_booking(unpaid, "Ada Expert", contributor_category="expert_by_experience",
                 attendance="attended", hours_attended=Decimal(2))  # fmt: skip
    assert payments.payments(Session.objects.filter(pk__in=[training.pk, unpaid.pk])) == []


def test_payments_for_a_period(client, partnership, focus_group):
    later = consultation(days=40)
    make_booking(later, "Ivy Later", contributor_category="expert_by_experience",
                 attendance="attended", hours_attended=Decimal(1))  # fmt: skip
    day = timezone.localdate(focus_group.starts_at)
    client.force_login(partnership["users"][Role.COORDINATOR])
    url = reverse("training-manage-payments")
    response = client.get(url, {"start": day.isoformat(), "end": day.isoformat()})
    assert next(row["name"] for row in rows(response)) == "Ada Expert"
    assert "Ivy Later" not in response.content.decode()
    bad = client.get(url, {"start": "2026-05-01", "end": "2026-04-01"})
    assert bad.status_code == 400
    assert "The end date must be on or after the start date." in bad.content.decode()
    assert client.get(url).status_code == 200


def test_formulas_typed_by_the_public_are_not_formulas(focus_group):
    make_booking(focus_group, "=HYPERLINK(1)", email="x@example.org",
                 contributor_category="expert_by_experience", attendance="attended",
                 hours_attended=Decimal(1))  # fmt: skip
    text = payments.to_csv(payments.payments(Session.objects.filter(pk=focus_group.pk)))
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize("role", [Role.PARTNER, Role.PROVIDER, Role.ANALYST])
def test_others_cannot_download_payments(client, partnership, focus_group, role):
    client.force_login(partnership["users"][role])
    url = reverse("training-manage-session-payments", args=[focus_group.pk])
    assert client.get(url).status_code == 403
