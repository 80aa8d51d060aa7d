"""Reach totals (accepted returns only, ages 24 and under and over, periods, pro-rata
amounts, completeness) and the commissioning lead's reach view (access, CSV, bad input)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from observatory.web.accounts.models import LocalAuthority
from observatory.web.accounts.roles import Role
from observatory.web.programmes import reach, services
from observatory.web.programmes.models import (
    Approach,
    FundingSource,
    Programme,
    QuarterlyReturn,
    ReturnBreakdown,
)
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.views_reach import REACH_HEADERS

Q1 = datetime.date(2025, 4, 1)
Q2 = datetime.date(2025, 7, 1)
Q3 = datetime.date(2025, 10, 1)
Q4 = datetime.date(2026, 1, 1)
LAST_YEAR_Q4 = datetime.date(2025, 1, 1)
WALSALL = "E08000030"


def make_programme(provider, admin, **changes) -> Programme:
    data = {
        "name": "Street sport nights",
        "description": "",
        "workstream": Programme.Workstream.SPORT,
        "commissioner": Programme.Commissioner.VRP,
        "funding_source": FundingSource.objects.get(name="Youth Justice Sport Fund"),
        "provider": provider,
        "amount": Decimal("36500.00"),
        "start_date": datetime.date(2025, 1, 1),
        "end_date": datetime.date(2026, 3, 31),
        "local_authorities": [LocalAuthority.objects.get(code=WALSALL)],
        "places": "",
        "min_age": None,
        "max_age": None,
        "needs": "",
        "approach": Approach.objects.get(name="Sport"),
        "status": Programme.Status.ACTIVE,
        "expected_quarterly_reach": 60,
    }
    return services.create_programme(data | changes, admin)


def make_return(programme, quarter_start, status, ages, *, trained=0, sessions=0, **fields):
    """A return with the given age breakdown (band: count); its headline is their sum."""
    participants = sum(ages.values())
    made = QuarterlyReturn.objects.create(
        programme=programme,
        quarter_start=quarter_start,
        status=status,
        participants_new=participants,
        professionals_trained=trained,
        sessions_delivered=sessions,
        hours_delivered=Decimal(sessions * 2),
        **fields,
    )
    for band, count in ages.items():
        ReturnBreakdown.objects.create(
            quarterly_return=made, dimension="age_band", category=band, count=count
        )
    ReturnBreakdown.objects.create(
        quarterly_return=made, dimension="local_authority", category=WALSALL, count=participants
    )
    return made


@pytest.fixture
def sport(partnership):
    admin = partnership["users"][Role.VRP_ADMIN]
    return make_programme(partnership["organisations"]["charity"], admin)


YEAR = reach.Period.financial_year(2025)
TODAY = datetime.date(2026, 11, 21)
S = QuarterlyReturn.Status


def totals_of(programmes, period=YEAR, today=TODAY):
    return reach.overall(reach.programme_reach(programmes, period, today))


# Totals


def test_only_accepted_returns_count(sport):
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 10}, trained=2, sessions=5)
    make_return(sport, Q2, S.DRAFT, {"15-17": 100})
    make_return(sport, Q3, S.SUBMITTED, {"15-17": 200})
    make_return(sport, Q4, S.QUERIED, {"15-17": 300})
    totals = totals_of(Programme.objects.all())
    assert totals["participants"] == 10
    assert totals["professionals_trained"] == 2
    assert totals["sessions"] == 5
    assert totals["hours"] == 10.0


def test_ages_24_and_under_over_24_and_not_known(sport):
    ages = {"0-9": 1, "10-14": 2, "15-17": 3, "18-24": 4, "25+": 6, "not_known": 5}
    make_return(sport, Q1, S.ACCEPTED, ages)
    totals = totals_of(Programme.objects.all())
    assert (totals["young"], totals["adults"], totals["age_not_known"]) == (10, 6, 5)
    assert totals["participants"] == 21


def test_period_is_a_financial_year_or_quarters(sport):
    make_return(sport, LAST_YEAR_Q4, S.ACCEPTED, {"15-17": 7})
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 10})
    make_return(sport, Q2, S.ACCEPTED, {"15-17": 20})
    programmes = Programme.objects.all()
    assert totals_of(programmes, reach.Period.financial_year(2024))["participants"] == 7
    assert totals_of(programmes, YEAR)["participants"] == 30
    span = reach.Period(Quarter(LAST_YEAR_Q4), Quarter(Q1))
    assert span.label == "2024-25 Q4 to 2025-26 Q1"
    assert totals_of(programmes, span)["participants"] == 17


def test_amount_is_pro_rata_by_days_in_the_period(sport):
    # 1 January 2025 to 31 March 2026 is 455 days, 365 of them in 2025-26.
    row = reach.programme_reach(Programme.objects.all(), YEAR, TODAY).row(0, named=True)
    assert row["amount"] == 36500
    assert row["amount_in_period"] == round(36500 * 365 / 455, 2)
    assert reach.pro_rata(1000, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), YEAR) == 0


def test_cost_per_participant_and_completeness(sport):
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 100})
    make_return(sport, Q2, S.SUBMITTED, {"15-17": 100})
    # On 15 November 2025 the returns for Q1 and Q2 are due; Q3's is not yet.
    row = reach.programme_reach(Programme.objects.all(), YEAR, datetime.date(2025, 11, 15)).row(
        0, named=True
    )
    assert (row["returns_accepted"], row["returns_due"]) == (1, 2)
    assert row["completeness"] == 0.5
    assert row["cost_per_participant"] == round(row["amount_in_period"] / 100, 2)


def test_totals_by_workstream_and_residence(partnership, sport):
    admin = partnership["users"][Role.VRP_ADMIN]
    health = make_programme(
        partnership["organisations"]["other_charity"],
        admin,
        name="Hospital navigators",
        workstream=Programme.Workstream.HEALTH,
    )
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 10})
    make_return(health, Q1, S.ACCEPTED, {"18-24": 4, "25+": 3})
    frame = reach.programme_reach(Programme.objects.all(), YEAR, TODAY)
    by = {r["workstream"]: r for r in reach.totals_by(frame, "workstream").iter_rows(named=True)}
    assert by["Sport"]["young"] == 10
    assert (by["Health"]["young"], by["Health"]["adults"]) == (4, 3)
    residence = reach.residence(Programme.objects.all(), YEAR)
    walsall = residence.filter(residence["code"] == WALSALL)["participants"][0]
    assert walsall == 17


def test_bad_periods_are_refused_with_a_sentence():
    with pytest.raises(Exception, match="starts"):
        reach.Period(Quarter(Q2), Quarter(Q1))
    with pytest.raises(Exception, match="financial year"):
        reach.parse_year("last year")


# The lead's view


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PARTNER, Role.PROVIDER, Role.COORDINATOR])
def test_only_leads_open_the_reach_view(client, partnership, role):
    client.force_login(partnership["users"][role])
    assert client.get(reverse("programmes-reach")).status_code == 403
    url = reverse("programmes-reach-csv", args=["workstream"])
    assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("programmes-reach"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_lead_sees_true_counts_and_the_caveat(client, partnership, sport):
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 3})
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    response = client.get(reverse("programmes-reach"), {"year": "2025-26"})
    assert response.status_code == 200
    page = response.content.decode()
    assert reach.CAVEAT in page
    assert "Training by the partnership" in page
    tables = response.context["tables"]
    programmes = tables["programmes"].rows
    first = [cell.text for cell in programmes[0]]
    assert first[:4] == ["Street sport nights", "Walsall Street Sport", "29,280", "3"]


def test_lead_csv_has_the_caveat_and_the_table(client, partnership, sport):
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 3, "25+": 9})
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    url = reverse("programmes-reach-csv", args=["workstream"])
    response = client.get(url, {"year": "2025-26"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert reach.CAVEAT in [row[0] for row in rows if row]
    header = rows.index(["Workstream", *[label for label, _ in REACH_HEADERS]])
    assert rows[header + 1][:5] == ["Sport", "1", "12", "3", "9"]
    assert rows[-1][0] == "All programmes"
    assert client.get(reverse("programmes-reach-csv", args=["nothing"])).status_code == 404


def test_lead_filters_by_quarters_and_bad_input_is_explained(client, partnership, sport):
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 10})
    make_return(sport, Q2, S.ACCEPTED, {"15-17": 20})
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    url = reverse("programmes-reach")
    response = client.get(url, {"from_quarter": "2025-26 Q2", "to_quarter": "2025-26 Q2"})
    assert response.context["totals"]["participants"] == 20
    response = client.get(url, {"from_quarter": "2025-26 Q2"})
    assert response.status_code == 400
    assert "Give both the first and the last quarter" in response.content.decode()
    response = client.get(url, {"from_quarter": "spring", "to_quarter": "2025-26 Q2"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a quarter" in page
    assert 'value="spring"' in page  # what was typed is shown back
    assert client.get(url, {"year": "1999-00"}).status_code == 400


def test_lead_filters_by_workstream(client, partnership, sport):
    admin = partnership["users"][Role.VRP_ADMIN]
    health = make_programme(
        partnership["organisations"]["other_charity"],
        admin,
        name="Hospital navigators",
        workstream=Programme.Workstream.HEALTH,
    )
    make_return(sport, Q1, S.ACCEPTED, {"15-17": 10})
    make_return(health, Q1, S.ACCEPTED, {"15-17": 40})
    client.force_login(admin)
    response = client.get(reverse("programmes-reach"), {"year": "2025-26", "workstream": "health"})
    assert response.context["totals"]["participants"] == 40
