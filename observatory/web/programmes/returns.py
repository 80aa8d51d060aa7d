"""Providers' quarterly returns: what a return holds (`Figures`), the checks it must pass
before it is submitted, and its workflow: draft → submitted → queried → submitted … →
accepted.

Every way of filling a return (the web form, an uploaded template) produces `Figures` and
calls `save_draft`, so what a provider typed is stored even when a check fails; `check`
lists the problems as sentences, and `submit` refuses while any remain. Leads query or
accept a submitted return; each change of status is recorded in the return's comment
thread (so the thread is also its status history), with a message if one was given.

Access: `returns_visible_to(user)` is the only way views find returns, so a provider never
reaches another organisation's return, whatever id they guess.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from observatory.errors import ObservatoryError
from observatory.web.accounts.roles import Capability, may
from observatory.web.programmes import categories
from observatory.web.programmes.models import (
    Outcome,
    Programme,
    QuarterlyReturn,
    ReturnBreakdown,
    ReturnComment,
    ReturnOutcome,
)
from observatory.web.programmes.quarters import Quarter
from observatory.web.programmes.services import programmes_visible_to

# Reach above this multiple of the expected quarterly reach needs an explanation.
WELL_ABOVE_EXPECTED = 2

Status = QuarterlyReturn.Status


class WorkflowError(ObservatoryError):
    """A change of status that the return's state or the person's role does not allow."""


@dataclass
class Problem:
    """One reason a return cannot be submitted yet; `field` names the form field (or
    breakdown dimension) the message belongs to, so forms can show it beside it."""

    field: str
    message: str


@dataclass
class Figures:
    """Everything a provider reports for one quarter. `breakdowns` maps a dimension
    (categories.DIMENSIONS) to {category code: count}; `outcomes` maps an Outcome's name to
    the count achieved. Missing categories count as zero."""

    participants_new: int = 0
    participants_continuing: int = 0
    sessions_delivered: int = 0
    hours_delivered: Decimal = Decimal(0)
    professionals_trained: int = 0
    referrals_onward: int = 0
    reach_explanation: str = ""
    case_study: str = ""
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)

    HEADLINE_FIELDS = (
        "participants_new",
        "participants_continuing",
        "sessions_delivered",
        "hours_delivered",
        "professionals_trained",
        "referrals_onward",
        "reach_explanation",
        "case_study",
    )

    @property
    def participants(self) -> int:
        return self.participants_new + self.participants_continuing

    def total(self, dimension: str) -> int:
        return sum(self.breakdowns.get(dimension, {}).values())


def returns_visible_to(user):
    """The returns `user` may see: every return for leads and roles that see every
    organisation; only their organisation's programmes' returns for a provider."""
    return QuarterlyReturn.objects.filter(programme__in=programmes_visible_to(user)).select_related(
        "programme", "programme__provider"
    )


def figures_of(quarterly_return: QuarterlyReturn) -> Figures:
    """The stored figures of a return."""
    figures = Figures(**{name: getattr(quarterly_return, name) for name in Figures.HEADLINE_FIELDS})
    for row in quarterly_return.breakdowns.all():
        figures.breakdowns.setdefault(row.dimension, {})[row.category] = row.count
    for row in quarterly_return.outcomes.select_related("outcome"):
        figures.outcomes[row.outcome.name] = row.count
    return figures


def check(programme: Programme, quarter: Quarter, figures: Figures) -> list[Problem]:
    """Everything that stops these figures being submitted for `programme` and `quarter`,
    as sentences a provider can act on; empty when the return may be submitted."""
    problems = []
    if not quarter.overlaps(programme.start_date, programme.end_date):
        problems.append(
            Problem(
                "quarter",
                f"{quarter.label} ({quarter.months}) is outside the programme's dates "
                f"({programme.start_date:%-d %B %Y} to {programme.end_date:%-d %B %Y}): "
                "check the quarter, or ask your commissioning lead to change the dates.",
            )
        )
    for dimension in categories.PARTICIPANT_DIMENSIONS:
        total = figures.total(dimension)
        if total != figures.participants:
            label = categories.DIMENSION_LABELS[dimension]
            problems.append(
                Problem(
                    dimension,
                    f"Participants by {label} add up to {total}, but {figures.participants} "
                    f"participants were reached (new plus continuing). Make them agree; count "
                    f"people whose {label} you do not know as \u201cnot known\u201d.",
                )
            )
    expected = programme.expected_quarterly_reach
    if (
        expected
        and figures.participants > WELL_ABOVE_EXPECTED * expected
        and not figures.reach_explanation.strip()
    ):
        problems.append(
            Problem(
                "reach_explanation",
                f"{figures.participants} participants is more than {WELL_ABOVE_EXPECTED} times "
                f"the {expected} expected each quarter: check the number, or explain why "
                "reach was so much higher.",
            )
        )
    return problems


@transaction.atomic
def save_draft(programme: Programme, quarter: Quarter, figures: Figures, who) -> QuarterlyReturn:
    """Store `figures` as the programme's return for `quarter`, creating it as a draft if
    needed. Refuses (WorkflowError) once the return is submitted or accepted: only a draft or
    a queried return may change. Problems found by `check` do not stop saving."""
    quarterly_return, _ = QuarterlyReturn.objects.select_for_update().get_or_create(
        programme=programme, quarter_start=quarter.start
    )
    if not quarterly_return.editable:
        raise WorkflowError(
            f"The return for {quarter.label} is {quarterly_return.get_status_display().lower()}"
            " and can no longer be changed."
        )
    for name in Figures.HEADLINE_FIELDS:
        setattr(quarterly_return, name, getattr(figures, name))
    quarterly_return.save()
    quarterly_return.breakdowns.all().delete()
    ReturnBreakdown.objects.bulk_create(
        ReturnBreakdown(
            quarterly_return=quarterly_return, dimension=dimension, category=category, count=count
        )
        for dimension, counts in figures.breakdowns.items()
        for category, count in counts.items()
        if count
    )
    quarterly_return.outcomes.all().delete()
    outcomes = Outcome.objects.in_bulk(list(figures.outcomes), field_name="name")
    ReturnOutcome.objects.bulk_create(
        ReturnOutcome(quarterly_return=quarterly_return, outcome=outcomes[name], count=count)
        for name, count in figures.outcomes.items()
        if count and name in outcomes
    )
    return quarterly_return


def submit(quarterly_return: QuarterlyReturn, who, message: str = "") -> QuarterlyReturn:
    """Send a draft or queried return to the commissioning lead. Refuses while `check`
    finds problems (WorkflowError listing them) or when `who` may not report for it."""
    if not _is_provider_of(who, quarterly_return) and not may(who, Capability.MANAGE_PROGRAMMES):
        raise WorkflowError("Only the programme's provider can submit its return.")
    if not quarterly_return.editable:
        raise WorkflowError("Only a draft or a queried return can be submitted.")
    problems = check(
        quarterly_return.programme, quarterly_return.quarter, figures_of(quarterly_return)
    )
    if problems:
        raise WorkflowError(" ".join(problem.message for problem in problems))
    quarterly_return.submitted_at = timezone.now()
    quarterly_return.submitted_by = who
    return _move(quarterly_return, Status.SUBMITTED, who, message)


def query(quarterly_return: QuarterlyReturn, who, message: str) -> QuarterlyReturn:
    """A lead sends a submitted return back to the provider with a question."""
    _require_lead(who)
    if quarterly_return.status != Status.SUBMITTED:
        raise WorkflowError("Only a submitted return can be queried.")
    if not message.strip():
        raise WorkflowError("Say what needs checking: the provider will read your message.")
    return _move(quarterly_return, Status.QUERIED, who, message)


def accept(quarterly_return: QuarterlyReturn, who, message: str = "") -> QuarterlyReturn:
    """A lead accepts a submitted return: from now on it counts in reach figures."""
    _require_lead(who)
    if quarterly_return.status != Status.SUBMITTED:
        raise WorkflowError("Only a submitted return can be accepted.")
    quarterly_return.accepted_at = timezone.now()
    quarterly_return.accepted_by = who
    return _move(quarterly_return, Status.ACCEPTED, who, message)


def comment(quarterly_return: QuarterlyReturn, who, message: str) -> ReturnComment:
    """Add a message to the thread without changing the status (e.g. a provider's answer
    to a query before they resubmit)."""
    if not message.strip():
        raise WorkflowError("Write a message first.")
    return _add_comment(quarterly_return, who, message)


@transaction.atomic
def _move(quarterly_return, status, who, message) -> QuarterlyReturn:
    """Change the status and record the change in the thread, with the message if any, so
    the thread is also the return's status history."""
    quarterly_return.status = status
    quarterly_return.save()
    _add_comment(quarterly_return, who, message)
    return quarterly_return


def _add_comment(quarterly_return, who, message) -> ReturnComment:
    return ReturnComment.objects.create(
        quarterly_return=quarterly_return,
        author=who,
        author_name=who.get_full_name() or who.get_username(),
        status_after=quarterly_return.status,
        text=message.strip(),
    )


def _is_provider_of(user, quarterly_return) -> bool:
    return (
        may(user, Capability.VIEW_PROGRAMMES)
        and user.organisation_id is not None
        and user.organisation_id == quarterly_return.programme.provider_id
    )


def _require_lead(user) -> None:
    if not may(user, Capability.MANAGE_PROGRAMMES):
        raise WorkflowError("Only a commissioning lead can query or accept a return.")
