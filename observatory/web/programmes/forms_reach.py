"""The filters of the reach pages, read from the URL (GET forms: a filtered page is a link).

`PublicReachForm` (the public dashboard): a financial year, workstream, area, funder and
approach. `LeadReachForm` (the lead's view) adds a period of quarters, from one to another,
instead of a whole year. A bad value is a message beside its field, never a traceback; the
form shows back what was typed.
"""

import datetime

from django import forms
from django.db.models import Max, Min

from observatory.errors import ObservatoryError
from observatory.web.accounts.models import LocalAuthority
from observatory.web.programmes.models import Approach, FundingSource, Programme
from observatory.web.programmes.quarters import Quarter, current_financial_year
from observatory.web.programmes.reach import Period, year_label

FILTERS = ("workstream", "local_authority", "funding_source", "approach")


def year_choices(today: datetime.date) -> list[tuple[str, str]]:
    """Every financial year from the first programme's start to the last one's end, and the
    current one, latest first."""
    span = Programme.objects.aggregate(first=Min("start_date"), last=Max("end_date"))
    years = {current_financial_year(today)}
    if span["first"] and span["last"]:
        years |= set(
            range(current_financial_year(span["first"]), current_financial_year(span["last"]) + 1)
        )
    return [(year_label(year), year_label(year)) for year in sorted(years, reverse=True)]


class PublicReachForm(forms.Form):
    year = forms.ChoiceField(label="Financial year", required=False)
    workstream = forms.ChoiceField(
        choices=[("", "Any workstream"), *Programme.Workstream.choices], required=False
    )
    local_authority = forms.ModelChoiceField(
        LocalAuthority.objects.order_by("name"),
        label="Area",
        required=False,
        empty_label="Any local authority",
    )
    funding_source = forms.ModelChoiceField(
        FundingSource.objects.all(), label="Funder", required=False, empty_label="Any funder"
    )
    approach = forms.ModelChoiceField(
        Approach.objects.all(), required=False, empty_label="Any approach"
    )

    def __init__(self, data, today: datetime.date):
        super().__init__(data)
        self.today = today
        self.fields["year"].choices = year_choices(today)
        self.fields["year"].initial = year_label(current_financial_year(today))

    def full_clean(self):
        """Validate, then tie each field's error message and hint to its box
        (aria-describedby), so a screen reader reads them with the field."""
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs |= {
                "aria-describedby": " ".join(ids),
                "aria-invalid": "true",
            }

    def clean(self):
        data = super().clean()
        year = data.get("year") or year_label(current_financial_year(self.today))
        data["period"] = Period.financial_year(int(year[:4]))
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]

    def filters(self) -> dict:
        """The non-empty filters, as services.filter_programmes takes them."""
        return {key: self.cleaned_data[key] for key in FILTERS if self.cleaned_data.get(key)}

    @property
    def filtered(self) -> bool:
        return bool(self.filters())


class LeadReachForm(PublicReachForm):
    from_quarter = forms.CharField(
        label="From quarter",
        required=False,
        help_text="Like 2025-26 Q1. Leave both quarters empty for the whole financial year.",
    )
    to_quarter = forms.CharField(label="To quarter", required=False, help_text="Like 2026-27 Q2.")

    def clean(self):
        data = super().clean()
        first, last = data.get("from_quarter"), data.get("to_quarter")
        if not first and not last:
            return data
        if not (first and last):
            missing = "to_quarter" if first else "from_quarter"
            self.add_error(missing, "Give both the first and the last quarter, or neither.")
            return data
        quarters = {}
        for name, text in (("from_quarter", first), ("to_quarter", last)):
            try:
                quarters[name] = Quarter.parse(text)
            except ObservatoryError as error:
                self.add_error(name, str(error))
        if len(quarters) == 2:
            try:
                data["period"] = Period(quarters["from_quarter"], quarters["to_quarter"])
            except ObservatoryError as error:
                self.add_error("to_quarter", str(error))
        return data
