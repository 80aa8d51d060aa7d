"""Placeholder: filled by the helper building this part of issue 7."""

urlpatterns = []
