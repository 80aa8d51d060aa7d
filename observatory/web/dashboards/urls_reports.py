"""Addresses of the reports pages (issue 6): the licensing report, for partners."""

from django.urls import path

from observatory.web.dashboards import views_reports

urlpatterns = [
    path("licensing/", views_reports.licensing_report, name="licensing-report"),
    path("licensing/report.pdf", views_reports.licensing_pdf, name="licensing-report-pdf"),
    path("licensing/<slug:key>.csv", views_reports.licensing_csv, name="licensing-report-csv"),
]
