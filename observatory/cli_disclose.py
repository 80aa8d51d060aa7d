"""`observatory disclose`: the partnership's disclosure rule applied to any CSV table."""

from __future__ import annotations

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command("disclose", context_settings=CONTEXT)
def disclose() -> None:
    """Apply the disclosure rule to a CSV table."""
