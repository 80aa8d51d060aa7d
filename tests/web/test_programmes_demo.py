"""The demo programmes and returns: idempotent, deterministic, every accepted or submitted
return passes the checks, every status of the workflow is shown, some returns are late, and
the demo provider owns programmes in the states the browser test and a newcomer need."""

import dataclasses
import datetime

import pytest

from observatory.errors import ObservatoryError
from observatory.web.accounts.demo import ensure_demo_accounts
from observatory.web.accounts.models import User
from observatory.web.programmes import categories, returns
from observatory.web.programmes.demo import DEMO_PROVIDER, SPECS, ensure_demo_programmes
from observatory.web.programmes.models import (
    Programme,
    QuarterlyReturn,
    ReturnBreakdown,
    ReturnComment,
)
from observatory.web.programmes.quarters import Quarter, quarters_between

Status = QuarterlyReturn.Status
# A day just after a quarter ended (its returns due, not yet late), and one mid-quarter.
TODAYS = [datetime.date(2026, 1, 12), datetime.date(2025, 8, 20)]


@pytest.fixture
def demo_accounts(db, settings, tmp_path):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, data_dir=tmp_path)
    ensure_demo_accounts()


def snapshot():
    """Everything the demo writes, in a comparable form."""
    return (
        sorted(Programme.objects.values_list("name", "provider__name", "status", "start_date")),
        sorted(QuarterlyReturn.objects.values_list("programme__name", "quarter_start", "status")),
        ReturnBreakdown.objects.count(),
        ReturnComment.objects.count(),
    )


def test_needs_the_demo_accounts(db):
    with pytest.raises(ObservatoryError, match="demo accounts"):
        ensure_demo_programmes(TODAYS[0])


@pytest.mark.parametrize("today", TODAYS)
def test_a_second_run_changes_nothing(demo_accounts, today):
    assert ensure_demo_programmes(today) == len(SPECS)
    before = snapshot()
    assert ensure_demo_programmes(today) == 0
    assert snapshot() == before


def test_a_deleted_programme_comes_back_alone_and_the_same(demo_accounts):
    today = TODAYS[0]
    ensure_demo_programmes(today)
    before = snapshot()
    programme = Programme.objects.get(name="Youth mentoring: Coventry")
    QuarterlyReturn.objects.filter(programme=programme).delete()
    programme.delete()
    assert ensure_demo_programmes(today) == 1
    assert snapshot() == before


def test_sizes_amounts_and_dates_are_plausible(demo_accounts):
    today = TODAYS[0]
    ensure_demo_programmes(today)
    programmes = Programme.objects.all()
    assert 25 <= programmes.count() <= 35
    assert all(20_000 <= programme.amount <= 600_000 for programme in programmes)
    statuses = {programme.status for programme in programmes}
    assert {Programme.Status.ENDED, Programme.Status.ACTIVE, Programme.Status.PLANNED} <= statuses
    assert len({programme.workstream for programme in programmes}) == len(Programme.Workstream)
    assert programmes.filter(local_authorities__isnull=True).count() == 0
    assert QuarterlyReturn.objects.filter(quarter_start__gt=today).count() == 0


@pytest.mark.parametrize("today", TODAYS)
def test_accepted_and_submitted_returns_pass_the_checks(demo_accounts, today):
    ensure_demo_programmes(today)
    sent = QuarterlyReturn.objects.exclude(status=Status.DRAFT).select_related("programme")
    assert sent.count() > 100
    for quarterly_return in sent:
        figures = returns.figures_of(quarterly_return)
        problems = returns.check(quarterly_return.programme, quarterly_return.quarter, figures)
        assert problems == [], (str(quarterly_return), problems)


@pytest.mark.parametrize("today", TODAYS)
def test_every_status_and_some_late_returns(demo_accounts, today):
    ensure_demo_programmes(today)
    statuses = QuarterlyReturn.objects.values_list("status", flat=True)
    counts = {status: list(statuses).count(status) for status in Status.values}
    assert all(counts.values()), counts
    assert counts[Status.ACCEPTED] > sum(counts.values()) / 2
    returned = set(QuarterlyReturn.objects.values_list("programme_id", "quarter_start"))
    overdue = [
        (programme.name, quarter)
        for programme in Programme.objects.all()
        for quarter in quarters_between(programme.start_date, programme.end_date)
        if quarter.due < today and (programme.pk, quarter.start) not in returned
    ]
    assert overdue


def test_queried_returns_carry_the_leads_message(demo_accounts):
    ensure_demo_programmes(TODAYS[0])
    lead = User.objects.get(username="demo-admin")
    for quarterly_return in QuarterlyReturn.objects.filter(status=Status.QUERIED):
        thread = list(quarterly_return.comments.all())
        assert thread[0].author == lead and thread[0].status_after == Status.QUERIED
    answered = ReturnComment.objects.filter(status_after=Status.QUERIED).exclude(author=lead)
    assert answered.exists()
    for quarterly_return in QuarterlyReturn.objects.filter(status=Status.ACCEPTED):
        assert quarterly_return.accepted_by == lead
        assert quarterly_return.submitted_at < quarterly_return.accepted_at


@pytest.mark.parametrize("today", TODAYS)
def test_the_demo_provider_has_a_return_due_one_queried_and_older_accepted(demo_accounts, today):
    ensure_demo_programmes(today)
    provider = User.objects.get(username="demo-provider")
    own = Programme.objects.filter(provider=provider.organisation)
    assert provider.organisation.name == DEMO_PROVIDER and 2 <= own.count() <= 3
    previous = Quarter.of(Quarter.of(today).start - datetime.timedelta(days=1))
    football = own.get(name="Friday Night Football")
    assert not QuarterlyReturn.objects.filter(programme=football, quarter_start=previous.start)
    assert set(football.returns.values_list("status", flat=True)) == {Status.ACCEPTED}
    boxing = own.get(name__startswith="Boxing")
    queried = boxing.returns.get(quarter_start=previous.start)
    assert queried.status == Status.QUERIED
    assert queried.comments.get().author.username == "demo-admin"
    visible = returns.returns_visible_to(provider)
    assert set(visible.values_list("programme__provider", flat=True)) == {provider.organisation_id}


def test_breakdowns_fit_the_cohort_and_the_area(demo_accounts):
    ensure_demo_programmes(TODAYS[0])
    nursery = QuarterlyReturn.objects.filter(programme__name__startswith="Helping Hands")
    bands = ReturnBreakdown.objects.filter(quarterly_return__in=nursery, dimension="age_band")
    assert set(bands.values_list("category", flat=True)) <= {"0-9", categories.NOT_KNOWN}
    walsall = QuarterlyReturn.objects.filter(programme__name="Friday Night Football")
    residence = ReturnBreakdown.objects.filter(
        quarterly_return__in=walsall, dimension="local_authority"
    )
    in_walsall = sum(residence.filter(category="E08000030").values_list("count", flat=True))
    assert in_walsall > 0.8 * sum(residence.values_list("count", flat=True))
