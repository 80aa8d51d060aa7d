"""On the demo region, the analysis finds what the generator planted (docs/formats/demo-truth.md):
the areas with the most violence, the weekend-night peak, the riskiest licensed premises.

The region is generated, imported through the real pipelines and matched, then read only
through the analysis; `truth/` is read only by the test."""

from __future__ import annotations

import polars as pl
import pytest

from observatory.analysis.engine import Engine
from observatory.analysis.indicators import Filters, rates
from observatory.analysis.premises import premises_assaults
from observatory.analysis.profiles import hour_weekday, night_time_economy
from observatory.demo.generate import generate
from observatory.lake.pipelines import import_drop_folder
from observatory.lake.store import Lake
from observatory.lake.venues import match_new_descriptions
from observatory.sources.base import Context


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-truth")
    generate(root / "demo", seed=5, months=12, end_month="2025-12", scale=0.5)
    lake = Lake.in_data_dir(root / "data")
    list(import_drop_folder(root / "demo", lake, Context("demo truth key"), who="tester"))
    match_new_descriptions(lake, "tester")
    return root / "demo" / "truth", Engine.for_lake(lake)


def test_the_top_decile_of_small_areas_is_found(demo):
    truth, engine = demo
    expected = (
        pl.read_csv(truth / "intensity.csv")
        .group_by("lsoa_code")
        .agg(pl.col("expected_events").sum())
        .sort("expected_events", descending=True)
    )
    decile = expected.height // 10
    true_top = set(expected.head(decile)["lsoa_code"])
    found = rates(engine, Filters(sources=("force",)), "lsoa").sort("count", descending=True)
    found_top = set(found.head(decile)["lsoa_code"])
    assert len(true_top & found_top) / decile >= 0.7


def test_the_weekend_night_peak_is_found(demo):
    _, engine = demo
    grid = hour_weekday(engine, Filters(sources=("ed",)))
    busiest = grid.sort("count", descending=True).head(4)
    assert busiest["night_time_economy"].all(), busiest
    share = night_time_economy(engine, Filters(sources=("ed",)))
    assert share.lower > 1.25 * (20 / 168)  # the window is 20 of the week's 168 hours


def test_the_riskiest_premises_rank_highest(demo):
    truth, engine = demo
    risk = pl.read_csv(truth / "premises_risk.csv").sort(
        "expected_violent_events_per_month", descending=True
    )
    true_top = set(risk.head(30)["licence_number"])
    ranked = premises_assaults(engine, Filters())
    assert len(set(ranked.head(10)["licence_number"]) & true_top) >= 6
