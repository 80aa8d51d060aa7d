"""`observatory indicators …`: indicators with their confidence intervals.

The commands are thin shells over observatory.analysis.stats: they parse, call one function
and print. Input no statistic can come from (a negative count, a count above its total, a
population of 0) is an ObservatoryError, which `observatory` prints as one line.
"""

from __future__ import annotations

import json

import click

from observatory.errors import ObservatoryError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

level_option = click.option(
    "--level",
    type=click.Choice(["95", "99.8"]),
    default="95",
    show_default=True,
    help="Confidence level, per cent.",
)
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object instead of a sentence."
)
METHOD_NAMES = {"exact": "exact method", "byar": "Byar's method", "wilson": "Wilson score method"}


@click.group("indicators", context_settings=CONTEXT)
def indicators() -> None:
    """Rates, proportions and the partnership's indicators, with confidence intervals."""


@indicators.command("rate")
@click.option("--count", required=True, type=int, help="Number of events observed.")
@click.option("--population", required=True, type=float, help="Population (the denominator).")
@click.option(
    "--per",
    default=100_000,
    show_default=True,
    type=float,
    help="Express the rate per this many people (e.g. 1000 or 100000).",
)
@level_option
@json_option
def rate(count: int, population: float, per: float, level: str, as_json: bool) -> None:
    """A crude rate with its confidence interval (exact below 10 events, Byar's from 10)."""
    from observatory.analysis import stats

    result = stats.crude_rate(count, _whole(population), per=_whole(per), level=float(level))
    if result.value is None:
        raise ObservatoryError(f"cannot compute a rate: {result.reason}; give --population > 0")
    if as_json:
        _print_json(
            count=result.count,
            population=result.denominator,
            per=_whole(result.per),
            rate=result.value,
            lower=result.lower,
            upper=result.upper,
            level=_whole(result.level),
            method=result.method,
        )
        return
    click.echo(
        f"Rate: {_number(result.value)} per {_whole(result.per):,} "
        f"({_whole(result.level)}% confidence interval {_number(result.lower)} to "
        f"{_number(result.upper)}, {METHOD_NAMES[result.method]}): "
        f"{result.count:,} events in a population of {_whole(population):,}."
    )


@indicators.command("proportion")
@click.option("--count", required=True, type=int, help="Number with the characteristic.")
@click.option("--total", required=True, type=int, help="Total number (the denominator).")
@level_option
@json_option
def proportion(count: int, total: int, level: str, as_json: bool) -> None:
    """A proportion with its Wilson score confidence interval."""
    from observatory.analysis import stats

    result = stats.proportion(count, total, level=float(level))
    if result.value is None:
        raise ObservatoryError(f"cannot compute a proportion: {result.reason}; give --total > 0")
    if as_json:
        _print_json(
            count=result.count,
            total=result.total,
            proportion=result.value,
            percent=result.percent,
            lower=result.lower,
            upper=result.upper,
            lower_percent=result.lower_percent,
            upper_percent=result.upper_percent,
            level=_whole(result.level),
            method=result.method,
        )
        return
    click.echo(
        f"Proportion: {result.value:.4f} ({result.percent:.1f}%), "
        f"{_whole(result.level)}% confidence interval {result.lower_percent:.1f}% to "
        f"{result.upper_percent:.1f}% ({METHOD_NAMES[result.method]}): "
        f"{result.count:,} of {result.total:,}."
    )


def _print_json(**fields) -> None:
    click.echo(json.dumps(fields))


def _whole(number: float) -> float | int:
    """An integral float as an int (100000.0 -> 100000), so output reads as typed."""
    return int(number) if float(number).is_integer() else number


def _number(value: float) -> str:
    """One decimal place, as Fingertips shows rates; three significant figures below 1."""
    return f"{value:,.1f}" if value >= 1 or value == 0 else f"{value:.3g}"
