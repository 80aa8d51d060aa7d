"""What leaves the analysis for each audience (the fixture region of conftest, on DuckDB)."""

from __future__ import annotations

import polars as pl
import pytest

from observatory.analysis.audience import REGION, Analysis
from observatory.analysis.disclosure import Audience, DisclosureRule
from observatory.analysis.engine import Engine
from observatory.analysis.indicators import Filters
from observatory.errors import ObservatoryError

RULE = DisclosureRule(smallest_shown=8, rounding_base=5)


@pytest.fixture(scope="module")
def duckdb_engine(region_files):
    return Engine.over_files(region_files, "duckdb")


def test_partners_see_true_counts(duckdb_engine):
    result = Analysis(duckdb_engine, Audience.PARTNER, RULE).rates(Filters(), "la")
    # All sources together: LA1 3 + 3 + 2, LA2 1 + 1 + 1, then the region's row.
    assert result.table["count"].to_list() == [8, 3, 11]
    assert "count_status" not in result.table.columns


def test_the_public_sees_no_small_number_and_no_total_that_gives_one_away(duckdb_engine):
    table = Analysis(duckdb_engine, Audience.PUBLIC, RULE).rates(Filters(), "la").table
    by_name = {row["la_name"]: row for row in table.iter_rows(named=True)}
    assert by_name["Authority 2"]["count_status"] == "small"  # 3
    # The region's 11 is published, so LA1's 8 would give LA2 away: hidden too.
    assert by_name["Authority 1"]["count_status"] == "secondary"
    assert by_name[REGION]["count"] == 10  # 11 to the nearest 5
    for name in ("Authority 1", "Authority 2"):
        assert by_name[name]["count"] is None
        assert by_name[name]["value"] is None and by_name[name]["upper"] is None


def test_premises_figures_are_for_partners_only(duckdb_engine):
    with pytest.raises(ObservatoryError, match="partners only"):
        Analysis(duckdb_engine, Audience.PUBLIC, RULE).premises(Filters())
    partner = Analysis(duckdb_engine, Audience.PARTNER, RULE).premises(Filters())
    assert partner.table["count"].to_list() == [2, 0, 0]


def test_every_public_output_is_protected(duckdb_engine):
    analysis = Analysis(duckdb_engine, Audience.PUBLIC, RULE)
    for result in (
        analysis.counts(Filters(), ["source"]),
        analysis.rates(Filters(), "ward", ["month"]),
        analysis.hour_weekday(Filters()),
        analysis.serious_violence_measures(Filters()),
    ):
        counts = result.table["count"].drop_nulls().to_list()
        assert not [c for c in counts if 1 <= c <= 7], result.table


def test_public_rates_cannot_give_back_the_rounded_count(duckdb_engine):
    rule = DisclosureRule(smallest_shown=3, rounding_base=5)
    table = Analysis(duckdb_engine, Audience.PUBLIC, rule).rates(Filters(), "la").table
    assert table.filter(pl.col("count").is_not_null()).height >= 2
    for row in table.filter(pl.col("count").is_not_null()).iter_rows(named=True):
        assert row["count"] % 5 == 0
        assert row["value"] == pytest.approx(row["count"] / row["population"] * 1e5)


def test_trend_for_partners_and_the_public(duckdb_engine):
    partner = Analysis(duckdb_engine, Audience.PARTNER, RULE).trend(Filters(sources=("force",)))
    assert partner.table.select("month", "count").rows() == [("2025-03", 3), ("2025-04", 1)]
    assert set(partner.table["status"]) == {"not enough history"}
    public = Analysis(duckdb_engine, Audience.PUBLIC, RULE).trend(Filters(sources=("force",)))
    assert public.table["count"].to_list() == [None, None]
    assert public.table["remainder"].is_null().all()
