"""Coordinators' pages under /training/manage/: courses, sessions, bookings (with approval),
the attendance register, the evaluation of a course, the payment list and the reach page;
and the person's feedback form and certificate, reached by their own booking link.

Every coordinator page needs MANAGE_TRAINING (403 otherwise); an id that does not exist is
404. The reach page shows aggregates only, so partners (VIEW_DASHBOARDS) may open it too.
The feedback form and certificate need no login: the unguessable token is the key, and an
unknown token is 404.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from observatory.web.accounts.access import requires
from observatory.web.accounts.roles import Capability, may
from observatory.web.training import attendance, certificates, feedback, payments, reach
from observatory.web.training import booking as rules
from observatory.web.training.forms_manage import (
    AttendanceRegisterForm,
    CourseForm,
    FinancialYearForm,
    PeriodForm,
    SessionForm,
)
from observatory.web.training.models import Booking, Course, Session

coordinators = requires(Capability.MANAGE_TRAINING)
FORM_METHODS = ["GET", "HEAD", "POST"]


@coordinators
@require_safe
def overview(request):
    """Upcoming sessions first, then every course."""
    now = timezone.now()
    upcoming = Session.objects.filter(ends_at__gte=now).select_related("course")
    context = {"upcoming": upcoming, "courses": Course.objects.all(), "now": now}
    return render(request, "training/manage/overview.html", context)


@coordinators
@require_http_methods(FORM_METHODS)
def course_form(request, pk=None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        course = form.save()
        messages.success(request, f"Saved the course “{course.title}”.")
        return redirect("training-manage-course", pk=course.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "training/manage/course_form.html", {"form": form, "course": course}, status=status
    )


@coordinators
@require_safe
def course_detail(request, pk):
    course = get_object_or_404(Course, pk=pk)
    context = {
        "course": course,
        "sessions": course.sessions.all(),
        "evaluation": feedback.evaluate(course),
    }
    return render(request, "training/manage/course_detail.html", context)


@coordinators
@require_http_methods(FORM_METHODS)
def session_form(request, course_pk=None, pk=None):
    """A new session of a course (course_pk) or an existing one (pk)."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk) if pk else None
    course = session.course if session else get_object_or_404(Course, pk=course_pk)
    form = SessionForm(request.POST or None, instance=session or Session(course=course))
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, "Saved the session.")
        return redirect("training-manage-session", pk=session.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "course": course, "session": session}
    return render(request, "training/manage/session_form.html", context, status=status)


@coordinators
@require_safe
def session_detail(request, pk):
    """The session's bookings by status, each with the person's no-show history."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    bookings = list(session.bookings.select_related("local_authority"))
    no_shows = attendance.no_show_counts(b.email for b in bookings)
    for booking in bookings:
        booking.no_shows = no_shows.get(booking.email, 0)
    groups = [
        (label, [b for b in bookings if b.status in statuses])
        for label, statuses in [
            ("Confirmed", [Booking.Status.CONFIRMED]),
            ("Awaiting approval", [Booking.Status.PENDING_APPROVAL]),
            ("Place offered", [Booking.Status.OFFERED]),
            ("Waitlist, in order", [Booking.Status.WAITLISTED]),
            (
                "Cancelled, declined or expired",
                [Booking.Status.CANCELLED, Booking.Status.DECLINED, Booking.Status.EXPIRED],
            ),
        ]
    ]
    context = {"session": session, "groups": groups, "places_left": session.places_left()}
    return render(request, "training/manage/session_detail.html", context)


def _decide(request, pk, decision, done: str):
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=pk)
    try:
        decision(booking, base_url=request.build_absolute_uri("/"))
    except rules.BookingRefused:
        messages.error(request, f"The booking of {booking.name} is no longer awaiting approval.")
    else:
        messages.success(request, f"{done} the booking of {booking.name}.")
    return redirect("training-manage-session", pk=booking.session_id)


@coordinators
@require_POST
def approve(request, pk):
    return _decide(request, pk, rules.approve, "Approved")


@coordinators
@require_POST
def decline(request, pk):
    return _decide(request, pk, rules.decline, "Declined")


@coordinators
@require_http_methods(FORM_METHODS)
def register(request, pk):
    """The attendance register: attended / did not attend per confirmed booking; hours for
    consultation groups. Newly attended people are e-mailed the feedback link."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    bookings = attendance.register(session)
    form = AttendanceRegisterForm(
        session, bookings, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            newly = [b for b, mark, hours in form.marks() if attendance.record(b, mark, hours)]
        for booking in newly:
            feedback.send_request(booking, request)
        messages.success(
            request,
            f"Saved the register. {len(newly)} newly attended "
            f"{'person was' if len(newly) == 1 else 'people were'} sent the feedback link.",
        )
        return redirect("training-manage-register", pk=session.pk)
    no_shows = attendance.no_show_counts(b.email for b in form.bookings)
    for booking in form.bookings:
        booking.no_shows = no_shows.get(booking.email, 0)
    status = 400 if form.is_bound else 200
    context = {"session": session, "form": form}
    return render(request, "training/manage/register.html", context, status=status)


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@coordinators
@require_safe
def session_payments(request, pk):
    session = get_object_or_404(Session, pk=pk)
    day = timezone.localtime(session.starts_at).date().isoformat()
    rows = payments.payments(Session.objects.filter(pk=session.pk))
    return _csv(payments.to_csv(rows), f"payments-{day}-session-{session.pk}.csv")


@coordinators
@require_safe
def period_payments(request):
    """The payment page; with a valid period in the URL, the CSV of the period's sessions."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        zone = timezone.get_current_timezone()
        start, end = (
            datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
            for day in (form.cleaned_data["start"], form.end_exclusive())
        )
        sessions = Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
        name = f"payments-{form.cleaned_data['start']}-to-{form.cleaned_data['end']}.csv"
        return _csv(payments.to_csv(payments.payments(sessions)), name)
    consultations = Session.objects.filter(kind=Session.Kind.CONSULTATION).select_related("course")
    status = 400 if form.is_bound else 200
    context = {"form": form, "consultations": consultations.order_by("-starts_at")}
    return render(request, "training/manage/payments.html", context, status=status)


@require_safe
def reach_page(request):
    """Professionals trained and the estimated indirect reach, per financial year."""
    if not (
        may(request.user, Capability.MANAGE_TRAINING)
        or may(request.user, Capability.VIEW_DASHBOARDS)
    ):
        raise PermissionDenied("Your role does not include manage_training or view_dashboards.")
    current = reach.financial_year()
    first = Session.objects.order_by("starts_at").values_list("starts_at", flat=True).first()
    first_year = reach.financial_year(timezone.localtime(first).date()) if first else current
    years = [
        reach.financial_year(datetime.date(year, 4, 1)).label
        for year in range(current.start.year, first_year.start.year - 1, -1)
    ]
    form = FinancialYearForm(years, request.GET or None)
    period = current
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        period = reach.financial_year_named(form.cleaned_data["year"]) or current
    trained = reach.trained_professionals(period)
    context = {
        "form": form,
        "period": period,
        "trained": trained,
        "breakdowns": [
            ("Course", trained.by_course),
            ("Sector", trained.by_sector),
            ("Local authority", trained.by_local_authority),
        ],
        "indirect": reach.indirect_reach(period),
        "may_manage": may(request.user, Capability.MANAGE_TRAINING),
    }
    return render(request, "training/manage/reach.html", context)


def _by_token(token: str) -> Booking:
    return get_object_or_404(Booking.objects.select_related("session__course"), token=token)


@login_not_required
@require_http_methods(FORM_METHODS)
def give_feedback(request, token):
    """The attendee's feedback form; once sent, what their certificate still needs."""
    booking = _by_token(token)
    form = None
    if feedback.may_give_feedback(booking):
        form = feedback.FeedbackForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            form.instance.booking = booking
            form.save()
            messages.success(request, "Thank you: your feedback was received.")
            return redirect("training-feedback", token=token)
    context = {
        "booking": booking,
        "form": form,
        "has_feedback": feedback.has_feedback(booking),
        "missing": certificates.missing(booking),
    }
    status = 400 if form is not None and form.is_bound else 200
    return render(request, "training/feedback/form.html", context, status=status)


@login_not_required
@require_safe
def certificate(request, token):
    """The certificate PDF; 403 with what is missing while it is not earned."""
    booking = _by_token(token)
    try:
        pdf = certificates.render(booking)
    except certificates.NotEarned:
        context = {"booking": booking, "missing": certificates.missing(booking)}
        return render(request, "training/feedback/no_certificate.html", context, status=403)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.file_name(booking)}"'
    return response
