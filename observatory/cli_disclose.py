"""`observatory disclose`: the partnership's disclosure rule applied to any CSV table."""

from __future__ import annotations

import json
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _names(ctx, param, value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("give one or more column names, separated by commas")
    return names


@click.command("disclose", context_settings=CONTEXT)
@click.argument("source", metavar="IN.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the protected table (written only if the whole table succeeds).",
)
@click.option(
    "--counts",
    callback=_names,
    metavar="COL,...",
    help="Count columns (default: every column but the first whose values are whole numbers).",
)
@click.option("--total-row", metavar="NAME", help="Label (first column) of the total row.")
@click.option("--total-column", metavar="NAME", help="Column holding each row's total.")
@click.option(
    "--derived",
    callback=_names,
    metavar="COL,...",
    help="Columns computed from the counts (rates, %); blanked in rows with a hidden count.",
)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
def disclose(source, out, counts, total_row, total_column, derived, as_json) -> None:
    """Apply the disclosure rule to the CSV table IN.csv for use outside the partnership.

    Counts below OBSERVATORY_DISCLOSURE_SMALLEST_SHOWN (default 8) are hidden, written '<8';
    other cells whose value could be worked out from the totals are hidden too, written '[c]';
    every shown count is rounded to the nearest OBSERVATORY_DISCLOSURE_ROUNDING (default 5).
    The first column labels the rows. See docs/analysis/disclosure.md.
    """
    from observatory.analysis.disclosure import rule_from_environment
    from observatory.analysis.disclosure.csvtables import disclose_csv

    result = disclose_csv(
        source,
        out,
        rule=rule_from_environment(),
        counts=counts,
        total_row=total_row,
        total_column=total_column,
        derived=derived or (),
    )
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    rule, summary = result.rule, result.summary
    click.echo(
        f"Wrote {result.out}: counts below {rule.smallest_shown} hidden, "
        f"others rounded to the nearest {rule.rounding_base}."
    )
    click.echo(f"  count columns: {', '.join(result.counts)}")
    if result.total_row or result.total_column:
        totals = [f"row '{result.total_row}'"] if result.total_row else []
        totals += [f"column '{result.total_column}'"] if result.total_column else []
        click.echo(f"  totals: {' and '.join(totals)}")
    click.echo(
        f"  {summary.cells} counts: {summary.shown} shown ({summary.rounded} changed by "
        f"rounding), {summary.hidden_small} hidden as small ('<{rule.smallest_shown}'), "
        f"{summary.hidden_secondary} hidden to protect them ('[c]')"
    )
    if result.derived:
        click.echo(
            f"  {summary.derived_withheld} derived values blanked in {', '.join(result.derived)}"
        )
    if result.kept:
        click.echo(f"  kept as they were: {', '.join(result.kept)}")
