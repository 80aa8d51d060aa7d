"""`observatory indicators areas|breakdown|measures|profile|premises`: the lake's indicators.

Each command reads the lake under OBSERVATORY_DATA_DIR on the engine OBSERVATORY_ENGINE
names (DuckDB by default), for an audience: `--audience partner` (the default, true counts,
for people inside the partnership) or `public` / `external` (the partnership's disclosure
rule applied, as for anything leaving it). Tables print as CSV, or as JSON with `--json`.
"""

from __future__ import annotations

import json
import sys

import click

from observatory.cli_indicators import indicators, level_option

SOURCES = ("police.uk", "force", "ed")
source_option = click.option(
    "--source", "sources", multiple=True, type=click.Choice(SOURCES),
    help="Only these sources (repeat for several; default: each separately is wiser).",
)  # fmt: skip
period_options = [
    click.option("--from", "start", metavar="YYYY-MM", help="First month."),
    click.option("--to", "end", metavar="YYYY-MM", help="Last month."),
]
audience_option = click.option(
    "--audience",
    type=click.Choice(["partner", "public", "external"]),
    default="partner",
    show_default=True,
    help="Who the output is for: public and external get the disclosure rule.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="JSON rows instead of CSV.")


def _common(command):
    for option in [*period_options, source_option, audience_option, json_option][::-1]:
        command = option(command)
    return command


def _analysis(audience: str):
    from observatory.analysis.audience import Analysis
    from observatory.analysis.disclosure import Audience
    from observatory.analysis.engine import Engine
    from observatory.config import load
    from observatory.lake.store import Lake

    lake = Lake.in_data_dir(load().data_dir)
    return Analysis(Engine.for_lake(lake), Audience[audience.upper()])


def _filters(sources, start, end, **more):
    from observatory.analysis.indicators import SOURCES as ALL
    from observatory.analysis.indicators import Filters

    return Filters(sources=tuple(sources) or ALL, start=start, end=end, **more)


def _print(protected, as_json: bool) -> None:
    table = protected.table
    if as_json:
        click.echo(
            json.dumps(
                {"rows": table.to_dicts(), "disclosure": protected.summary.as_dict()}, default=str
            )
        )
    else:
        table.write_csv(sys.stdout)


@indicators.command("areas")
@_common
@click.option(
    "--level-of",
    "area_level",
    type=click.Choice(["region", "la", "ward", "lsoa"]),
    default="la",
    show_default=True,
    help="Area level.",
)
@click.option("--by", "by", multiple=True, help="Also break down by (e.g. month, category).")
@click.option("--category", "categories", multiple=True, help="Only these categories.")
@click.option("--per", type=click.Choice(["1000", "100000"]), default="100000", show_default=True)
@level_option
def areas(start, end, sources, audience, as_json, area_level, by, categories, per, level):
    """Counts and crude rates per area, with intervals and comparison with the region."""
    filters = _filters(sources, start, end, categories=tuple(categories))
    result = _analysis(audience).rates(
        filters, area_level, list(by), per=int(per), level=float(level)
    )
    _print(result, as_json)


@indicators.command("breakdown")
@_common
@click.option("--by", "by", multiple=True, required=True, help="Break down by these columns.")
def breakdown(start, end, sources, audience, as_json, by):
    """Event counts by any breakdown (source, month, category, age_band, sex…)."""
    _print(_analysis(audience).counts(_filters(sources, start, end), list(by)), as_json)


@indicators.command("trend")
@_common
@click.option("--category", "categories", multiple=True, help="Only these categories.")
@click.option("--by", "by", multiple=True, help="One series per value of these columns.")
def trend(start, end, sources, audience, as_json, categories, by):
    """Monthly counts with rolling 12-month totals, seasonal decomposition and exceedances."""
    filters = _filters(sources, start, end, categories=tuple(categories))
    _print(_analysis(audience).trend(filters, list(by)), as_json)


@indicators.command("measures")
@_common
def measures(start, end, sources, audience, as_json):
    """The Home Office serious-violence measures, under 25 and all ages."""
    result = _analysis(audience).serious_violence_measures(_filters(sources, start, end))
    _print(result, as_json)


@indicators.command("profile")
@_common
def profile(start, end, sources, audience, as_json):
    """Events by hour of day and day of week (timed events: ED and force)."""
    _print(_analysis(audience).hour_weekday(_filters(sources, start, end)), as_json)


@indicators.command("premises")
@_common
def premises(start, end, sources, audience, as_json):
    """Licensed premises ranked by the ED assaults linked to them (partners only)."""
    _print(_analysis(audience).premises(_filters(sources, start, end)), as_json)
