"""Coordinators' forms: courses, sessions, the attendance register, and the periods of the
payment list and reach page."""

import datetime

from django import forms

from observatory.web.training import attendance
from observatory.web.training.models import Booking, Course, Sector, Session

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CourseForm(forms.ModelForm):
    """A course; the model's clean() keeps the audiences a list of known sectors."""

    audiences = forms.MultipleChoiceField(
        label="Audience sectors",
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for a course meant for everyone.",
    )

    class Meta:
        model = Course
        fields = ["title", "description", "audiences", "delivery_partner", "learning_outcomes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"learning_outcomes": "One per line; they are printed on certificates."}


class SessionForm(forms.ModelForm):
    """Every field of a session; the model's clean() checks the times and the rate."""

    online_link = forms.URLField(label="Online link", required=False, assume_scheme="https")

    class Meta:
        model = Session
        fields = [
            "kind", "starts_at", "ends_at", "venue", "online_link", "capacity", "facilitators",
            "booking_opens_at", "booking_closes_at", "cancellation_cutoff", "requires_approval",
            "organisation_cap", "hourly_rate", "offer_hours", "cancelled",
        ]  # fmt: skip
        widgets = {
            name: DATETIME
            for name in [
                "starts_at", "ends_at", "booking_opens_at", "booking_closes_at",
                "cancellation_cutoff",
            ]
        }  # fmt: skip
        labels = {
            "starts_at": "Starts",
            "ends_at": "Ends",
            "booking_opens_at": "Booking opens",
            "booking_closes_at": "Booking closes",
            "cancellation_cutoff": "Cancellation cut-off",
            "cancelled": "Session cancelled",
        }
        help_texts = {"starts_at": "Date and time, UK time."}


class AttendanceRegisterForm(forms.Form):
    """One attendance choice per booking on the register, and hours for consultation
    groups (default the session's length). Field names carry the booking's id."""

    def __init__(self, session: Session, bookings, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.bookings = list(bookings)
        full = attendance.default_hours(session)
        for booking in self.bookings:
            self.fields[f"attendance_{booking.pk}"] = forms.ChoiceField(
                label=f"Attendance of {booking.name}",
                choices=Booking.Attendance.choices,
                initial=booking.attendance,
                widget=forms.RadioSelect,
            )
            if session.is_consultation:
                self.fields[f"hours_{booking.pk}"] = forms.DecimalField(
                    label=f"Hours attended by {booking.name}",
                    min_value=0,
                    max_value=full,
                    max_digits=5,
                    decimal_places=2,
                    required=False,
                    initial=booking.hours_attended if booking.hours_attended is not None else full,
                    widget=forms.NumberInput(attrs={"step": "0.25", "class": "narrow-number"}),
                )

    def rows(self):
        """(booking, attendance field, hours field or None) for the template."""
        for booking in self.bookings:
            hours = f"hours_{booking.pk}"
            yield (
                booking,
                self[f"attendance_{booking.pk}"],
                self[hours] if hours in self.fields else None,
            )

    def marks(self):
        """(booking, attendance, hours or None) from valid data."""
        for booking in self.bookings:
            yield (
                booking,
                self.cleaned_data[f"attendance_{booking.pk}"],
                self.cleaned_data.get(f"hours_{booking.pk}"),
            )


class PeriodForm(forms.Form):
    """A date range read from the URL: from a day up to and including another."""

    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To (inclusive)", widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must be on or after the start date.")
        return data

    def end_exclusive(self) -> datetime.date:
        return self.cleaned_data["end"] + datetime.timedelta(days=1)


class FinancialYearForm(forms.Form):
    """Which financial year the reach page shows; the current one when none is chosen."""

    year = forms.ChoiceField(label="Financial year", required=False)

    def __init__(self, years: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
