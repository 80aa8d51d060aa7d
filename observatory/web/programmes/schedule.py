"""Which returns the commissioning lead is waiting for, or that wait for the lead, on a day.

Every active programme owes a return for each quarter from the one it starts in to the last
quarter that has ended (and no later than the quarter it ends in). Programmes marked ended
are included too, since their last quarters' returns are still owed; planned and cancelled
programmes owe nothing. Each owed return that is not yet accepted is in one list:

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


@dataclass(frozen=True)
class OwedReturn:
    """One programme's return for one quarter, as the lead tracks it. `quarterly_return` is
    None when the provider has not started it."""

    programme: Programme
    quarter: Quarter
    quarterly_return: QuarterlyReturn | None
    today: datetime.date

    @property
    def due(self) -> datetime.date:
        return self.quarter.due

    @property
    def days_overdue(self) -> int:
        """Days since the due date; 0 until it has passed."""
        return max(0, (self.today - self.due).days)

    @property
    def status_label(self) -> str:
        if self.quarterly_return is None:
            return "Not started"
        return self.quarterly_return.get_status_display()

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


def schedule(programmes, today: datetime.date) -> Schedule:
    """Sort every return owed by `programmes` (a queryset, already scoped to what the person
    may see) as of `today` into the four lists; accepted returns are in none."""
    programmes = programmes.filter(status__in=OWING_STATUSES).select_related("provider")
    stored = {
        (r.programme_id, r.quarter_start): r
        for r in QuarterlyReturn.objects.filter(programme__in=programmes)
    }
    result = Schedule()
    for programme in programmes:
        for quarter in owed_quarters(programme, today):
            found = stored.get((programme.pk, quarter.start))
            owed = OwedReturn(programme, quarter, found, today)
            status = found.status if found else Status.DRAFT
            if status == Status.ACCEPTED:
                continue
            if status == Status.SUBMITTED:
                result.submitted.append(owed)
            elif status == Status.QUERIED:
                result.queried.append(owed)
            elif today > quarter.due:
                result.overdue.append(owed)
            else:
                result.due.append(owed)
    for owed_list in (result.due, result.overdue, result.queried, result.submitted):
        owed_list.sort(key=lambda owed: (owed.due, owed.programme.name, owed.programme.pk))
    return result
