"""Which returns the commissioning lead is waiting for, or that wait for the lead, on a day.

Every active programme owes a return for each quarter from the one it starts in to the last
quarter that has ended (and no later than the quarter it ends in). Programmes marked ended
are included too, since their last quarters' returns are still owed; planned and cancelled
programmes owe nothing. `returns_of` lists the owed returns (and any other stored return)
for the providers' list of returns; `schedule` sorts each owed return that is not yet
accepted into one of the lead's lists:

- due: its quarter has ended, it is not submitted, and its due date (quarters.Quarter.due)
  is today or later;
- overdue: past its due date and not submitted (a draft, or no return at all);
- queried: a lead asked a question; waiting for the provider;
- submitted: waiting for the lead to query or accept it.
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse

from observatory.web.programmes.models import Programme, QuarterlyReturn
from observatory.web.programmes.quarters import Quarter

Status = QuarterlyReturn.Status
OWING_STATUSES = (Programme.Status.ACTIVE, Programme.Status.ENDED)
NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: "Not started", **dict(Status.choices)}


@dataclass(frozen=True)
class OwedReturn:
    """One programme's return for one quarter, as the lead tracks it. `quarterly_return` is
    None when the provider has not started it."""

    programme: Programme
    quarter: Quarter
    quarterly_return: QuarterlyReturn | None
    today: datetime.date
    owed: bool = True

    @property
    def due(self) -> datetime.date:
        return self.quarter.due

    @property
    def status(self) -> str:
        """The return's status, or NOT_STARTED when there is no return yet."""
        return self.quarterly_return.status if self.quarterly_return else NOT_STARTED

    @property
    def overdue(self) -> bool:
        """Owed, past its due date and never submitted (not started, or still a draft)."""
        return self.owed and self.today > self.due and self.status in (NOT_STARTED, Status.DRAFT)

    @property
    def days_overdue(self) -> int:
        """Days since the due date; 0 until it has passed."""
        return max(0, (self.today - self.due).days)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def path(self) -> str:
        """The return's page (returns-edit)."""
        return return_path(self.programme, self.quarter)


@dataclass
class Schedule:
    """The four lists, each ordered by due date then programme name."""

    due: list[OwedReturn] = field(default_factory=list)
    overdue: list[OwedReturn] = field(default_factory=list)
    queried: list[OwedReturn] = field(default_factory=list)
    submitted: list[OwedReturn] = field(default_factory=list)


def return_path(programme: Programme, quarter: Quarter) -> str:
    """The address of the page of a programme's return for a quarter."""
    return reverse("returns-edit", args=[programme.pk, quarter.start.isoformat()])


def last_ended_quarter(today: datetime.date) -> Quarter:
    """The latest quarter whose last day is before `today`."""
    return Quarter.of(Quarter.of(today).start - datetime.timedelta(days=1))


def owed_quarters(programme: Programme, today: datetime.date) -> list[Quarter]:
    """The quarters `programme` owes returns for as of `today`, oldest first."""
    last = min(last_ended_quarter(today), Quarter.of(programme.end_date))
    quarters, quarter = [], Quarter.of(programme.start_date)
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters


def returns_of(programmes, today: datetime.date) -> list[OwedReturn]:
    """Every return `programmes` (a queryset, already scoped to what the person may see) owe
    as of `today`, with the stored return where there is one, plus any stored return they do
    not owe (e.g. one written before a programme was cancelled); by programme, oldest first."""
    stored = {
        (r.programme_id, r.quarter_start): r
        for r in QuarterlyReturn.objects.filter(programme__in=programmes)
    }
    rows = []
    for programme in programmes.select_related("provider"):
        owed = owed_quarters(programme, today) if programme.status in OWING_STATUSES else []
        starts = {quarter.start for quarter in owed}
        extra = [Quarter(start) for (pk, start) in stored if pk == programme.pk]
        for quarter in sorted({*owed, *extra}):
            found = stored.get((programme.pk, quarter.start))
            rows.append(OwedReturn(programme, quarter, found, today, quarter.start in starts))
    return rows


def schedule(programmes, today: datetime.date) -> Schedule:
    """Sort every return owed by `programmes` (a queryset, already scoped to what the person
    may see) as of `today` into the four lists; accepted returns are in none."""
    result = Schedule()
    for owed in returns_of(programmes, today):
        if not owed.owed or owed.status == Status.ACCEPTED:
            continue
        if owed.status == Status.SUBMITTED:
            result.submitted.append(owed)
        elif owed.status == Status.QUERIED:
            result.queried.append(owed)
        elif owed.overdue:
            result.overdue.append(owed)
        else:
            result.due.append(owed)
    for owed_list in (result.due, result.overdue, result.queried, result.submitted):
        owed_list.sort(key=lambda owed: (owed.due, owed.programme.name, owed.programme.pk))
    return result
