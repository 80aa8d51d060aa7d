"""The programme form, the register's filters and the import upload."""

from django import forms

from observatory.web.accounts.models import LocalAuthority
from observatory.web.programmes.models import Approach, FundingSource, Programme
from observatory.web.programmes.services import EDITABLE_FIELDS


class ProgrammeForm(forms.ModelForm):
    """Every editable field of a programme; the model's clean() checks dates, ages, amount."""

    class Meta:
        model = Programme
        fields = EDITABLE_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "local_authorities": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "places": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
        }


class FilterForm(forms.Form):
    """The register's filters and search, read from the URL; a bad value is ignored."""

    q = forms.CharField(label="Search name, description or provider", required=False)
    workstream = forms.ChoiceField(
        choices=[("", "Any workstream"), *Programme.Workstream.choices], required=False
    )
    local_authority = forms.ModelChoiceField(
        LocalAuthority.objects.all(), required=False, empty_label="Any local authority"
    )
    funding_source = forms.ModelChoiceField(
        FundingSource.objects.all(), label="Funder", required=False, empty_label="Any funder"
    )
    approach = forms.ModelChoiceField(
        Approach.objects.all(), required=False, empty_label="Any approach"
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Programme.Status.choices], required=False
    )

    def filters(self) -> dict:
        """The valid, non-empty filters (invalid ones are dropped, not an error)."""
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Register file",
        help_text="A CSV or Excel (.xlsx) file with the columns of an export. A programme is "
        "matched by its name and provider: new ones are created, others updated.",
    )
