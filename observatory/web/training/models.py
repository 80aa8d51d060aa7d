"""Training: courses, their sessions (trainings and consultation groups), the bookings people
make for them, and the feedback attendees give.

A booking's status moves only through the service functions in `booking.py`, which hold the
session row locked while they count places, so capacity and per-organisation caps stay true
under concurrent requests. The models here state the data and its invariants; they do not
send e-mails or move bookings between states themselves.
"""

import re
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from observatory.web.accounts.models import LocalAuthority


def default_offer_hours() -> int:
    """How long a waitlist offer stays open in a new session (settings.TRAINING_OFFER_HOURS);
    the coordinator can change it per session."""
    return settings.TRAINING_OFFER_HOURS


def new_token() -> str:
    """An unguessable token for a person's own booking links (about 256 bits)."""
    return secrets.token_urlsafe(32)


_ORGANISATION_NOISE_WORDS = {"ltd", "limited", "cic", "the", "plc", "llp"}
_JOINING_PUNCTUATION = re.compile("[.'\u2019]")  # "C.I.C." is "cic", "St John's" is "st johns"
_NOT_WORD = re.compile(r"[^\w\s]")


def organisation_key(name: str) -> str:
    """The organisation as typed, normalised so that spellings of one organisation compare
    equal for the per-organisation cap: "The Acme Ltd." and "ACME limited" both give "acme".

    Case-folded; dots and apostrophes removed, other punctuation read as a space; legal-form
    words and "the" dropped; spaces collapsed.
    """
    joined = _JOINING_PUNCTUATION.sub("", (name or "").casefold())
    words = _NOT_WORD.sub(" ", joined).split()
    return " ".join(word for word in words if word not in _ORGANISATION_NOISE_WORDS)


class Sector(models.TextChoices):
    """The sectors a course is meant for and a booker works in."""

    EDUCATION = "education", "Education"
    SPORT = "sport", "Sport"
    SOCIAL_WORK = "social_work", "Social work"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    YOUTH_WORK = "youth_work", "Youth work"
    FAITH = "faith", "Faith"
    OTHER = "other", "Other"


class Course(models.Model):
    """What is taught, independent of when: e.g. "Preventing VAWG: an introduction"."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    audiences = models.JSONField(
        "audience sectors",
        default=list,
        blank=True,
        help_text="The sectors the course is meant for (Sector values); empty means everyone.",
    )
    delivery_partner = models.CharField(max_length=200, blank=True)
    learning_outcomes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        """Audiences must be a list of known sectors, each once."""
        audiences = self.audiences or []
        if not isinstance(audiences, list) or any(a not in Sector.values for a in audiences):
            raise ValidationError({"audiences": "Choose sectors from the list."})
        self.audiences = sorted(set(audiences), key=Sector.values.index)

    @property
    def audience_labels(self) -> list[str]:
        return [Sector(value).label for value in self.audiences or []]


class Session(models.Model):
    """One dated occurrence of a course: a training session or a consultation group.

    Consultation groups may pay eligible contributors `hourly_rate` for their hours.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        CONSULTATION = "consultation", "Consultation group"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    facilitators = models.CharField(max_length=300, blank=True)
    booking_opens_at = models.DateTimeField()
    booking_closes_at = models.DateTimeField()
    cancellation_cutoff = models.DateTimeField(
        help_text="After this, people cannot cancel by their link; they contact the coordinator."
    )
    requires_approval = models.BooleanField(
        default=False, help_text="Bookings wait for a coordinator's approval."
    )
    organisation_cap = models.PositiveIntegerField(
        "places per organisation",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="At most this many people from one organisation; empty for no limit.",
    )
    hourly_rate = models.DecimalField(
        "hourly rate (£)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Consultation groups: what eligible contributors are paid per hour.",
    )
    offer_hours = models.PositiveIntegerField(
        "offer open for (hours)",
        default=default_offer_hours,
        validators=[MinValueValidator(1)],
        help_text="How long a freed place offered to the next waitlisted person stays open.",
    )
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="session_capacity"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(booking_closes_at__gt=models.F("booking_opens_at")),
                name="session_booking_window",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation_cap__isnull=True)
                | models.Q(organisation_cap__gt=0),
                name="session_organisation_cap",
            ),
            models.CheckConstraint(
                condition=models.Q(offer_hours__gt=0), name="session_offer_hours"
            ),
        ]

    def __str__(self):
        when = timezone.localtime(self.starts_at).strftime("%d %b %Y %H:%M")
        return f"{self.course} — {when}"

    def clean(self):
        """Times in order, somewhere to be, and a rate only where someone can be paid."""
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The session must end after it starts."
        if (
            self.booking_opens_at
            and self.booking_closes_at
            and self.booking_closes_at <= self.booking_opens_at
        ):
            errors["booking_closes_at"] = "Booking must close after it opens."
        if self.booking_closes_at and self.ends_at and self.booking_closes_at > self.ends_at:
            errors["booking_closes_at"] = "Booking must close before the session ends."
        if (
            self.cancellation_cutoff
            and self.starts_at
            and self.cancellation_cutoff > self.starts_at
        ):
            errors["cancellation_cutoff"] = "The cancellation cut-off must be before the start."
        if not self.venue and not self.online_link:
            errors["venue"] = "Give a venue, an online link, or both."
        if self.hourly_rate is not None and self.kind != self.Kind.CONSULTATION:
            errors["hourly_rate"] = "Only consultation groups pay contributors."
        if errors:
            raise ValidationError(errors)

    @property
    def is_consultation(self) -> bool:
        return self.kind == self.Kind.CONSULTATION

    @property
    def is_online(self) -> bool:
        return bool(self.online_link)

    def places_taken(self) -> int:
        """Bookings that hold a place: confirmed, awaiting approval, or offered."""
        return self.bookings.filter(status__in=Booking.HOLDING_PLACE).count()

    def places_left(self) -> int:
        """Free places now (never negative)."""
        return max(self.capacity - self.places_taken(), 0)

    def booking_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.cancelled and self.booking_opens_at <= now < self.booking_closes_at

    def has_finished(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def may_cancel_by_link(self, now=None) -> bool:
        return (now or timezone.now()) < self.cancellation_cutoff

    def offer_expiry(self, now=None):
        return (now or timezone.now()) + timedelta(hours=self.offer_hours)


class Booking(models.Model):
    """One person's booking for one session, and, later, their attendance there.

    `organisation` is kept as typed; `organisation_key` (see `organisation_key()`) is what
    the per-organisation cap compares. `token` is the secret in the person's own links.
    """

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Awaiting approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waitlist"
        OFFERED = "offered", "Place offered"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Offer expired"

    class ContributorCategory(models.TextChoices):
        EXPERT_BY_EXPERIENCE = "expert_by_experience", "Expert by experience"
        INDEPENDENT_PRACTITIONER = (
            "independent_practitioner",
            "Self-employed independent practitioner",
        )
        GRASSROOTS_OR_SMALL_CHARITY = (
            "grassroots_or_small_charity",
            "Grass-roots organisation or small charity",
        )
        INDEPENDENT_ACADEMIC = "independent_academic", "Academic acting independently"
        LARGE_FUNDED_ORGANISATION = (
            "large_funded_organisation",
            "Staff of a large funded organisation",
        )
        STATUTORY_BODY = "statutory_body", "Staff of a statutory body"

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", "Not recorded"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    # Statuses that hold one of the session's places.
    HOLDING_PLACE = (Status.CONFIRMED, Status.PENDING_APPROVAL, Status.OFFERED)
    # Statuses of a booking that is still alive (one per e-mail per session).
    LIVE = (*HOLDING_PLACE, Status.WAITLISTED)
    PAID_CATEGORIES = (
        ContributorCategory.EXPERT_BY_EXPERIENCE,
        ContributorCategory.INDEPENDENT_PRACTITIONER,
        ContributorCategory.GRASSROOTS_OR_SMALL_CHARITY,
        ContributorCategory.INDEPENDENT_ACADEMIC,
    )

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=200)
    organisation_key = models.CharField(max_length=200, editable=False, db_index=True)
    job_role = models.CharField("role", max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_bookings",
        help_text="Empty: works outside the region.",
    )
    young_people = models.PositiveIntegerField(
        "young people worked with",
        null=True,
        blank=True,
        help_text="About how many young people the person works with.",
    )
    contributor_category = models.CharField(
        max_length=30, choices=ContributorCategory.choices, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    hours_attended = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Waitlist order is booking order.
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=models.Q(
                    status__in=[
                        "pending_approval",
                        "confirmed",
                        "waitlisted",
                        "offered",
                    ]
                ),
                name="booking_one_live_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_attended__isnull=True) | models.Q(hours_attended__gte=0),
                name="booking_hours_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self):
        return f"Booking {self.pk} for session {self.session_id} ({self.status})"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.organisation_key = organisation_key(self.organisation)
        if kwargs.get("update_fields") is not None and "organisation" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "organisation_key"}
        super().save(*args, **kwargs)

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDING_PLACE

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def eligible_for_payment(self) -> bool:
        """Paid for their time: a consultation contributor in an eligible category. Staff of
        large funded organisations and statutory bodies take part as part of their role."""
        return (
            self.session.kind == Session.Kind.CONSULTATION
            and self.contributor_category in self.PAID_CATEGORIES
        )


class Feedback(models.Model):
    """An attendee's evaluation of their session: confidence before and after (1 to 5)."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    confidence_before = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confidence_after = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    most_useful = models.TextField(blank=True)
    improve = models.TextField("what could be better", blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence_before__gte=1, confidence_before__lte=5),
                name="feedback_confidence_before_range",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence_after__gte=1, confidence_after__lte=5),
                name="feedback_confidence_after_range",
            ),
        ]

    def __str__(self):
        return f"Feedback for booking {self.booking_id}"
