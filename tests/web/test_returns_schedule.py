"""The lead's list of returns due: which quarters each programme owes, classified on fixed
days, and the page (counts, filters, links, leads only)."""

import datetime
import types

import pytest
from django.urls import reverse

from observatory.web.accounts.roles import Role
from observatory.web.programmes import returns, services, views_schedule
from observatory.web.programmes.models import Programme, QuarterlyReturn
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.schedule import (
    last_ended_quarter,
    owed_quarters,
    returns_of,
    schedule,
)
from tests.web.test_programmes import programme_data

Q1 = Quarter(datetime.date(2025, 4, 1))  # due 30 July 2025
Q2 = Quarter(datetime.date(2025, 7, 1))  # due 30 October 2025
Q3 = Quarter(datetime.date(2025, 10, 1))
day = datetime.date


@pytest.fixture
def programmes(partnership):
    admin = partnership["users"][Role.VRP_ADMIN]
    orgs = partnership["organisations"]
    own = services.create_programme(programme_data(orgs["charity"]), admin)
    other = services.create_programme(
        programme_data(
            orgs["other_charity"],
            name="Coventry mentoring",
            workstream=Programme.Workstream.EDUCATION,
        ),
        admin,
    )
    return {"own": own, "other": other}


def keys(owed_list):
    return [(owed.programme.name, owed.quarter.label) for owed in owed_list]


def with_status(programme, quarter, status):
    quarterly_return = returns.save_draft(programme, quarter, returns.Figures(), None)
    QuarterlyReturn.objects.filter(pk=quarterly_return.pk).update(status=status)


def test_last_ended_quarter_and_owed_quarters(programmes):
    assert last_ended_quarter(day(2025, 10, 1)) == Q2
    assert last_ended_quarter(day(2025, 9, 30)) == Q1
    assert owed_quarters(programmes["own"], day(2025, 6, 30)) == []
    assert owed_quarters(programmes["own"], day(2025, 11, 15)) == [Q1, Q2]
    # Nothing after the quarter the programme ends in, however late it is.
    assert len(owed_quarters(programmes["own"], day(2027, 1, 1))) == 4


@pytest.mark.parametrize(
    ("today", "due", "overdue"),
    [
        (day(2025, 7, 1), ["2025-26 Q1"], []),
        (day(2025, 7, 30), ["2025-26 Q1"], []),  # the due date itself is not late
        (day(2025, 7, 31), [], ["2025-26 Q1"]),
        (day(2025, 10, 15), ["2025-26 Q2"], ["2025-26 Q1"]),
        (day(2025, 11, 15), [], ["2025-26 Q1", "2025-26 Q2"]),
    ],
)
def test_unsubmitted_returns_are_due_then_overdue(programmes, today, due, overdue):
    lists = schedule(Programme.objects.filter(pk=programmes["own"].pk), today)
    assert [owed.quarter.label for owed in lists.due] == due
    assert [owed.quarter.label for owed in lists.overdue] == overdue


def test_days_overdue_and_a_draft_counts_as_not_submitted(programmes):
    returns.save_draft(programmes["own"], Q1, returns.Figures(), None)
    lists = schedule(Programme.objects.filter(pk=programmes["own"].pk), day(2025, 8, 9))
    (owed,) = lists.overdue
    assert owed.days_overdue == 10
    assert owed.status_label == "Draft"
    assert owed.path == reverse("returns-edit", args=[programmes["own"].pk, "2025-04-01"])


def test_each_status_lands_in_its_list(programmes):
    own, other = programmes["own"], programmes["other"]
    with_status(own, Q1, QuarterlyReturn.Status.ACCEPTED)
    with_status(own, Q2, QuarterlyReturn.Status.SUBMITTED)
    with_status(other, Q1, QuarterlyReturn.Status.QUERIED)
    lists = schedule(Programme.objects.all(), day(2025, 10, 15))
    assert keys(lists.submitted) == [("Street sport nights", "2025-26 Q2")]
    assert keys(lists.queried) == [("Coventry mentoring", "2025-26 Q1")]
    assert keys(lists.due) == [("Coventry mentoring", "2025-26 Q2")]
    assert keys(lists.overdue) == []


@pytest.mark.parametrize(
    ("status", "owes"),
    [
        (Programme.Status.ACTIVE, True),
        (Programme.Status.ENDED, True),
        (Programme.Status.PLANNED, False),
        (Programme.Status.CANCELLED, False),
    ],
)
def test_only_running_or_ended_programmes_owe_returns(programmes, status, owes):
    Programme.objects.filter(pk=programmes["own"].pk).update(status=status)
    lists = schedule(Programme.objects.filter(pk=programmes["own"].pk), day(2025, 11, 15))
    assert bool(lists.overdue) == owes


# The page


@pytest.fixture
def on_day(monkeypatch):
    def set_today(today):
        monkeypatch.setattr(
            views_schedule, "timezone", types.SimpleNamespace(localdate=lambda: today)
        )

    return set_today


def test_the_lead_sees_counts_tables_and_links(client, partnership, programmes, on_day):
    on_day(day(2025, 10, 15))
    with_status(programmes["other"], Q1, QuarterlyReturn.Status.SUBMITTED)
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    response = client.get(reverse("returns-due"))
    assert response.status_code == 200
    sections = {key: owed for key, _, _, owed in response.context["sections"]}
    assert keys(sections["overdue"]) == [("Street sport nights", "2025-26 Q1")]
    assert len(sections["due"]) == 2
    assert keys(sections["submitted"]) == [("Coventry mentoring", "2025-26 Q1")]
    assert sections["queried"] == []
    page = response.content.decode()
    assert "Overdue: <strong>1</strong>" in page
    assert "Due: <strong>2</strong>" in page
    assert 'class="number">Days overdue</th>' in page
    assert reverse("returns-edit", args=[programmes["own"].pk, "2025-04-01"]) in page
    assert '<td class="number">77</td>' in page  # 30 July to 15 October


@pytest.mark.parametrize(
    ("query", "programme_names"),
    [
        ({"workstream": "education"}, {"Coventry mentoring"}),
        ({"workstream": "sport"}, {"Street sport nights"}),
        ({"provider": "charity"}, {"Street sport nights"}),
        ({"workstream": "not-a-workstream"}, {"Street sport nights", "Coventry mentoring"}),
    ],
)
def test_the_list_filters_by_provider_and_workstream(
    client, partnership, programmes, on_day, query, programme_names
):
    on_day(day(2025, 11, 15))
    if "provider" in query:
        query = {"provider": partnership["organisations"][query["provider"]].pk}
    client.force_login(partnership["users"][Role.VRP_ADMIN])
    response = client.get(reverse("returns-due"), query)
    assert response.status_code == 200
    overdue = dict((key, owed) for key, _, _, owed in response.context["sections"])["overdue"]
    assert {owed.programme.name for owed in overdue} == programme_names


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.ANALYST, Role.PARTNER, Role.COORDINATOR])
def test_only_leads_see_the_due_list(client, partnership, programmes, role):
    client.force_login(partnership["users"][role])
    assert client.get(reverse("returns-due")).status_code == 403


def test_the_due_list_needs_a_login(client, programmes):
    response = client.get(reverse("returns-due"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_returns_of_lists_owed_quarters_and_stored_returns_of_a_cancelled_programme(programmes):
    own = programmes["own"]
    owed = returns_of(Programme.objects.filter(pk=own.pk), day(2025, 10, 15))
    assert [(row.quarter, row.status, row.owed) for row in owed] == [
        (Q1, "not_started", True),
        (Q2, "not_started", True),
    ]
    assert owed[0].overdue and not owed[1].overdue
    with_status(own, Q1, QuarterlyReturn.Status.ACCEPTED)
    Programme.objects.filter(pk=own.pk).update(status=Programme.Status.CANCELLED)
    cancelled = returns_of(Programme.objects.filter(pk=own.pk), day(2025, 10, 15))
    # A cancelled programme owes nothing more, but its accepted return stays listed.
    assert [(row.quarter, row.status, row.owed) for row in cancelled] == [(Q1, "accepted", False)]
    assert keys(schedule(Programme.objects.filter(pk=own.pk), day(2025, 10, 15)).overdue) == []
