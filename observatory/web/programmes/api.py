"""Placeholder: the programmes and returns API (issue 7), mounted at /api/programmes/."""

from ninja import Router

router = Router(tags=["programmes"])
