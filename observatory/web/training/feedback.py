"""Attendees' feedback: the form, the e-mail asking for it, and a course's evaluation.

The form is reached by the person's own booking link (`/training/b/<token>/feedback/`), so
nobody needs an account. It opens only for an attended booking and can be sent once. The
evaluation of a course compares confidence before and after (1 to 5, as the attendee rates
it afterwards): the mean change with a 95% interval (paired t), the distributions, and how
many of those who attended answered — a mean of few answers is not a finding.
"""

import math
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from scipy import stats

from observatory.web.training.models import Booking, Course, Feedback

SCALE = range(1, 6)
SCALE_CHOICES = [
    (1, "1 — not at all confident"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 — very confident"),
]


class FeedbackForm(forms.ModelForm):
    """Confidence before and after (1 to 5) and two open questions."""

    confidence_before = forms.TypedChoiceField(
        label="Before the session, how confident were you in this area?",
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    confidence_after = forms.TypedChoiceField(
        label="And now, after the session?",
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Feedback
        fields = ["confidence_before", "confidence_after", "most_useful", "improve"]
        labels = {
            "most_useful": "What was most useful to you?",
            "improve": "What could we do better?",
        }
        widgets = {
            "most_useful": forms.Textarea(attrs={"rows": 3}),
            "improve": forms.Textarea(attrs={"rows": 3}),
        }


def may_give_feedback(booking: Booking) -> bool:
    """Attended and not yet answered."""
    return booking.attendance == Booking.Attendance.ATTENDED and not has_feedback(booking)


def has_feedback(booking: Booking) -> bool:
    return Feedback.objects.filter(booking=booking).exists()


def absolute(path: str, request=None) -> str:
    """`path` as a full link: from the request when there is one, else from SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def send_request(booking: Booking, request=None) -> None:
    """E-mail `booking`'s person the link to the feedback form (plain text and HTML)."""
    context = {
        "booking": booking,
        "session": booking.session,
        "course": booking.session.course,
        "feedback_url": absolute(reverse("training-feedback", args=[booking.token]), request),
    }
    subject = f"How was {booking.session.course.title}? Your feedback and certificate"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("training/feedback/request_email.txt", context),
        to=[booking.email],
    )
    message.attach_alternative(
        render_to_string("training/feedback/request_email.html", context), "text/html"
    )
    message.send()


@dataclass(frozen=True)
class Evaluation:
    """A course's feedback in numbers (all sessions, or those given)."""

    attended: int
    answered: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    change_low: float | None  # 95% interval of the mean change; None below 2 answers
    change_high: float | None
    before: list[int]  # how many answered 1, 2, 3, 4, 5
    after: list[int]

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.attended if self.attended else None

    @property
    def distribution(self) -> list[tuple[int, int, int]]:
        """(score, answered before, answered after) for the table."""
        return list(zip(SCALE, self.before, self.after, strict=True))


def evaluate(course: Course) -> Evaluation:
    """The evaluation of `course` over all its sessions' attended bookings."""
    attended = Booking.objects.filter(
        session__course=course, attendance=Booking.Attendance.ATTENDED
    ).count()
    answers = list(
        Feedback.objects.filter(
            booking__session__course=course, booking__attendance=Booking.Attendance.ATTENDED
        ).values_list("confidence_before", "confidence_after")
    )
    return summarise(attended, answers)


def summarise(attended: int, answers: list[tuple[int, int]]) -> Evaluation:
    """The numbers for `answers` (before, after) out of `attended` people."""
    before = Counter(b for b, _ in answers)
    after = Counter(a for _, a in answers)
    n = len(answers)
    if not n:
        return Evaluation(attended, 0, None, None, None, None, None, [0] * 5, [0] * 5)
    changes = [a - b for b, a in answers]
    mean_change = sum(changes) / n
    low = high = None
    if n >= 2:
        variance = sum((c - mean_change) ** 2 for c in changes) / (n - 1)
        margin = stats.t.ppf(0.975, n - 1) * math.sqrt(variance / n)
        low, high = mean_change - margin, mean_change + margin
    return Evaluation(
        attended=attended,
        answered=n,
        mean_before=sum(b for b, _ in answers) / n,
        mean_after=sum(a for _, a in answers) / n,
        mean_change=mean_change,
        change_low=low,
        change_high=high,
        before=[before[score] for score in SCALE],
        after=[after[score] for score in SCALE],
    )
