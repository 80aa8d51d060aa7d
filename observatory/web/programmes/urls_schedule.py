"""Addresses of return templates and the lead's list of returns due, under
/programmes/returns/ (shared with urls_returns, whose patterns start with a programme id, so
"due/" is never taken for a return)."""

from django.urls import path

from observatory.web.programmes import views_schedule

RETURN = "<int:programme>/<str:quarter_start>/"

urlpatterns = [
    path("due/", views_schedule.due, name="returns-due"),
    path(f"{RETURN}template.csv", views_schedule.template_csv, name="returns-template-csv"),
    path(f"{RETURN}template.xlsx", views_schedule.template_xlsx, name="returns-template-xlsx"),
    path(f"{RETURN}upload/", views_schedule.upload, name="returns-upload"),
]
