"""Addresses of the public pages (issue 6)."""

urlpatterns: list = []
