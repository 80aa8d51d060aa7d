"""The programme register: what the partnership commissions, from whom, for whom, and its
history of changes.

Funding sources and intervention approaches are maintained lists (rows, not choices), so a
new funder or approach is added without a code change; approaches will carry evidence
ratings in a later issue.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from observatory.web.accounts.models import LocalAuthority, Organisation

MAX_AGE = 120


class FundingSource(models.Model):
    """A funder or funding stream, e.g. "Home Office core grant"."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Approach(models.Model):
    """An intervention approach, e.g. "Mentoring" or "A&E navigators"."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Programme(models.Model):
    """One commissioned programme. A programme is identified, for imports, by its name and
    provider organisation together (unique)."""

    class Workstream(models.TextChoices):
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        EXPLOITATION = "exploitation", "Exploitation"
        CRIMINAL_JUSTICE = "criminal_justice", "Criminal Justice & Policing"
        FAITH = "faith", "Faith & Communities"
        SPORT = "sport", "Sport"
        VAWG = "vawg", "Violence Against Women & Girls"
        PLACE = "place", "Place-based"

    class Commissioner(models.TextChoices):
        VRP = "vrp", "VRP"
        PCC = "pcc", "Police and Crime Commissioner"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    workstream = models.CharField(max_length=20, choices=Workstream.choices)
    commissioner = models.CharField(max_length=10, choices=Commissioner.choices)
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="programmes"
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name="provider organisation",
    )
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField()
    local_authorities = models.ManyToManyField(
        LocalAuthority, related_name="programmes", verbose_name="local authorities served"
    )
    places = models.TextField(
        "places served",
        blank=True,
        help_text="Optional: wards or named places such as a school or a hospital.",
    )
    min_age = models.PositiveSmallIntegerField("youngest age in the cohort", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("oldest age in the cohort", null=True, blank=True)
    needs = models.TextField("cohort needs", blank=True)
    approach = models.ForeignKey(
        Approach,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name="intervention approach",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    expected_quarterly_reach = models.PositiveIntegerField(
        "expected reach per quarter", help_text="Participants expected each quarter."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "provider"], name="programme_name_provider"),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="programme_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="programme_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.provider})"

    def clean(self):
        """End after start; a sensible age range; a non-negative amount."""
        errors = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = "The end date must be after the start date."
        for field in ("min_age", "max_age"):
            age = getattr(self, field)
            if age is not None and age > MAX_AGE:
                errors[field] = f"An age is a whole number of years from 0 to {MAX_AGE}."
        if (
            "min_age" not in errors
            and "max_age" not in errors
            and self.min_age is not None
            and self.max_age is not None
            and self.min_age > self.max_age
        ):
            errors["max_age"] = "The oldest age must not be below the youngest."
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "The amount cannot be negative."
        if errors:
            raise ValidationError(errors)


class ProgrammeChange(models.Model):
    """One field of one programme changed by one person at one time (the history)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="changes")
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    who_name = models.CharField(max_length=150)
    when = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=50)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["-when", "-pk"]

    def __str__(self):
        return f"{self.who_name} changed {self.field} of {self.programme_id}"

    @property
    def field_label(self) -> str:
        """The changed field as the form labels it, e.g. "end date"."""
        try:
            return str(Programme._meta.get_field(self.field).verbose_name).capitalize()
        except FieldDoesNotExist:
            return self.field


class Outcome(models.Model):
    """An outcome providers count in their returns, e.g. "Re-engaged in education". A
    maintained list: leads add or retire outcomes without a code change."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="Retired outcomes leave the forms.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class QuarterlyReturn(models.Model):
    """A provider's return for one programme and one financial quarter (quarters.py).

    The headline number reached is `participants_new + participants_continuing`; its
    breakdowns (ReturnBreakdown) must add up to it before the return can be submitted
    (returns.py checks). Only accepted returns count in reach figures.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        QUERIED = "queried", "Queried"
        ACCEPTED = "accepted", "Accepted"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="returns")
    quarter_start = models.DateField(help_text="First day of the financial quarter.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    participants_new = models.PositiveIntegerField("new participants", default=0)
    participants_continuing = models.PositiveIntegerField("continuing participants", default=0)
    sessions_delivered = models.PositiveIntegerField(default=0)
    hours_delivered = models.DecimalField(
        "hours delivered", max_digits=8, decimal_places=1, default=0
    )
    professionals_trained = models.PositiveIntegerField(default=0)
    referrals_onward = models.PositiveIntegerField(
        "onward referrals", default=0, help_text="Participants referred on to other services."
    )
    reach_explanation = models.TextField(
        blank=True, help_text="Why reach differs a lot from what was expected, when it does."
    )
    case_study = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-quarter_start", "programme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "quarter_start"], name="one_return_per_programme_quarter"
            )
        ]

    def __str__(self):
        return f"{self.programme.name}, {self.quarter}"

    @property
    def quarter(self):
        from observatory.web.programmes.quarters import Quarter

        return Quarter(self.quarter_start)

    @property
    def participants(self) -> int:
        """The headline number reached this quarter."""
        return self.participants_new + self.participants_continuing

    @property
    def editable(self) -> bool:
        """A provider may change a draft, or a return a lead has queried."""
        return self.status in (self.Status.DRAFT, self.Status.QUERIED)


class ReturnBreakdown(models.Model):
    """How many of a return's participants (or referrals in) fall in one category of one
    dimension (categories.py), e.g. age band 15-17: 12."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="breakdowns"
    )
    dimension = models.CharField(max_length=20)
    category = models.CharField(max_length=20)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "dimension", "category"],
                name="one_count_per_return_category",
            )
        ]

    def __str__(self):
        return f"{self.dimension} {self.category}: {self.count}"


class ReturnOutcome(models.Model):
    """How many participants achieved one outcome in the quarter."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="outcomes"
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["outcome__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarterly_return", "outcome"], name="one_count_per_return_outcome"
            )
        ]

    def __str__(self):
        return f"{self.outcome}: {self.count}"


class ReturnComment(models.Model):
    """One message in a return's thread: a lead's query, a provider's answer, or a note
    recorded with a change of status."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    status_after = models.CharField(
        max_length=10,
        choices=QuarterlyReturn.Status.choices,
        help_text="The return's status once this message was posted.",
    )
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author_name} on return {self.quarterly_return_id}"


class ReturnReminder(models.Model):
    """An overdue reminder e-mailed about one programme's quarter: kept so reminders are
    spaced out rather than sent on every run."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reminders")
    quarter_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"Reminder for programme {self.programme_id}, {self.quarter_start}"
