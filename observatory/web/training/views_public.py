"""Pages anyone can use without logging in: the listing of upcoming sessions, the booking
form, and a person's own booking page reached by the secret link in their e-mails.

Every page first expires stale waitlist offers (booking.expire_offers), so a freed place
moves on even when no scheduled command runs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from observatory.web.accounts.roles import Capability, may
from observatory.web.training import booking as rules
from observatory.web.training import certificates
from observatory.web.training.feedback import has_feedback
from observatory.web.training.forms_public import BookingForm
from observatory.web.training.models import Booking, Sector, Session

BOOKED_MESSAGES = {
    Booking.Status.CONFIRMED: "Your place is confirmed. We have e-mailed you the details.",
    Booking.Status.PENDING_APPROVAL: (
        "Your booking has been received and your place is held until a coordinator approves "
        "it. We have e-mailed you."
    ),
    Booking.Status.WAITLISTED: (
        "The session is full, so you are on the waitlist. We will e-mail you if a place frees up."
    ),
}
ACTIONS = {
    "cancel": (rules.cancel, Booking.LIVE, "Your booking has been cancelled."),
    "accept": (rules.accept_offer, (Booking.Status.OFFERED,), "You have accepted the place."),
    "decline": (
        rules.decline_offer,
        (Booking.Status.OFFERED,),
        "You have declined the place; it will be offered to the next person.",
    ),
}


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _upcoming(now):
    return (
        Session.objects.filter(cancelled=False, ends_at__gt=now)
        .select_related("course")
        .annotate(
            taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING_PLACE)),
            waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
        )
        .order_by("starts_at", "pk")
    )


@login_not_required
@require_http_methods(["GET"])
def session_list(request):
    """Upcoming sessions, optionally only those meant for one sector (a course with no
    audience listed is for everyone)."""
    now = timezone.now()
    rules.expire_offers(now, base_url=_base_url(request))
    sector = request.GET.get("sector", "")
    if sector not in Sector.values:
        sector = ""
    sessions = [
        session
        for session in _upcoming(now)
        if not sector or not session.course.audiences or sector in session.course.audiences
    ]
    for session in sessions:
        session.left = max(session.capacity - session.taken, 0)
        session.open_now = session.booking_is_open(now)
    return render(
        request,
        "training/public/list.html",
        {
            "sessions": sessions,
            "sectors": Sector.choices,
            "sector": sector,
            "now": now,
            "can_manage": may(request.user, Capability.MANAGE_TRAINING),
        },
    )


def _bookable_session(pk) -> Session:
    return get_object_or_404(
        Session.objects.select_related("course"), pk=pk, cancelled=False, ends_at__gt=timezone.now()
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def book(request, pk):
    """The booking form; a refusal by the rules shows above the form with everything typed
    kept; success goes to the person's own booking page."""
    now = timezone.now()
    rules.expire_offers(now, base_url=_base_url(request))
    session = _bookable_session(pk)
    form = BookingForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            booking = rules.book(session, form.details(), base_url=_base_url(request))
        except rules.BookingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, BOOKED_MESSAGES[booking.status])
            return redirect("training-booking", booking.token)
    taken = session.bookings.filter(status__in=Booking.HOLDING_PLACE).count()
    return render(
        request,
        "training/public/book.html",
        {
            "session": session,
            "form": form,
            "left": max(session.capacity - taken, 0),
            "open_now": session.booking_is_open(now),
            "not_yet_open": now < session.booking_opens_at,
        },
        status=400 if form.errors else 200,
    )


def _own_booking(request, token) -> Booking:
    rules.expire_offers(base_url=_base_url(request))
    return get_object_or_404(Booking.objects.select_related("session__course"), token=token)


@login_not_required
@require_http_methods(["GET"])
def booking_page(request, token):
    """The person's booking: its status, and what they may do with it now."""
    booking = _own_booking(request, token)
    now = timezone.now()
    context = {"booking": booking, "session": booking.session, "now": now}
    if booking.status == Booking.Status.CONFIRMED and booking.session.ends_at <= now:
        # After the session: the feedback link while it is owed, and the certificate's state.
        context["after_session"] = True
        context["feedback_owed"] = booking.attendance == Booking.Attendance.ATTENDED and (
            not has_feedback(booking)
        )
        context["missing"] = certificates.missing(booking)
    return render(request, "training/public/booking.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def booking_action(request, token, action):
    """Cancel, accept or decline: GET asks to confirm (an e-mail link only shows this page),
    POST does it. A refusal (past the cut-off, an expired offer) is shown on the booking page."""
    booking = _own_booking(request, token)
    change, allowed_from, done = ACTIONS[action]
    if booking.status not in allowed_from:
        messages.info(request, "There is nothing to do: see your booking's status below.")
        return redirect("training-booking", token)
    if request.method == "POST":
        try:
            change(booking, base_url=_base_url(request))
        except rules.BookingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done)
        return redirect("training-booking", token)
    return render(
        request,
        "training/public/confirm.html",
        {"booking": booking, "session": booking.session, "action": action},
    )
