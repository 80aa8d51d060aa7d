"""The public booking form: who is coming, from where, and (consultation groups) in which
capacity, which decides whether they are paid for their time."""

from django import forms

from observatory.web.accounts.models import LocalAuthority
from observatory.web.training.booking import BookingDetails
from observatory.web.training.models import Booking, Sector

PAYMENT_HELP = (
    "Paid for your time: experts by experience, self-employed independent practitioners, "
    "grass-roots organisations and small charities, and academics acting independently. "
    "Not paid: staff of large funded organisations and of statutory bodies (councils, police, "
    "NHS, schools), who take part as part of their role."
)
MAX_YOUNG_PEOPLE = 100_000


class BookingForm(forms.Form):
    """The person's details; `details()` gives them to booking.book()."""

    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send the confirmation and your link to cancel here.",
    )
    organisation = forms.CharField(label="Organisation", max_length=200)
    job_role = forms.CharField(label="Role", max_length=200, help_text="Your job title or role.")
    sector = forms.ChoiceField(label="Sector", choices=[("", "Choose a sector"), *Sector.choices])
    local_authority = forms.ModelChoiceField(
        label="Local authority you mostly work in",
        queryset=LocalAuthority.objects.all(),
        required=False,
        empty_label="Outside the West Midlands, or region-wide",
    )
    young_people = forms.IntegerField(
        label="Young people you work with (optional)",
        required=False,
        min_value=0,
        max_value=MAX_YOUNG_PEOPLE,
        help_text="Roughly how many young people you work with in a year.",
    )
    contributor_category = forms.ChoiceField(
        label="How you take part",
        choices=[("", "Choose one"), *Booking.ContributorCategory.choices],
        help_text=PAYMENT_HELP,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        if not session.is_consultation:
            del self.fields["contributor_category"]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["job_role"].widget.attrs["autocomplete"] = "organization-title"

    def details(self) -> BookingDetails:
        data = self.cleaned_data
        return BookingDetails(
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            job_role=data["job_role"],
            sector=data["sector"],
            local_authority=data["local_authority"],
            young_people=data["young_people"],
            contributor_category=data.get("contributor_category", ""),
        )
