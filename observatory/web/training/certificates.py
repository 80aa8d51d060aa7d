"""Certificates of attendance, as PDF (fpdf2, as the licensing report: decision 0015).

A certificate is given only for full attendance **and** completed feedback: `missing()`
says what a booking still lacks, in words the person's page shows, and `render()` refuses a
booking that lacks anything, so no view can hand one out by mistake.
"""

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos

from observatory.web.dashboards.pdf import BRAND, FONT, plain
from observatory.web.training.feedback import has_feedback
from observatory.web.training.models import Booking


class NotEarned(Exception):
    """The booking does not (yet) earn a certificate."""


def missing(booking: Booking) -> list[str]:
    """What `booking` still needs for a certificate, as sentences; empty when earned."""
    needs = []
    if booking.attendance != Booking.Attendance.ATTENDED:
        needs.append("Your attendance has not been recorded by the coordinator yet.")
    if not has_feedback(booking):
        needs.append("Your feedback on the session has not been received yet.")
    return needs


def file_name(booking: Booking) -> str:
    day = timezone.localtime(booking.session.starts_at).date().isoformat()
    return f"certificate-{day}-{booking.session.course_id}.pdf"


def render(booking: Booking) -> bytes:
    """The certificate of `booking` as PDF bytes; NotEarned when something is missing."""
    needs = missing(booking)
    if needs:
        raise NotEarned(" ".join(needs))
    session = booking.session
    course = session.course
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(plain(f"Certificate: {course.title}"))
    pdf.set_author("Observatory")
    pdf.set_margins(25, 30, 25)
    pdf.add_page()
    pdf.set_text_color(*BRAND)
    pdf.set_font(FONT, "B", 26)
    pdf.cell(0, 14, "Certificate of attendance", align="C", new_x=XPos.LMARGIN, new_y="NEXT")
    pdf.ln(10)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, "", 13)
    pdf.cell(0, 8, "This is to certify that", align="C", new_x=XPos.LMARGIN, new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 12, plain(booking.name), align="C", new_x=XPos.LMARGIN)
    pdf.set_font(FONT, "", 13)
    pdf.cell(0, 8, "attended", align="C", new_x=XPos.LMARGIN, new_y="NEXT")
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 9, plain(course.title), align="C", new_x=XPos.LMARGIN)
    pdf.set_font(FONT, "", 13)
    when = timezone.localtime(session.starts_at).strftime("%-d %B %Y")
    pdf.cell(0, 8, plain(f"on {when}"), align="C", new_x=XPos.LMARGIN, new_y="NEXT")
    if course.delivery_partner:
        pdf.cell(
            0, 8, plain(f"delivered by {course.delivery_partner}"), align="C",
            new_x=XPos.LMARGIN, new_y="NEXT",
        )  # fmt: skip
    outcomes = [line.strip(" -•\t") for line in course.learning_outcomes.splitlines()]
    outcomes = [line for line in outcomes if line]
    if outcomes:
        pdf.ln(10)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, 7, "Learning outcomes", new_x=XPos.LMARGIN, new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        for outcome in outcomes:
            pdf.multi_cell(0, 6, plain(f"- {outcome}"), new_x=XPos.LMARGIN)
    return bytes(pdf.output())
