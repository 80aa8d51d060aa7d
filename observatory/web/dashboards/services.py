"""The dashboards' numbers: one function per panel, the same for pages, downloads and the API.

Each takes a `DashboardQuery` and an `Audience` and returns a `Panel`: the protected table
(analysis.audience: disclosure control for the public), the sentence saying what it counts
(source and period, which every figure states), and the table's columns for people. Pages,
CSV downloads and the JSON API all call these, so a chart, its table and its download agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from observatory.analysis.audience import Analysis
from observatory.analysis.density import hex_density
from observatory.analysis.disclosure import Audience, DisclosureSummary
from observatory.analysis.events import ED, FORCE, POLICE_UK
from observatory.web.dashboards.lake import current_engine, remembered
from observatory.web.dashboards.query import DashboardQuery, InvalidQuery

SOURCE_NAMES = {
    POLICE_UK: "police.uk street-level crime (violence and sexual offences, robbery)",
    FORCE: "the force's recorded crime extract (violence, sexual offences, robbery)",
    ED: "emergency-department assault attendances (ISTV)",
}
PUBLIC_SOURCES = (POLICE_UK, ED)
PUBLIC_LEVELS = ("region", "la", "ward")


@dataclass(frozen=True)
class Panel:
    name: str
    table: pl.DataFrame
    described: str  # "…, police.uk street-level crime, 2025-01 to 2025-12"
    disclosure: DisclosureSummary

    def as_json(self) -> dict:
        return {
            "panel": self.name,
            "described": self.described,
            "rows": self.table.to_dicts(),
            "disclosure": self.disclosure.as_dict(),
        }


def _analysis(audience: Audience) -> Analysis:
    return Analysis(current_engine(), audience)


def check_public(query: DashboardQuery) -> None:
    """Public outputs: local authorities and wards only, police.uk and ED aggregates only."""
    if query.child_level not in PUBLIC_LEVELS:
        raise InvalidQuery("public dashboards go down to wards, not small areas")
    for source in query.sources:
        if source not in PUBLIC_SOURCES:
            raise InvalidQuery(f"the {source} source is for partners only")


def describe(query: DashboardQuery, what: str, sources: tuple[str, ...] | None = None) -> str:
    """What a panel counts, where, from which sources (default: the query's) and when."""
    sources = "; ".join(SOURCE_NAMES[s] for s in sources or query.sources)
    where = query.area.name if query.area else "the region"
    return f"{what}, {where}: {sources}, {query.start} to {query.end}"


def _panel(name: str, protected, query: DashboardQuery, what: str, sources=None) -> Panel:
    return Panel(name, protected.table, describe(query, what, sources), protected.summary)


def _areas(query: DashboardQuery, audience: Audience, level: str | None) -> Panel:
    level = level or query.child_level
    # One row per area and source: the sources count different things, never added up.
    protected = _analysis(audience).rates(query.filters(), level, ["source"])
    return _panel("areas", protected, query, "Violent events per 100,000 residents by area")


def _trend(query: DashboardQuery, audience: Audience) -> Panel:
    """The period's months, with the rolling totals, seasonal pattern and expectations
    worked out from all the history before them."""
    protected = _analysis(audience).trend(query.filters(start=None), ["source"])
    in_period = pl.col("month") >= query.start if query.start else pl.lit(True)
    return _panel(
        "trend",
        replace(protected, table=protected.table.filter(in_period)),
        query,
        "Violent events by month",
    )


def _profile(query: DashboardQuery, audience: Audience) -> Panel:
    # Only ED and force records have times; one source, since they are never added up.
    timed = (ED,) if ED in query.sources or FORCE not in query.sources else (FORCE,)
    protected = _analysis(audience).hour_weekday(query.filters(sources=timed))
    what = "Violent events by hour and day of the week"
    return _panel("profile", protected, query, what, timed)


def _breakdown(query: DashboardQuery, audience: Audience, by: str) -> Panel:
    protected = _analysis(audience).counts(query.filters(), ["source", by])
    return _panel(f"breakdown-{by}", protected, query, f"Violent events by {by.replace('_', ' ')}")


def _measures(query: DashboardQuery, audience: Audience) -> Panel:
    protected = _analysis(audience).serious_violence_measures(query.filters(sources=(ED, FORCE)))
    return _panel("measures", protected, query, "Home Office serious-violence measures")


def _premises(query: DashboardQuery, audience: Audience) -> Panel:
    protected = _analysis(audience).premises(query.filters(sources=(ED,)))
    return _panel("premises", protected, query, "ED assaults linked to licensed premises, ranked")


def areas(query: DashboardQuery, audience: Audience, level: str | None = None) -> Panel:
    """Counts and rates per area one level below the query's area, with the region's row."""
    return remembered(("areas", query, audience, level), lambda: _areas(query, audience, level))


def trend(query: DashboardQuery, audience: Audience) -> Panel:
    """Monthly counts of the period (see `_trend`)."""
    return remembered(("trend", query, audience), lambda: _trend(query, audience))


def profile(query: DashboardQuery, audience: Audience) -> Panel:
    return remembered(("profile", query, audience), lambda: _profile(query, audience))


def breakdown(query: DashboardQuery, audience: Audience, by: str) -> Panel:
    return remembered(("breakdown", query, audience, by), lambda: _breakdown(query, audience, by))


def measures(query: DashboardQuery, audience: Audience) -> Panel:
    return remembered(("measures", query, audience), lambda: _measures(query, audience))


def premises(query: DashboardQuery, audience: Audience) -> Panel:
    return remembered(("premises", query, audience), lambda: _premises(query, audience))


def hexes(query: DashboardQuery, size: int) -> Panel:
    """Located events in hexagons `size` metres across (analysts only: finer than any
    published geography, so never for the public)."""

    def build() -> Panel:
        table = hex_density(current_engine(), query.filters(), size)
        summary = DisclosureSummary(cells=table.height, shown=table.height)
        return Panel("hexes", table, describe(query, f"Located events in {size} m hexagons"),
                     summary)  # fmt: skip

    return remembered(("hexes", query, size), build)
