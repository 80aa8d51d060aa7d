"""Addresses of the reports pages (issue 6)."""

urlpatterns: list = []
