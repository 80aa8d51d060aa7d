"""The analysis spec: known answers on the fixture region (conftest), on every engine.

Each expected number is worked out by hand from the fixture tables in conftest.py."""

from __future__ import annotations

import polars as pl
import pytest

from observatory.analysis import offences
from observatory.analysis.indicators import Filters, counts, rates
from observatory.analysis.measures import serious_violence_measures
from observatory.analysis.premises import premises_assaults, premises_types
from observatory.analysis.profiles import hour_weekday, night_time_economy
from observatory.errors import ObservatoryError

PEOPLE_PER_AREA = 5_000  # 500 + 500 + 1,500 + 2,500
UNDER_25_PER_AREA = 1_000


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def test_violence_by_source_and_month(engine):
    table = counts(engine, Filters(), ["source", "month"])
    assert rows(table, "source", "month", "count") == [
        ("ed", "2025-03", 4),
        ("force", "2025-03", 3),
        ("force", "2025-04", 1),  # threats to kill; the blade possession and theft are not violence
        ("police.uk", "2025-03", 3),  # two violence, one robbery; the burglary is not violence
        ("police.uk", "2025-04", 1),
    ]


def test_quarters_and_financial_years_turn_in_april(engine):
    table = counts(engine, Filters(sources=("force",)), ["financial_year", "quarter"])
    assert rows(table, "financial_year", "quarter", "count") == [
        ("2024/25", "2025 Q1", 3),
        ("2025/26", "2025 Q2", 1),
    ]


def test_force_offences_fall_in_their_ons_groups(engine):
    table = counts(engine, Filters(sources=("force",)), ["category"])
    assert rows(table, "category", "count") == [
        (offences.VIOLENCE_WITH_INJURY, 2),
        (offences.VIOLENCE_WITHOUT_INJURY, 2),
    ]


def test_rates_per_local_authority_with_the_region_as_benchmark(engine):
    table = rates(engine, Filters(sources=("police.uk",)), "la")
    assert rows(table, "la_code", "la_name", "count", "population") == [
        ("LA1", "Authority 1", 3, 3 * PEOPLE_PER_AREA),
        ("LA2", "Authority 2", 1, PEOPLE_PER_AREA),
    ]
    assert table["value"].to_list() == pytest.approx([3 / 15_000 * 1e5, 1 / 5_000 * 1e5])
    assert table["region_value"].to_list() == pytest.approx([4 / 20_000 * 1e5] * 2)
    assert set(table["method"]) == {"exact"}  # fewer than 10 events
    assert table["compared"].to_list() == ["similar", "similar"]


def test_areas_without_events_are_listed_with_zero(engine):
    table = rates(engine, Filters(sources=("police.uk",)), "lsoa")
    assert rows(table, "lsoa_code", "count") == [("L1", 2), ("L2", 1), ("L3", 0), ("L4", 1)]
    assert table.filter(pl.col("lsoa_code") == "L3")["lower"].item() == 0


def test_under_25_rates_use_the_under_25_population(engine):
    table = rates(engine, Filters(sources=("force",), under_25=True), "region")
    assert rows(table, "count", "population") == [(2, 4 * UNDER_25_PER_AREA)]


def test_rates_broken_down_by_month_fill_missing_combinations(engine):
    table = rates(engine, Filters(sources=("police.uk",)), "la", by=["month"])
    assert rows(table, "la_code", "month", "count") == [
        ("LA1", "2025-03", 3),
        ("LA1", "2025-04", 0),
        ("LA2", "2025-03", 0),
        ("LA2", "2025-04", 1),
    ]


def test_ed_attendances_are_placed_where_the_patient_lives(engine):
    table = counts(engine, Filters(sources=("ed",)), ["la_code"])
    # One patient lives outside the region's small areas: counted, in no authority.
    assert rows(table, "la_code", "count") == [("LA1", 2), ("LA2", 1), (None, 1)]


def test_filters_compose(engine):
    filters = Filters(sources=("force",), knife=True, start="2025-03", end="2025-03")
    assert counts(engine, filters)["count"].item() == 1
    filters = Filters(sources=("force",), domestic=True, areas={"ward_code": "W1b"})
    assert counts(engine, filters)["count"].item() == 1


def test_hour_by_weekday_counts_timed_events_in_168_cells(engine):
    grid = hour_weekday(engine, Filters(sources=("ed",)))
    assert grid.height == 168 and grid["count"].sum() == 4
    counted = grid.filter(pl.col("count") > 0)
    # 2025-03-07 was a Friday.
    assert rows(counted, "weekday_name", "hour", "count", "night_time_economy") == [
        ("Monday", 9, 1, False),
        ("Friday", 22, 1, True),
        ("Friday", 23, 1, True),
        ("Saturday", 0, 1, True),
    ]


def test_force_offences_with_a_long_window_have_no_time(engine):
    grid = hour_weekday(engine, Filters(sources=("force",)))
    # The threats to kill span a day: untimed. The 22:00-23:00 window counts at 22:30.
    assert grid["count"].sum() == 3
    assert grid.filter((pl.col("weekday") == 4) & (pl.col("hour") == 22))["count"].item() == 1


def test_night_time_economy_share(engine):
    share = night_time_economy(engine, Filters(sources=("ed",)))
    assert (share.count, share.total) == (3, 4)


def test_home_office_measures(engine):
    table = serious_violence_measures(engine, Filters())
    found = {(r["measure"], r["ages"]): r["count"] for r in table.iter_rows(named=True)}
    assert found == {
        ("ed_knife_assaults", "under_25"): 1,
        ("ed_knife_assaults", "all_ages"): 1,
        # Threats to kill and assault with injury with a knife; possession of a blade is not
        # one of the selected offences.
        ("knife_enabled_offences", "under_25"): 2,
        ("knife_enabled_offences", "all_ages"): 2,
        ("homicides", "under_25"): 0,
        ("homicides", "all_ages"): 0,
        ("violence_with_injury", "under_25"): 1,
        ("violence_with_injury", "all_ages"): 2,
        ("violence_without_injury", "under_25"): 1,
        ("violence_without_injury", "all_ages"): 2,
    }


def test_premises_rank_linked_assaults_only(engine):
    table = premises_assaults(engine, Filters())
    # Red Lion: two attendances at licensed premises under its descriptions (the third
    # description of it was coded home). The Crown's match awaits review: not linked.
    assert rows(table, "rank", "licence_number", "count") == [
        (1, "LN/1", 2),
        (2, "LN/2", 0),
        (3, "LN/3", 0),
    ]
    hours = 70 * 365.25 / 12 / 7  # one month of the ED data
    assert table["value"][0] == pytest.approx(2 / hours * 1000)


def test_premises_types(engine):
    table = premises_types(engine, Filters())
    expected = [("pub", 2, 2), ("restaurant", 1, 0)]
    assert rows(table, "premises_type", "premises", "count") == expected


def test_unknown_breakdown_is_a_clear_error(engine):
    with pytest.raises(ObservatoryError, match="cannot break down by 'colour'"):
        counts(engine, Filters(), ["colour"])


def test_hex_density_bins_located_events(engine):
    from observatory.analysis.density import hex_density

    table = hex_density(engine, Filters(sources=("police.uk", "force")), size=500)
    # Every located fixture event sits at the same point (400000, 280000): one hexagon.
    assert rows(table, "count") == [(8,)]
    centre = table.row(0, named=True)
    assert abs(centre["easting"] - 400_000) <= 500 and abs(centre["northing"] - 280_000) <= 500


def test_an_area_without_events_of_a_chosen_source_lists_zeros(engine):
    filters = Filters(sources=("ed",), areas={"ward_code": "W1b"})
    table = rates(engine, filters, "lsoa", by=["source"])
    assert rows(table, "lsoa_code", "source", "count") == [("L3", "ed", 0)]
