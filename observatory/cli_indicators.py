"""`observatory indicators …`: indicators with their confidence intervals."""

from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group("indicators", context_settings=CONTEXT)
def indicators() -> None:
    """Rates, proportions and the partnership's indicators, with confidence intervals."""
