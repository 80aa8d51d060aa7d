"""Providers' quarterly returns on the web: the list of returns by programme and quarter,
and one return's page (the form, its checks, the workflow buttons and the comment thread).

Access, in this order, at every view and verb:
- VIEW_PROGRAMMES, else 403 (partners, analysts, coordinators); anonymous users are sent to
  log in by the login middleware;
- the programme is found through `programmes_visible_to` and the return through
  `returns_visible_to`, so another organisation's programme is 404 whatever id is guessed;
- saving, submitting and commenting need the programme's provider or a lead; querying and
  accepting need a lead (MANAGE_PROGRAMMES), else 403.

Nothing typed is lost: a form whose boxes cannot be stored (e.g. "abc" in a count) is shown
again as typed with its errors, and a draft whose figures fail `returns.check` is saved
anyway, with the problems shown beside the fields they concern.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability, may
from observatory.web.programmes import categories, returns, schedule
from observatory.web.programmes.forms_returns import (
    MessageForm,
    ReturnForm,
    outcomes_for,
)
from observatory.web.programmes.models import QuarterlyReturn
from observatory.web.programmes.quarters import RETURN_DUE_DAYS, Quarter
from observatory.web.programmes.services import programmes_visible_to

PAGE_SIZE = 100

viewers = requires(Capability.VIEW_PROGRAMMES)


@viewers
@require_safe
def returns_list(request):
    """The returns of every programme the user sees, filterable by status and programme."""
    programmes = programmes_visible_to(request.user)
    chosen_programme = None
    if (programme_id := request.GET.get("programme", "")).isdigit():
        chosen_programme = programmes.filter(pk=int(programme_id)).first()
        if chosen_programme is not None:
            programmes = programmes.filter(pk=chosen_programme.pk)
    rows = sorted(
        schedule.returns_of(programmes, timezone.localdate()),
        key=lambda row: (row.programme.name, row.programme.pk, -row.quarter.start.toordinal()),
    )
    status = request.GET.get("status", "")
    if status in schedule.STATUS_LABELS:
        rows = [row for row in rows if row.status == status]
    else:
        status = ""
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": list(schedule.STATUS_LABELS.items()),
        "status": status,
        "chosen_programme": chosen_programme,
        "is_lead": may(request.user, Capability.MANAGE_PROGRAMMES),
        "due_days": RETURN_DUE_DAYS,
    }
    return render(request, "programmes/returns/list.html", context)


STATUS_CHANGES = {
    QuarterlyReturn.Status.SUBMITTED: "submitted the return",
    QuarterlyReturn.Status.QUERIED: "queried the return",
    QuarterlyReturn.Status.ACCEPTED: "accepted the return",
    QuarterlyReturn.Status.DRAFT: "reopened the return as a draft",
}


def thread(quarterly_return: QuarterlyReturn | None) -> list[dict]:
    """The return's thread, oldest first, each entry with what its author did: changed the
    status (the entry's status differs from the one before) or wrote a message."""
    if quarterly_return is None:
        return []
    entries, status = [], QuarterlyReturn.Status.DRAFT
    for comment in quarterly_return.comments.all():
        changed = comment.status_after != status
        entries.append(
            {
                "comment": comment,
                "what": STATUS_CHANGES[comment.status_after] if changed else "wrote",
            }
        )
        status = comment.status_after
    return entries


def _quarter_or_404(text: str) -> Quarter:
    try:
        quarter = Quarter(datetime.date.fromisoformat(text))
    except ValueError:
        raise Http404("No such quarter.") from None
    if quarter.start.isoformat() != text:
        raise Http404("No such quarter.")
    return quarter


def _may_report(user, programme) -> bool:
    """The programme's provider, or a lead, may fill in, submit and discuss its returns."""
    return may(user, Capability.MANAGE_PROGRAMMES) or (
        may(user, Capability.VIEW_PROGRAMMES)
        and user.organisation_id is not None
        and user.organisation_id == programme.provider_id
    )


@viewers
@require_http_methods(["GET", "HEAD", "POST"])
def return_edit(request, programme, quarter):
    """One return: GET shows it; POST `action` is save_draft, submit, comment, query or
    accept."""
    programme = get_object_or_404(programmes_visible_to(request.user), pk=programme)
    quarter = _quarter_or_404(quarter)
    page = ReturnPage(request, programme, quarter)
    if request.method != "POST":
        return page.render()
    action = request.POST.get("action", "")
    if action in ("save_draft", "submit"):
        return page.save(then_submit=action == "submit")
    if action in ("comment", "query", "accept"):
        return page.act(action)
    return page.render(
        refusal="That button is not one this page knows. Nothing changed.", status=400
    )


class ReturnPage:
    """One return's page for one request: what it shows and what its buttons do."""

    def __init__(self, request, programme, quarter: Quarter):
        self.request = request
        self.user = request.user
        self.programme = programme
        self.quarter = quarter
        self.quarterly_return = (
            returns.returns_visible_to(self.user)
            .filter(programme=programme, quarter_start=quarter.start)
            .first()
        )
        self.may_report = _may_report(self.user, programme)
        self.is_lead = may(self.user, Capability.MANAGE_PROGRAMMES)

    @property
    def url(self) -> str:
        return reverse("returns-edit", args=[self.programme.pk, self.quarter.start.isoformat()])

    @property
    def editable(self) -> bool:
        stored = self.quarterly_return
        return self.may_report and (stored is None or stored.editable)

    def _stored_figures(self) -> returns.Figures:
        if self.quarterly_return is None:
            return returns.Figures()
        return returns.figures_of(self.quarterly_return)

    # Buttons

    def save(self, then_submit: bool):
        """Save the typed figures as a draft; with `then_submit`, submit them if they pass
        the checks, else show the page again as typed, with the problems."""
        if not self.may_report:
            raise PermissionDenied("Only the programme's provider can fill in its returns.")
        form = ReturnForm(self.request.POST, outcomes=outcomes_for(self.quarterly_return))
        if not form.is_valid():
            return self.render(form=form, problems=[], status=400)
        figures = form.figures()
        try:
            self.quarterly_return = returns.save_draft(
                self.programme, self.quarter, figures, self.user
            )
        except returns.WorkflowError as error:
            return self.render(form=form, problems=[], refusal=str(error), status=409)
        if not then_submit:
            messages.success(self.request, "Draft saved. You can come back to it at any time.")
            return redirect(self.url)
        problems = returns.check(self.programme, self.quarter, figures)
        if problems:
            return self.render(form=form, problems=problems, saved_with_problems=True, status=400)
        try:
            returns.submit(self.quarterly_return, self.user)
        except returns.WorkflowError as error:
            return self.render(form=form, problems=[], refusal=str(error), status=409)
        messages.success(
            self.request,
            f"Submitted the return for {self.quarter.label}. A commissioning lead will review it.",
        )
        return redirect(self.url)

    def act(self, action: str):
        """Post a message to the thread (comment), or a lead's query or acceptance."""
        if action in ("query", "accept") and not self.is_lead:
            raise PermissionDenied("Only a commissioning lead can query or accept a return.")
        if not self.may_report:
            raise PermissionDenied("Only the programme's provider or a lead can do this.")
        if self.quarterly_return is None:
            return self.render(refusal="Save a draft of this return first.", status=409)
        message_form = MessageForm(self.request.POST)
        if not message_form.is_valid():
            return self.render(message_form=message_form, status=400)
        verb = {"comment": returns.comment, "query": returns.query, "accept": returns.accept}
        try:
            verb[action](self.quarterly_return, self.user, message_form.cleaned_data["message"])
        except returns.WorkflowError as error:
            message_form.add_error("message", str(error))
            return self.render(message_form=message_form, status=409)
        done = {
            "comment": "Message added.",
            "query": "Sent the return back to the provider with your query.",
            "accept": "Accepted the return: it now counts in reach figures.",
        }
        messages.success(self.request, done[action])
        return redirect(self.url)

    # Showing the page

    def render(
        self,
        form=None,
        problems=None,
        message_form=None,
        refusal="",
        saved_with_problems=False,
        status=200,
    ):
        """The page. `form` as typed (else the stored figures); `problems` from a check of
        what was typed (else a check of what is stored, for a return still editable)."""
        editable = self.editable
        if editable and form is None:
            stored = self._stored_figures()
            form = ReturnForm(
                initial=ReturnForm.initial_from(stored),
                outcomes=outcomes_for(self.quarterly_return),
            )
            if problems is None and self.quarterly_return is not None:
                problems = returns.check(self.programme, self.quarter, stored)
        problems = problems or []
        problem_ids = {problem.field: f"{problem.field}-problem" for problem in problems}
        context = {
            "programme": self.programme,
            "quarter": self.quarter,
            "quarterly_return": self.quarterly_return,
            "status_label": schedule.STATUS_LABELS[
                self.quarterly_return.status if self.quarterly_return else schedule.NOT_STARTED
            ],
            "editable": editable,
            "may_report": self.may_report,
            "is_lead": self.is_lead,
            "refusal": refusal,
            "saved_with_problems": saved_with_problems,
            "problems": {problem.field: problem.message for problem in problems},
            "summary": [],
            "message_form": message_form or MessageForm(),
            "thread": thread(self.quarterly_return),
        }
        if editable:
            form.describe_problems(problem_ids)
            context.update(self._form_context(form, problems))
        else:
            context.update(self._figures_context(self._stored_figures()))
        return render(self.request, "programmes/returns/edit.html", context, status=status)

    def _form_context(self, form: ReturnForm, problems) -> dict:
        problem_messages = {problem.field: problem.message for problem in problems}
        summary = []
        for name, errors in form.errors.items():
            label = form[name].label
            if dimension := form.fields[name].widget.attrs.get("data-breakdown"):
                label = f"{categories.DIMENSION_LABELS[dimension].capitalize()}, {label}"
            for error in errors:
                summary.append((f"#{form[name].auto_id}", f"{label}: {error}"))
        for problem in problems:
            summary.append((self._problem_anchor(form, problem.field), problem.message))
        breakdowns = [
            {
                "dimension": dimension,
                "label": categories.DIMENSION_LABELS[dimension],
                "rows": [form[name] for _, name in rows],
                "total": form.typed_total(name for _, name in rows),
                "must_match": dimension in categories.PARTICIPANT_DIMENSIONS,
                "problem": problem_messages.get(dimension, ""),
            }
            for dimension, rows in form.breakdown_rows.items()
        ]
        return {
            "form": form,
            "summary": summary,
            "breakdowns": breakdowns,
            "outcome_fields": [form[name] for _, name in form.outcome_rows],
            "participants_typed": form.typed_total(["participants_new", "participants_continuing"]),
        }

    @staticmethod
    def _problem_anchor(form: ReturnForm, field: str) -> str:
        """Where the summary's link for a problem goes: the box it concerns, the first box
        of the breakdown it concerns, or the message itself (e.g. the quarter)."""
        if field in form.fields:
            return f"#{form[field].auto_id}"
        if rows := form.breakdown_rows.get(field):
            _, first_box = rows[0]
            return f"#{form[first_box].auto_id}"
        return f"#{field}-problem"

    @staticmethod
    def _figures_context(figures: returns.Figures) -> dict:
        headline = [
            ("New participants", figures.participants_new),
            ("Continuing participants", figures.participants_continuing),
            ("Participants reached", figures.participants),
            ("Sessions delivered", figures.sessions_delivered),
            ("Hours delivered", figures.hours_delivered),
            ("Professionals trained", figures.professionals_trained),
            ("Onward referrals", figures.referrals_onward),
        ]
        breakdowns = [
            {
                "label": categories.DIMENSION_LABELS[dimension],
                "rows": [
                    (label, figures.breakdowns.get(dimension, {}).get(code, 0))
                    for code, label in categories.categories(dimension)
                ],
                "total": figures.total(dimension),
            }
            for dimension in categories.DIMENSIONS
        ]
        return {
            "figures": figures,
            "headline": headline,
            "breakdowns": breakdowns,
            "outcome_counts": sorted(figures.outcomes.items()),
        }
