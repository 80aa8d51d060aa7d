"""Feedback by the person's link, the course's evaluation, and certificates only for
attendance and feedback both."""

import pytest
from django.urls import reverse

from observatory.web.accounts.roles import Role
from observatory.web.training import certificates, feedback
from observatory.web.training.models import Feedback
from tests.web.test_licensing_report import pdf_text
from tests.web.test_training_manage import make_booking, make_course, make_session

pytestmark = pytest.mark.django_db

ANSWERS = {"confidence_before": "2", "confidence_after": "4", "most_useful": "The cases"}


def feedback_url(booking):
    return reverse("training-feedback", args=[booking.token])


def certificate_url(booking):
    return reverse("training-certificate", args=[booking.token])


def test_unknown_tokens_are_not_found(client):
    assert client.get(reverse("training-feedback", args=["nope"])).status_code == 404
    assert client.get(reverse("training-certificate", args=["nope"])).status_code == 404


def test_the_form_opens_only_after_attendance(client):
    booking = make_booking(make_session(days=-1))
    page = client.get(feedback_url(booking))
    assert page.status_code == 200 and page.context["form"] is None
    assert b"opens once the coordinator has recorded your attendance" in page.content
    client.post(feedback_url(booking), ANSWERS)
    assert not Feedback.objects.exists()


def test_certificate_needs_attendance_and_feedback(client):
    booking = make_booking(make_session(days=-1), "Ada Lovelace")
    refused = client.get(certificate_url(booking))
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "attendance has not been recorded" in text and "feedback" in text

    booking.attendance = "attended"
    booking.save()
    refused = client.get(certificate_url(booking))
    assert refused.status_code == 403
    assert "attendance has not been recorded" not in refused.content.decode()
    assert certificates.missing(booking) == [
        "Your feedback on the session has not been received yet."
    ]
    page = client.get(feedback_url(booking))
    assert b"Download your certificate" not in page.content

    response = client.post(feedback_url(booking), ANSWERS, follow=True)
    assert "Thank you: your feedback was received." in response.content.decode()
    assert b"Download your certificate" in response.content
    answer = Feedback.objects.get(booking=booking)
    assert (answer.confidence_before, answer.confidence_after) == (2, 4)

    pdf = client.get(certificate_url(booking))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_feedback_without_attendance_still_gives_no_certificate(client):
    booking = make_booking(make_session(days=-1))
    Feedback.objects.create(booking=booking, confidence_before=1, confidence_after=2)
    assert client.get(certificate_url(booking)).status_code == 403
    with pytest.raises(certificates.NotEarned):
        certificates.render(booking)


def test_the_certificate_names_person_course_date_and_outcomes():
    booking = make_booking(make_session(days=-1), "Ada Lovelace", attendance="attended")
    Feedback.objects.create(booking=booking, confidence_before=1, confidence_after=2)
    text = pdf_text(certificates.render(booking))
    assert "Ada Lovelace" in text
    assert "Preventing VAWG" in text
    assert "Recognise the signs" in text and "Know where to refer" in text


def test_missing_answers_are_explained_and_the_text_kept(client):
    booking = make_booking(make_session(days=-1), attendance="attended")
    response = client.post(feedback_url(booking), {"most_useful": "Role play"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "This field is required." in text and "Role play" in text
    assert 'aria-describedby="id_confidence_before_error"' in text


def test_feedback_is_given_once(client):
    booking = make_booking(make_session(days=-1), attendance="attended")
    client.post(feedback_url(booking), ANSWERS)
    client.post(feedback_url(booking), {**ANSWERS, "confidence_after": "5"})
    assert Feedback.objects.get().confidence_after == 4


def test_summary_numbers():
    result = feedback.summarise(10, [(2, 4), (3, 4), (1, 3), (2, 2)])
    assert result.answered == 4 and result.response_rate == 0.4
    assert result.mean_change == pytest.approx(1.25)
    # t(0.975, 3) = 3.182; sd of changes (2, 1, 2, 0) = 0.957
    assert result.change_low == pytest.approx(1.25 - 3.182 * 0.9574 / 2, abs=0.01)
    assert result.change_high == pytest.approx(1.25 + 3.182 * 0.9574 / 2, abs=0.01)
    assert result.before == [1, 2, 1, 0, 0] and result.after == [0, 1, 1, 2, 0]
    one = feedback.summarise(3, [(1, 5)])
    assert one.change_low is None and one.mean_change == 4
    none = feedback.summarise(0, [])
    assert none.mean_change is None and none.response_rate is None


def test_the_course_page_shows_the_evaluation(client, partnership):
    course = make_course()
    session = make_session(course, days=-3)
    for name, before, after in [("Ada Lovelace", 2, 4), ("Alan Turing", 3, 4)]:
        booking = make_booking(session, name, attendance="attended")
        Feedback.objects.create(booking=booking, confidence_before=before, confidence_after=after)
    make_booking(session, "Grace Hopper", attendance="attended")
    make_booking(session, "Mary Somerville", attendance="no_show")
    client.force_login(partnership["users"][Role.COORDINATOR])
    page = client.get(reverse("training-manage-course", args=[course.pk]))
    evaluation = page.context["evaluation"]
    assert (evaluation.attended, evaluation.answered) == (3, 2)
    text = page.content.decode()
    assert "2 of the 3 people who attended answered" in text
    assert "mean change of <strong>1.50</strong>" in text
    assert "Fewer than 10 answers" in text


def test_the_booking_page_leads_to_feedback_then_the_certificate(client):
    booking = make_booking(make_session(days=-1), "Ada Lovelace")
    booking_url = reverse("training-booking", args=[booking.token])
    page = client.get(booking_url).content.decode()
    assert "attendance has not been recorded" in page and "Download your certificate" not in page

    booking.attendance = "attended"
    booking.save()
    page = client.get(booking_url).content.decode()
    assert feedback_url(booking) in page and "Download your certificate" not in page

    client.post(feedback_url(booking), ANSWERS)
    page = client.get(booking_url).content.decode()
    assert feedback_url(booking) not in page
    assert certificate_url(booking) in page


def test_the_booking_page_before_the_session_says_nothing_of_certificates(client):
    booking = make_booking(make_session(days=3))
    page = client.get(reverse("training-booking", args=[booking.token])).content.decode()
    assert "Certificate" not in page
