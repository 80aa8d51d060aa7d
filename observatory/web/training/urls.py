"""Addresses of the Training section, under /training/.

The public part (no login) is the listing, named "training" like every section's landing
page (shell/sections.py), the booking form, and each person's booking pages reached by the
token in their e-mails. Coordinators' pages live under manage/.
"""

from django.urls import path

from observatory.web.training import views_manage, views_public

urlpatterns = [
    path("", views_public.session_list, name="training"),
    path("sessions/<int:pk>/book/", views_public.book, name="training-book"),
    path("b/<str:token>/", views_public.booking_page, name="training-booking"),
    path(
        "b/<str:token>/cancel/",
        views_public.booking_action,
        {"action": "cancel"},
        name="training-booking-cancel",
    ),
    path(
        "b/<str:token>/accept/",
        views_public.booking_action,
        {"action": "accept"},
        name="training-booking-accept",
    ),
    path(
        "b/<str:token>/decline/",
        views_public.booking_action,
        {"action": "decline"},
        name="training-booking-decline",
    ),
]

# --- Coordinator pages (T2): add paths under "manage/" below this line. ---
urlpatterns += [
    path("manage/", views_manage.overview, name="training-manage"),
    path("manage/courses/new/", views_manage.course_form, name="training-manage-course-create"),
    path("manage/courses/<int:pk>/", views_manage.course_detail, name="training-manage-course"),
    path(
        "manage/courses/<int:pk>/edit/",
        views_manage.course_form,
        name="training-manage-course-edit",
    ),
    path(
        "manage/courses/<int:course_pk>/sessions/new/",
        views_manage.session_form,
        name="training-manage-session-create",
    ),
    path("manage/sessions/<int:pk>/", views_manage.session_detail, name="training-manage-session"),
    path(
        "manage/sessions/<int:pk>/edit/",
        views_manage.session_form,
        name="training-manage-session-edit",
    ),
    path(
        "manage/sessions/<int:pk>/register/",
        views_manage.register,
        name="training-manage-register",
    ),
    path(
        "manage/sessions/<int:pk>/payments.csv",
        views_manage.session_payments,
        name="training-manage-session-payments",
    ),
    path("manage/bookings/<int:pk>/approve/", views_manage.approve, name="training-manage-approve"),
    path("manage/bookings/<int:pk>/decline/", views_manage.decline, name="training-manage-decline"),
    path("manage/payments/", views_manage.period_payments, name="training-manage-payments"),
    path("manage/reach/", views_manage.reach_page, name="training-manage-reach"),
    path("b/<str:token>/feedback/", views_manage.give_feedback, name="training-feedback"),
    path("b/<str:token>/certificate.pdf", views_manage.certificate, name="training-certificate"),
]
