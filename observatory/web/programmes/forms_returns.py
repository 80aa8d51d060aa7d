"""The quarterly return's web form: headline figures, one count per breakdown category, one
count per outcome, and the two texts; and the message box of the return's thread.

The form only checks that each box holds a number a return can store (a whole number from
0, hours to one decimal place); a blank box counts as 0. Whether the figures make sense
together is `returns.check`'s job, so its problems never stop a draft being saved.
"""

import re
from decimal import Decimal

from django import forms

from observatory.web.programmes import categories
from observatory.web.programmes.models import Outcome, QuarterlyReturn
from observatory.web.programmes.returns import Figures

COUNT_FIELDS = (
    "participants_new",
    "participants_continuing",
    "sessions_delivered",
    "professionals_trained",
    "referrals_onward",
)
MAX_COUNT = 1_000_000
COUNT_MESSAGES = {
    "invalid": "Enter a whole number, like 12, or leave the box empty for none.",
    "min_value": "Enter 0 or more.",
    "max_value": f"Enter a number below {MAX_COUNT:,}.",
}


def breakdown_field_name(dimension: str, category: str) -> str:
    """A form field name (and, with "id_", an HTML id) for one breakdown category: category
    codes such as "25+" or "10-14" are not safe in names and links, so they are spelled out."""
    safe = re.sub(
        r"[^A-Za-z0-9_]", lambda match: {"+": "plus", "-": "_"}.get(match[0], "_"), category
    )
    return f"{dimension}__{safe}"


def outcome_field_name(outcome: Outcome) -> str:
    return f"outcome__{outcome.pk}"


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_COUNT - 1,
        error_messages=COUNT_MESSAGES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}),
    )


class ReturnForm(forms.Form):
    """Everything a provider types into one return. `breakdown_rows` and `outcome_rows`
    let the template lay the counts out as one table per dimension and one for outcomes."""

    participants_new = _count("New participants")
    participants_continuing = _count("Continuing participants")
    sessions_delivered = _count("Sessions delivered")
    hours_delivered = forms.DecimalField(
        label="Hours delivered",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
        error_messages={
            "invalid": "Enter a number of hours, like 12 or 12.5.",
            "min_value": "Enter 0 or more.",
            "max_decimal_places": "Give hours to one decimal place at most, like 12.5.",
            "max_digits": "Enter fewer hours: at most 9,999,999.9.",
            "max_whole_digits": "Enter fewer hours: at most 9,999,999.9.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": 0, "step": "0.1"}),
    )
    professionals_trained = _count("Professionals trained")
    referrals_onward = _count("Onward referrals")
    reach_explanation = forms.CharField(
        label="Reach explanation",
        required=False,
        help_text="Needed when reach is far above what was expected: say why.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    case_study = forms.CharField(
        label="Case study (optional)",
        required=False,
        help_text="A short, anonymised story of one participant's journey. No names.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, outcomes=(), **kwargs):
        """`outcomes`: the Outcome rows to offer (the active ones plus any the return
        already counts, so a retired outcome's count is not silently dropped)."""
        super().__init__(*args, **kwargs)
        self.breakdown_rows = {}
        for dimension in categories.DIMENSIONS:
            rows = []
            for code, label in categories.categories(dimension):
                name = breakdown_field_name(dimension, code)
                self.fields[name] = _count(label)
                self.fields[name].widget.attrs["data-breakdown"] = dimension
                rows.append((code, name))
            self.breakdown_rows[dimension] = rows
        self.outcome_rows = []
        for outcome in outcomes:
            name = outcome_field_name(outcome)
            self.fields[name] = _count(outcome.name)
            self.outcome_rows.append((outcome, name))

    @classmethod
    def initial_from(cls, figures: Figures) -> dict:
        """The form's initial values for stored `figures` (zero counts shown as empty
        boxes in breakdowns and outcomes, so the figures that matter stand out)."""
        initial = {name: getattr(figures, name) for name in Figures.HEADLINE_FIELDS}
        for dimension, counts in figures.breakdowns.items():
            for code, count in counts.items():
                initial[breakdown_field_name(dimension, code)] = count or None
        for outcome in Outcome.objects.filter(name__in=list(figures.outcomes)):
            initial[outcome_field_name(outcome)] = figures.outcomes[outcome.name] or None
        return initial

    def figures(self) -> Figures:
        """The cleaned form as `Figures` (call only once the form is valid)."""
        data = self.cleaned_data
        figures = Figures(
            **{name: data.get(name) or 0 for name in COUNT_FIELDS},
            hours_delivered=data.get("hours_delivered") or Decimal(0),
            reach_explanation=data.get("reach_explanation", "").strip(),
            case_study=data.get("case_study", "").strip(),
        )
        for dimension, rows in self.breakdown_rows.items():
            figures.breakdowns[dimension] = {code: data.get(name) or 0 for code, name in rows}
        figures.outcomes = {
            outcome.name: data.get(name) or 0 for outcome, name in self.outcome_rows
        }
        return figures

    def describe_problems(self, problem_ids: dict[str, str]) -> None:
        """Tie each box to the messages about it (aria-describedby): its hint, its own
        error, and the check problem `problem_ids[field or dimension]` shown beside it."""
        for name, field in self.fields.items():
            dimension = field.widget.attrs.get("data-breakdown")
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if bound.errors:
                ids.append(f"{bound.auto_id}_error")
            if problem := problem_ids.get(dimension or name):
                ids.append(problem)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def typed_total(self, names) -> int:
        """The sum of the whole numbers typed in the boxes `names` (others ignored): the
        running total a page shows before any script runs, even when the form is invalid."""
        total = 0
        for name in names:
            value = self[name].value()
            if isinstance(value, int):
                total += value
            elif isinstance(value, str) and value.strip().isdigit():
                total += int(value)
        return total


def outcomes_for(quarterly_return: QuarterlyReturn | None):
    """The outcomes a return's form offers: the active ones, plus retired ones it counts."""
    outcomes = Outcome.objects.filter(active=True)
    if quarterly_return is not None:
        counted = quarterly_return.outcomes.values("outcome")
        outcomes = Outcome.objects.filter(pk__in=counted) | outcomes
    return outcomes.order_by("name").distinct()


class MessageForm(forms.Form):
    """The message box under a return's thread: an answer, a query, or a note."""

    message = forms.CharField(
        label="Message",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Seen by the provider and the commissioning leads. No participants' names.",
    )
