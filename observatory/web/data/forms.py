"""The upload form and the venue decision form."""

from django import forms

from observatory.web.data.models import KINDS

NONE_OF_THESE = "none"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=KINDS,
        help_text="Small areas (geography) are imported on the command line: "
        "<code>observatory import geography</code>.",
    )
    file = forms.FileField(label="File to import", help_text="A CSV file, as downloaded.")
    mapping = forms.FileField(
        label="ISTV mapping file (optional)",
        required=False,
        help_text="Only for an emergency-department extract whose columns or codes differ "
        "from ISTV's (see docs/formats/istv.md).",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mapping") and cleaned.get("kind") != "istv":
            self.add_error("mapping", "A mapping file is used only with an ISTV extract.")
        return cleaned


class VenueDecisionForm(forms.Form):
    """Which licensed premises one free-text location is, among its candidates."""

    location_key = forms.CharField(widget=forms.HiddenInput)
    premises = forms.ChoiceField(label="Premises", widget=forms.RadioSelect)

    def __init__(self, item: dict, *args, **kwargs):
        super().__init__(*args, initial={"location_key": item["location_key"]}, **kwargs)
        self.item = item
        self.fields["premises"].choices = [
            (str(candidate["licence_number"]), _describe(candidate))
            for candidate in item["candidates"]
        ] + [(NONE_OF_THESE, "None of these")]

    def clean_location_key(self):
        key = self.cleaned_data["location_key"]
        if key != self.item["location_key"]:
            raise forms.ValidationError("This form is for another location.")
        return key

    def licence_number(self) -> str | None:
        """The chosen premises' licence number, or None for "none of these"."""
        choice = self.cleaned_data["premises"]
        return None if choice == NONE_OF_THESE else choice


def _describe(candidate: dict) -> str:
    score = candidate.get("score")
    shown = f" (match score {score:.0f} out of 100)" if isinstance(score, int | float) else ""
    return f"{candidate['premises_name']}, {candidate['address']}{shown}"
