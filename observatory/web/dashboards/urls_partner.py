"""Addresses of the partner pages (issue 6)."""

urlpatterns: list = []
