"""Trends in monthly counts: hand-checked small series, planted signals, Hypothesis
properties against naive reference implementations."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from observatory.analysis import trends
from observatory.errors import ObservatoryError


def month_labels(first: str, n: int) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    start = year * 12 + month - 1
    return [f"{(start + i) // 12:04d}-{(start + i) % 12 + 1:02d}" for i in range(n)]


def series(counts, first="2020-01", **keys) -> pl.DataFrame:
    frame = pl.DataFrame({"month": month_labels(first, len(counts)), "count": list(counts)})
    return frame.with_columns(pl.lit(value).alias(name) for name, value in keys.items())


def binomial_two_sided_p(k: int, n: int) -> float:
    """The exact conditional test by its definition: twice the smaller tail of Binomial(n,
    1/2), summed with math.comb (Przyborowski & Wilenski 1940; the symmetric null makes the
    doubled tail and the 'as likely or less' p-value the same)."""
    tail = sum(math.comb(n, i) for i in range(max(k, n - k), n + 1)) / 2**n
    return min(1.0, 2 * tail)


# --- quarter and financial-year labels ----------------------------------------------------


@pytest.mark.parametrize(
    ("month", "quarter", "financial_year"),
    [
        ("2025-03", "2025 Q1", "2024/25"),  # the examples of the brief
        ("2025-04", "2025 Q2", "2025/26"),  # April starts the financial year
        ("2025-09", "2025 Q3", "2025/26"),
        ("2025-12", "2025 Q4", "2025/26"),
        ("2000-01", "2000 Q1", "1999/00"),  # the century turns: two digits, zero-padded
        ("2099-04", "2099 Q2", "2099/00"),
    ],
)
def test_quarter_and_financial_year_labels(month, quarter, financial_year):
    assert trends.quarter_of(month) == quarter
    assert trends.financial_year_of(month) == financial_year
    labels = pl.DataFrame({"month": [month]}).select(
        q=trends.quarter_expr(), fy=trends.financial_year_expr("month")
    )
    assert labels.row(0) == (quarter, financial_year)


def test_vectorised_labels_agree_with_the_scalar_ones_for_every_month():
    months = month_labels("1998-01", 12 * 30)
    labels = pl.DataFrame({"m": months}).select(
        trends.quarter_expr(pl.col("m")), trends.financial_year_expr(pl.col("m")).alias("fy")
    )
    assert labels["m"].to_list() == [trends.quarter_of(m) for m in months]
    assert labels["fy"].to_list() == [trends.financial_year_of(m) for m in months]


@pytest.mark.parametrize("bad", ["2025-13", "2025-3", "25-03", "2025/03", ""])
def test_a_malformed_month_is_refused(bad):
    with pytest.raises(ObservatoryError, match="YYYY-MM"):
        trends.quarter_of(bad)
    with pytest.raises(ObservatoryError, match="YYYY-MM"):
        trends.complete_months(pl.DataFrame({"month": [bad], "count": [1]}))


# --- the input contract -------------------------------------------------------------------


def test_two_rows_for_one_month_are_refused_not_added():
    frame = pl.DataFrame({"month": ["2025-01", "2025-01"], "count": [1, 2]})
    with pytest.raises(ObservatoryError, match="one row per month"):
        trends.rolling_12_months(frame)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pl.DataFrame({"month": ["2025-01"], "count": [-1]}), "not negative"),
        (
            pl.DataFrame(
                {"month": ["2025-01"], "count": [None]}, schema_overrides={"count": pl.Int64}
            ),
            "present",
        ),
        (pl.DataFrame({"month": ["2025-01"], "count": [1.5]}), "whole numbers"),
        (pl.DataFrame({"month": ["2025-01"], "n": [1]}), "'count'"),
    ],
)
def test_bad_counts_are_refused(frame, message):
    with pytest.raises(ObservatoryError, match=message):
        trends.complete_months(frame)


def test_a_missing_key_column_is_refused():
    with pytest.raises(ObservatoryError, match="'la_code'"):
        trends.complete_months(series([1, 2]), by=["la_code"])


# --- complete_months ----------------------------------------------------------------------


def test_missing_months_become_zero():
    frame = pl.DataFrame({"month": ["2024-11", "2025-02"], "count": [3, 4]})
    assert trends.complete_months(frame).rows() == [
        ("2024-11", 3),
        ("2024-12", 0),
        ("2025-01", 0),
        ("2025-02", 4),
    ]


def test_an_explicit_range_pads_and_trims():
    frame = pl.DataFrame({"month": ["2024-11", "2025-02"], "count": [3, 4]})
    completed = trends.complete_months(frame, start="2024-12", end="2025-03")
    assert completed.rows() == [("2024-12", 0), ("2025-01", 0), ("2025-02", 4), ("2025-03", 0)]
    with pytest.raises(ObservatoryError, match="starts"):
        trends.complete_months(frame, start="2025-03", end="2025-01")


def test_every_group_covers_the_whole_range():
    frame = pl.DataFrame(
        {
            "la_code": ["E08000025", "E08000025", "E08000026"],
            "month": ["2025-01", "2025-03", "2025-02"],
            "count": [5, 6, 7],
        }
    )
    completed = trends.complete_months(frame, by=["la_code"])
    assert completed.columns == ["la_code", "month", "count"]
    assert completed.rows() == [
        ("E08000025", "2025-01", 5),
        ("E08000025", "2025-02", 0),
        ("E08000025", "2025-03", 6),
        ("E08000026", "2025-01", 0),
        ("E08000026", "2025-02", 7),
        ("E08000026", "2025-03", 0),
    ]


def test_an_empty_table_stays_empty_and_a_range_fills_it_with_zeros():
    empty = pl.DataFrame(schema={"month": pl.String, "count": pl.Int64})
    assert trends.complete_months(empty).height == 0
    for analysis in (trends.year_on_year, trends.year_on_year_by_month, trends.exceedances):
        assert analysis(empty).height == 0
    assert trends.seasonal_decomposition(empty).columns[-1] == "status"
    assert trends.complete_months(empty, start="2025-01", end="2025-02")["count"].to_list() == [
        0,
        0,
    ]


# --- rolling 12 months --------------------------------------------------------------------


def test_rolling_12_by_hand():
    # Counts 1, 2, ..., 14: the first full year sums to 1+...+12 = 78, then each step drops
    # the oldest month and adds the newest: 2+...+13 = 90, 3+...+14 = 102.
    rolled = trends.rolling_12_months(series(range(1, 15)))
    assert rolled.columns == ["month", "count", "rolling_12"]
    assert rolled["rolling_12"].to_list() == [None] * 11 + [78, 90, 102]


def test_rolling_12_counts_a_missing_month_as_zero_and_works_per_group():
    frame = pl.concat(
        [
            series([1] * 13, la_code="A"),
            series([2] * 13, la_code="B").filter(pl.col("month") != "2020-06"),
        ]
    ).select("la_code", "month", "count")
    rolled = trends.rolling_12_months(frame, by=["la_code"])
    totals = dict(
        zip(
            rolled.filter(pl.col("month") == "2021-01")["la_code"],
            rolled.filter(pl.col("month") == "2021-01")["rolling_12"],
            strict=True,
        )
    )
    assert totals == {"A": 12, "B": 22}  # B: twelve months of 2, one of them missing


MONTHS = month_labels("2019-01", 41)

monthly_tables = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(MONTHS), st.integers(0, 500)),
    max_size=60,
    unique_by=lambda row: row[:2],
).map(
    lambda rows: pl.DataFrame(
        rows, schema={"area": pl.String, "month": pl.String, "count": pl.Int64}, orient="row"
    )
)


@settings(max_examples=60, deadline=None)
@given(monthly_tables)
def test_rolling_12_equals_a_naive_sum(frame):
    rolled = trends.rolling_12_months(frame, by=["area"])
    if frame.height == 0:
        assert rolled.height == 0
        return
    first = min(MONTHS.index(m) for m in frame["month"])
    observed = {(area, MONTHS.index(m)): count for area, m, count in frame.iter_rows()}
    for area, month, _, total in rolled.iter_rows():
        i = MONTHS.index(month)
        naive = sum(observed.get((area, j), 0) for j in range(i - 11, i + 1))
        assert total == (naive if i - 11 >= first else None)


@settings(max_examples=60, deadline=None)
@given(monthly_tables)
def test_complete_months_keeps_totals_and_leaves_no_gap(frame):
    completed = trends.complete_months(frame, by=["area"])
    assert completed["count"].sum() == frame["count"].sum()
    if frame.height == 0:
        return
    observed = {(area, m): count for area, m, count in frame.iter_rows()}
    span = MONTHS[MONTHS.index(frame["month"].min()) : MONTHS.index(frame["month"].max()) + 1]
    for area in frame["area"].unique():
        got = completed.filter(pl.col("area") == area)
        assert got["month"].to_list() == span
        assert got["count"].to_list() == [observed.get((area, m), 0) for m in span]


# --- year on year -------------------------------------------------------------------------


def test_compare_counts_against_the_binomial_test_by_hand():
    result = trends.compare_counts(30, 15)
    assert result.change == 15
    assert result.percent_change == pytest.approx(100.0)
    assert result.rate_ratio == pytest.approx(2.0)
    # p = 2 * P(X >= 30), X ~ Binomial(45, 1/2), summed exactly with math.comb.
    assert result.p_value == pytest.approx(binomial_two_sided_p(30, 45), rel=1e-12)
    assert result.p_value == pytest.approx(0.0357, abs=5e-5)  # 0.035667..., the sum above
    assert result.verdict == "increase"
    # Clopper-Pearson limits for p = 30/45 by their definition as beta quantiles (Clopper &
    # Pearson 1934), mapped to the rate ratio by p / (1 - p).
    low, high = beta.ppf(0.025, 30, 16), beta.ppf(0.975, 31, 15)
    assert result.ratio_lower == pytest.approx(low / (1 - low), rel=1e-9)
    assert result.ratio_upper == pytest.approx(high / (1 - high), rel=1e-9)
    assert result.ratio_lower > 1  # significant exactly when the interval excludes 1
    assert trends.compare_counts(30, 15, level=99.8).verdict == "no significant change"


def test_compare_counts_edge_cases_by_hand():
    # 10 against 0: p = 2 * (1/2)^10 = 0.001953125; lower limit of p solves p^10 = 0.025, so
    # p = 0.025^(1/10) and the ratio's lower limit is p / (1 - p); no upper limit.
    result = trends.compare_counts(10, 0)
    assert result.p_value == pytest.approx(0.001953125, rel=1e-12)
    assert result.verdict == "increase"
    assert (result.rate_ratio, result.percent_change, result.ratio_upper) == (None, None, None)
    p = 0.025 ** (1 / 10)
    assert result.ratio_lower == pytest.approx(p / (1 - p), rel=1e-9)
    assert trends.compare_counts(0, 10).verdict == "decrease"
    assert trends.compare_counts(5, 5).p_value == 1.0
    nothing = trends.compare_counts(0, 0)
    assert (nothing.p_value, nothing.verdict, nothing.rate_ratio) == (
        1.0,
        "no significant change",
        None,
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 400), st.integers(0, 400), st.sampled_from([90, 95, 99.8]))
def test_the_verdict_is_significant_exactly_when_the_interval_excludes_1(now, before, level):
    result = trends.compare_counts(now, before, level)
    significant = result.verdict != "no significant change"
    if now + before == 0:
        assert not significant
        return
    above = result.ratio_lower > 1
    below = result.ratio_upper is not None and result.ratio_upper < 1
    assert significant == (above or below)
    if significant:
        assert result.verdict == ("increase" if above else "decrease")


def test_year_on_year_latest_12_months_against_the_12_before():
    frame = series([10] * 12 + [15] * 12)  # 120 then 180
    result = trends.year_on_year(frame)
    assert result.columns == [
        "period_start",
        "period_end",
        "previous_start",
        "previous_end",
        "current",
        "previous",
        "change",
        "percent_change",
        "rate_ratio",
        "ratio_lower",
        "ratio_upper",
        "p_value",
        "verdict",
    ]
    row = result.row(0, named=True)
    assert (row["period_start"], row["period_end"]) == ("2021-01", "2021-12")
    assert (row["previous_start"], row["previous_end"]) == ("2020-01", "2020-12")
    assert (row["current"], row["previous"], row["change"]) == (180, 120, 60)
    assert row["percent_change"] == pytest.approx(50.0)
    assert row["rate_ratio"] == pytest.approx(1.5)
    assert row["p_value"] == pytest.approx(binomial_two_sided_p(180, 300), rel=1e-9)
    assert row["verdict"] == "increase"


def test_year_on_year_per_group_and_a_short_group_gets_no_verdict():
    frame = pl.concat(
        [
            series([10] * 24, la_code="A"),
            series([3] * 10, first="2021-03", la_code="B"),
        ]
    )
    result = trends.year_on_year(frame, by=["la_code"]).sort("la_code")
    assert result["la_code"].to_list() == ["A", "B"]
    a, b = result.rows(named=True)
    assert (a["current"], a["previous"], a["verdict"]) == (120, 120, "no significant change")
    assert a["p_value"] == pytest.approx(1.0)
    # B is completed over the table's range (2020-01 to 2021-12) with zeros: 30 against 0.
    assert (b["current"], b["previous"], b["verdict"]) == (30, 0, "increase")
    too_short = trends.year_on_year(series([3] * 23))
    assert too_short["current"].to_list() == [None]
    assert too_short["verdict"].to_list() == [None]


def test_each_month_against_the_same_month_a_year_earlier():
    result = trends.year_on_year_by_month(series([4] * 12 + [8] * 3))
    assert result.columns[:5] == ["month", "count", "previous_month", "previous", "change"]
    assert result["previous"].to_list() == [None] * 12 + [4, 4, 4]
    assert result["verdict"].to_list()[:12] == [None] * 12
    row = result.row(12, named=True)
    assert (row["month"], row["previous_month"], row["change"]) == ("2021-01", "2020-01", 4)
    assert row["p_value"] == pytest.approx(binomial_two_sided_p(8, 12), rel=1e-12)  # 0.388


# --- seasonal decomposition ---------------------------------------------------------------


def planted_seasons(n_months: int, rng: np.random.Generator, base: float = 200.0):
    seasons = 50 * np.sin(2 * np.pi * np.arange(n_months) / 12)  # peak April, trough October
    return seasons, rng.poisson(base + seasons)


def test_stl_recovers_a_planted_seasonal_pattern():
    rng = np.random.default_rng(20250305)
    seasons, counts = planted_seasons(72, rng)
    result = trends.seasonal_decomposition(series(counts))
    assert result.columns == ["month", "count", "trend", "seasonal", "remainder", "status"]
    assert set(result["status"]) == {"decomposed"}
    seasonal = result["seasonal"].to_numpy()
    # Poisson noise at 200 has sd 14 against a wave of amplitude 50: STL finds the wave,
    # its peak and trough months, and a flat trend, within the noise.
    assert np.corrcoef(seasonal, seasons)[0, 1] > 0.9
    by_calendar_month = seasonal.reshape(6, 12).mean(axis=0)
    assert np.corrcoef(by_calendar_month, seasons[:12])[0, 1] > 0.95
    assert np.abs(by_calendar_month - seasons[:12]).max() < 25
    assert np.abs(result["trend"].to_numpy() - 200).mean() < 10
    recombined = result.select(pl.col("trend") + pl.col("seasonal") + pl.col("remainder"))
    assert np.allclose(recombined.to_series().to_numpy(), counts)


def test_stl_works_per_group():
    rng = np.random.default_rng(7)
    seasons, counts = planted_seasons(36, rng)
    frame = pl.concat([series(counts, la_code="A"), series([5] * 36, la_code="B")])
    result = trends.seasonal_decomposition(frame, by=["la_code"])
    assert result.columns[0] == "la_code"
    assert set(result["status"]) == {"decomposed"}
    a = result.filter(pl.col("la_code") == "A")["seasonal"].to_numpy()
    b = result.filter(pl.col("la_code") == "B")
    assert np.corrcoef(a, seasons)[0, 1] > 0.9
    # A constant series has no seasons and no remainder, whatever its neighbour does.
    assert np.allclose(b["seasonal"].to_numpy(), 0, atol=1e-6)
    assert np.allclose(b["trend"].to_numpy(), 5)


def test_stl_on_a_short_table_does_not_crash():
    result = trends.seasonal_decomposition(series([5] * 23))
    assert result.height == 23
    assert set(result["status"]) == {"not enough history"}
    assert result["seasonal"].null_count() == 23


# --- exceedance ---------------------------------------------------------------------------


def steady_seasonal(n_months: int, rng: np.random.Generator, base: float) -> np.ndarray:
    return rng.poisson(base * np.exp(0.3 * np.sin(2 * np.pi * np.arange(n_months) / 12)))


def test_a_planted_spike_is_flagged():
    rng = np.random.default_rng(1)
    counts = steady_seasonal(48, rng, 40)
    counts[40] = 2 * counts[40] + 30
    result = trends.exceedances(series(counts))
    assert result.columns == ["month", "count", "expected", "upper", "exceeds"]
    flagged = result.filter(pl.col("exceeds"))["month"].to_list()
    assert flagged == [month_labels("2020-01", 48)[40]]
    spike = result.row(40, named=True)
    assert spike["expected"] < spike["upper"] < spike["count"]


def test_an_earlier_spike_does_not_hide_a_later_one():
    rng = np.random.default_rng(2)
    counts = steady_seasonal(60, rng, 25)
    counts[30] += 60  # an old outbreak, down-weighted when later months are judged
    counts[55] += 25
    flagged = trends.exceedances(series(counts)).filter(pl.col("exceeds"))
    labels = month_labels("2020-01", 60)
    assert flagged["month"].to_list() == [labels[30], labels[55]]


def test_a_steady_seasonal_series_is_almost_never_flagged():
    rng = np.random.default_rng(3)
    frame = pl.concat(
        [series(steady_seasonal(72, rng, base), area=str(base)) for base in (2, 10, 50, 200)]
    )
    result = trends.exceedances(frame, by=["area"])
    judged = result.filter(pl.col("exceeds").is_not_null())
    assert judged.height == 4 * 48
    # At 99.8% a month is flagged by chance about once in 1,000; allow 2 in these 192.
    assert judged["exceeds"].sum() <= 2
    # The expectation follows the season: above average in the summer-peak months.
    big = result.filter(pl.col("area") == "200", pl.col("expected").is_not_null())
    peak = big.filter(pl.col("month").str.ends_with("-04"))["expected"].mean()
    trough = big.filter(pl.col("month").str.ends_with("-10"))["expected"].mean()
    assert peak > 1.4 * trough


def test_the_first_24_months_are_not_judged():
    result = trends.exceedances(series([5] * 30))
    assert result["exceeds"].to_list()[:24] == [None] * 24
    assert result["exceeds"].to_list()[24:] == [False] * 6
    assert result["expected"][24] == pytest.approx(5.0)


def test_after_a_history_of_nothing_any_event_exceeds():
    result = trends.exceedances(series([0] * 24 + [1, 0]))
    assert result.row(24) == ("2022-01", 1, 0.0, 0.0, True)
    after = result.row(25, named=True)
    assert after["expected"] == pytest.approx(1 / 25)  # one event in 25 months
    assert after["exceeds"] is False


def test_exceedance_at_a_lower_level_flags_more():
    rng = np.random.default_rng(4)
    frame = series(steady_seasonal(72, rng, 20))
    strict = trends.exceedances(frame)["exceeds"].sum()
    loose = trends.exceedances(frame, level=80)["exceeds"].sum()
    assert loose > strict
    with pytest.raises(ObservatoryError, match="level"):
        trends.exceedances(frame, level=100)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=25, max_size=30))
def test_sparse_counts_never_crash_and_the_limit_is_above_the_expectation(counts):
    result = trends.exceedances(series(counts))
    judged = result.filter(pl.col("exceeds").is_not_null())
    assert judged.height == len(counts) - 24
    assert (judged["upper"] >= judged["expected"]).all()
