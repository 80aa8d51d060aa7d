"""Trends in monthly counts: regular series, rolling 12-month totals, year-on-year change
with an exact test, seasonal decomposition (STL) and an exceedance flag.

Every function takes a small, already aggregated polars DataFrame with a `month` column
(text 'YYYY-MM') and a `count` column (non-negative integers), plus optional key columns
named in `by` (e.g. `["la_code"]`): each group is its own series. The heavy aggregation
happens on the engine (DuckDB or Spark); these functions only see one row per group and
month, so they are plain Python and numpy, easy to check by hand.

A month missing from the input means no events that month: every function works on the
series completed by `complete_months`, so gaps are zeros, never silently skipped. The
methods, and why, are explained for analysts in docs/analysis/trends.md.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
import statsmodels.api as sm
from scipy.stats import binomtest, chi2, nbinom, poisson
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning
from statsmodels.tsa.seasonal import STL

from observatory.errors import ObservatoryError

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

# STL needs two full years to tell a seasonal pattern from a trend; a year-on-year comparison
# of 12 months against the 12 before needs the same.
MIN_MONTHS_FOR_SEASONS = 24
# Exceedance baselines: at least two years of history, at most five (Farrington et al. 1996
# use b = 5 years back, so a trend fitted on a long-ago past does not steer this month).
MIN_HISTORY = 24
MAX_HISTORY = 60
# Farrington's rule for the trend, used for the seasonal waves too: keep a term of the
# baseline model only when it is significant at 5%.
SIGNIFICANCE = 0.05
# Noufaily et al. (2013): past months with a standardised Anscombe residual above 2.58 are
# down-weighted, so an earlier outbreak neither raises the baseline nor inflates dispersion.
OUTLIER_RESIDUAL = 2.58
# Iterations of the GLM fit, as R's glm(): a fit still moving after 25 is heading for
# separation (sparse counts let a trend or seasonal wave push the expectation of the empty
# months towards 0), so the term is dropped rather than waited for.
MAX_ITERATIONS = 25

INCREASE = "increase"
NO_CHANGE = "no significant change"
DECREASE = "decrease"
DECOMPOSED = "decomposed"
NOT_ENOUGH_HISTORY = "not enough history"

_MONTH_RE = re.compile(MONTH_PATTERN)


# --- month labels -------------------------------------------------------------------------


def _parse_month(month: str) -> tuple[int, int]:
    if not isinstance(month, str) or not _MONTH_RE.match(month):
        raise ObservatoryError(f"month {month!r} is not a month: write it as YYYY-MM, e.g. 2025-03")
    return int(month[:4]), int(month[5:])


def quarter_of(month: str) -> str:
    """Calendar quarter of a 'YYYY-MM' month: `quarter_of('2025-03') == '2025 Q1'`."""
    year, number = _parse_month(month)
    return f"{year} Q{(number - 1) // 3 + 1}"


def financial_year_of(month: str) -> str:
    """UK financial year (April to March) of a 'YYYY-MM' month, written as public bodies
    write it: `financial_year_of('2025-03') == '2024/25'`, `financial_year_of('2025-04') ==
    '2025/26'`."""
    year, number = _parse_month(month)
    first = year if number >= 4 else year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _as_expr(column: str | pl.Expr) -> pl.Expr:
    return pl.col(column) if isinstance(column, str) else column


def quarter_expr(column: str | pl.Expr = "month") -> pl.Expr:
    """Vectorised `quarter_of` over a text column of 'YYYY-MM' months (null stays null).
    The input is not validated here: pass months that `complete_months` accepts."""
    month = _as_expr(column)
    number = month.str.slice(5, 2).cast(pl.Int32)
    quarter = ((number - 1) // 3 + 1).cast(pl.String)
    return pl.concat_str([month.str.slice(0, 4), pl.lit(" Q"), quarter])


def financial_year_expr(column: str | pl.Expr = "month") -> pl.Expr:
    """Vectorised `financial_year_of` over a text column of 'YYYY-MM' months (null stays
    null). The input is not validated here: pass months that `complete_months` accepts."""
    month = _as_expr(column)
    year = month.str.slice(0, 4).cast(pl.Int32)
    number = month.str.slice(5, 2).cast(pl.Int32)
    first = pl.when(number >= 4).then(year).otherwise(year - 1)
    second = ((first + 1) % 100).cast(pl.String).str.zfill(2)
    return pl.concat_str([first.cast(pl.String).str.zfill(4), pl.lit("/"), second])


# --- validation and the month index -------------------------------------------------------


def _index_expr(column: str = "month") -> pl.Expr:
    """'YYYY-MM' -> months since year 0, so consecutive months differ by exactly 1."""
    month = pl.col(column)
    return month.str.slice(0, 4).cast(pl.Int64) * 12 + month.str.slice(5, 2).cast(pl.Int64) - 1


def _label_expr(column: str) -> pl.Expr:
    index = pl.col(column)
    year = (index // 12).cast(pl.String).str.zfill(4)
    number = (index % 12 + 1).cast(pl.String).str.zfill(2)
    return pl.concat_str([year, pl.lit("-"), number])


def _index_of(month: str) -> int:
    year, number = _parse_month(month)
    return year * 12 + number - 1


def _validated(frame: pl.DataFrame, by: Sequence[str]) -> tuple[pl.DataFrame, list[str]]:
    """Check the contract every function relies on and return the frame reduced to the key
    columns, `month`, `count` and the month index `_m`."""
    by = list(by)
    missing = [name for name in ["month", "count", *by] if name not in frame.columns]
    if missing:
        raise ObservatoryError(
            f"the monthly table has no column {', '.join(map(repr, missing))}: it needs "
            "'month' (YYYY-MM), 'count' and the grouping columns"
        )
    if {"month", "count"} & set(by) or len(set(by)) != len(by):
        raise ObservatoryError("group by distinct key columns other than 'month' and 'count'")
    if frame.schema["month"] != pl.String:
        raise ObservatoryError("the 'month' column must be text written as YYYY-MM")
    if not frame.schema["count"].is_integer():
        raise ObservatoryError("the 'count' column must hold whole numbers of events")
    bad_month = frame.filter(
        pl.col("month").is_null() | ~pl.col("month").str.contains(MONTH_PATTERN)
    )
    if bad_month.height:
        raise ObservatoryError(
            f"month {bad_month['month'][0]!r} is not a month: write it as YYYY-MM, e.g. 2025-03"
        )
    if frame.filter(pl.col("count").is_null() | (pl.col("count") < 0)).height:
        raise ObservatoryError("counts must be present and not negative (write 0 for none)")
    frame = frame.select(*by, "month", pl.col("count").cast(pl.Int64))
    if frame.select(*by, "month").is_duplicated().any():
        raise ObservatoryError(
            "the monthly table has more than one row for a month"
            + (f" within one {', '.join(by)}" if by else "")
            + ": aggregate it to one row per month first"
        )
    return frame.with_columns(_m=_index_expr()), by


def _completed(
    frame: pl.DataFrame, by: Sequence[str], start: str | None = None, end: str | None = None
) -> tuple[pl.DataFrame, list[str]]:
    """The completed series with the month index `_m` kept, sorted by key and month."""
    frame, by = _validated(frame, by)
    low = _index_of(start) if start is not None else frame["_m"].min()
    high = _index_of(end) if end is not None else frame["_m"].max()
    schema = {**frame.schema}
    if low is None or high is None:  # no rows and no range given: nothing to complete
        return pl.DataFrame(schema=schema), by
    if low > high:
        raise ObservatoryError(f"the range starts ({start}) after it ends ({end})")
    months = pl.DataFrame({"_m": pl.int_range(low, high + 1, eager=True)})
    groups = frame.select(by).unique() if by else pl.DataFrame()
    grid = groups.join(months, how="cross") if by else months
    observed = frame.filter(pl.col("_m").is_between(low, high)).drop("month")
    full = (
        grid.join(observed, on=[*by, "_m"], how="left", nulls_equal=True)
        .with_columns(pl.col("count").fill_null(0), month=_label_expr("_m"))
        .select(*by, "month", "count", "_m")
        .sort([*by, "_m"], nulls_last=True)
    )
    return full, by


def _over(expr: pl.Expr, by: list[str]) -> pl.Expr:
    return expr.over(by) if by else expr


# --- regular series and rolling totals ----------------------------------------------------


def complete_months(
    frame: pl.DataFrame,
    by: Sequence[str] = (),
    start: str | None = None,
    end: str | None = None,
) -> pl.DataFrame:
    """Every month from `start` to `end` (inclusive, 'YYYY-MM') for every group, with 0 where
    the input has no row: a regular series, which rolling sums, lags and STL need.

    Without `start`/`end` the range runs from the first to the last month in the whole
    table (not per group), so all groups cover the same months. Rows outside an explicit
    range are left out. Groups are those present in the input: a key with no events at all
    cannot be known here (give it one row with count 0). Only the key columns, `month` and
    `count` are returned, sorted by key then month.

    Raises ObservatoryError for a malformed month, a negative or missing count, or two rows
    for the same group and month (aggregate first: silently adding them could hide a
    double import).
    """
    full, _ = _completed(frame, by, start, end)
    return full.drop("_m")


def rolling_12_months(frame: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """The completed series (see `complete_months`) with `rolling_12`: the total of the 12
    months ending at each month, null until the series has 12 months, so a part-year is
    never shown as if it were a year. Columns: *by, month, count, rolling_12."""
    full, by = _completed(frame, by)
    return full.with_columns(rolling_12=_over(pl.col("count").rolling_sum(12), by)).drop("_m")


# --- year-on-year change ------------------------------------------------------------------


@dataclass(frozen=True)
class CountComparison:
    """Two counts over periods of equal length compared as Poisson counts.

    `rate_ratio` is current / previous (None when previous is 0); `ratio_lower` and
    `ratio_upper` its exact confidence interval (upper None when unbounded, i.e. previous
    is 0); `percent_change` is None when previous is 0.
    """

    current: int
    previous: int
    change: int
    percent_change: float | None
    rate_ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    p_value: float
    verdict: str


def compare_counts(current: int, previous: int, level: float = 95) -> CountComparison:
    """Compare this period's count with the previous period's (same length) with the exact
    conditional test for two Poisson counts.

    Why this test: monthly event counts are modelled as Poisson, as UK public-health
    indicators do (Byar's interval for rates). Given the total n = current + previous, the
    current count is Binomial(n, p) with p = ratio / (1 + ratio); "no change" is p = 1/2.
    That test (scipy.stats.binomtest, two-sided) is exact: no normal approximation, so it is
    valid at the small counts of a ward or a rare offence, where a z-test on rates is not.
    The rate ratio's interval comes from the Clopper-Pearson interval for p, mapped through
    p / (1 - p). Under p = 1/2 the binomial is symmetric, so scipy's two-sided p-value is
    exactly twice the smaller tail, the test the Clopper-Pearson interval inverts: the
    verdict is significant exactly when the interval excludes 1, so the two never disagree.
    A verdict is 'increase' or 'decrease' when p-value < 1 - level/100, otherwise
    'no significant change'. Overdispersed counts (clusters of linked events) make the test
    too eager; the docs say so.
    """
    if not 0 < level < 100:
        raise ObservatoryError(f"the confidence level must be a percentage, not {level}")
    if current < 0 or previous < 0:
        raise ObservatoryError("counts must not be negative")
    current, previous = int(current), int(previous)
    total = current + previous
    percent = 100 * (current - previous) / previous if previous else None
    ratio = current / previous if previous else None
    if total == 0:
        return CountComparison(current, previous, 0, None, None, None, None, 1.0, NO_CHANGE)
    test = binomtest(current, total, 0.5)
    interval = test.proportion_ci(confidence_level=level / 100, method="exact")
    lower = interval.low / (1 - interval.low)
    upper = interval.high / (1 - interval.high) if interval.high < 1 else None
    p_value = float(test.pvalue)
    verdict = NO_CHANGE
    if p_value < 1 - level / 100:
        verdict = INCREASE if current > previous else DECREASE
    return CountComparison(
        current, previous, current - previous, percent, ratio, lower, upper, p_value, verdict
    )


_COMPARISON_SCHEMA = {
    "change": pl.Int64,
    "percent_change": pl.Float64,
    "rate_ratio": pl.Float64,
    "ratio_lower": pl.Float64,
    "ratio_upper": pl.Float64,
    "p_value": pl.Float64,
    "verdict": pl.String,
}


def _comparisons(current: pl.Series, previous: pl.Series, level: float) -> pl.DataFrame:
    """compare_counts row by row; rows where either count is null get nulls throughout."""
    rows = []
    for now, before in zip(current.to_list(), previous.to_list(), strict=True):
        if now is None or before is None:
            rows.append(dict.fromkeys(_COMPARISON_SCHEMA))
            continue
        result = compare_counts(now, before, level)
        rows.append({name: getattr(result, name) for name in _COMPARISON_SCHEMA})
    return pl.DataFrame(rows, schema=_COMPARISON_SCHEMA, orient="row")


def year_on_year(frame: pl.DataFrame, by: Sequence[str] = (), level: float = 95) -> pl.DataFrame:
    """The latest 12 months against the 12 months before, one row per group.

    Uses the completed series (see `complete_months`), so the latest month is the last
    month of the whole table, the same for every group. Columns: *by, period_start,
    period_end, previous_start, previous_end (months, text), current, previous (Int64
    totals), then change, percent_change, rate_ratio, ratio_lower, ratio_upper, p_value,
    verdict as in `compare_counts`. When the table spans fewer than 24 months the rows keep
    their period labels and have null totals and comparison (verdict null): two full years
    are needed to compare.
    """
    full, by = _completed(frame, by)
    summary = (
        full.group_by(by or pl.lit(0).alias("_all"), maintain_order=True)
        .agg(
            last=pl.col("_m").max(),
            first=pl.col("_m").min(),
            current=pl.col("count").filter(pl.col("_m") > pl.col("_m").max() - 12).sum(),
            previous=pl.col("count")
            .filter(pl.col("_m").is_between(pl.col("_m").max() - 23, pl.col("_m").max() - 12))
            .sum(),
        )
        .with_columns(
            enough=pl.col("last") - pl.col("first") + 1 >= MIN_MONTHS_FOR_SEASONS,
            previous_end_m=pl.col("last") - 12,
            period_start_m=pl.col("last") - 11,
            previous_start_m=pl.col("last") - 23,
        )
        .with_columns(
            period_start=_label_expr("period_start_m"),
            period_end=_label_expr("last"),
            previous_start=_label_expr("previous_start_m"),
            previous_end=_label_expr("previous_end_m"),
            current=pl.when("enough").then("current"),
            previous=pl.when("enough").then("previous"),
        )
        .select(
            *by,
            "period_start",
            "period_end",
            "previous_start",
            "previous_end",
            pl.col("current").cast(pl.Int64),
            pl.col("previous").cast(pl.Int64),
        )
    )
    if full.height == 0:  # grouping an empty table by a constant still yields one row
        summary = summary.clear()
    return pl.concat(
        [summary, _comparisons(summary["current"], summary["previous"], level)],
        how="horizontal",
    )


def year_on_year_by_month(
    frame: pl.DataFrame, by: Sequence[str] = (), level: float = 95
) -> pl.DataFrame:
    """Each month against the same month a year earlier, one row per month of the completed
    series (see `complete_months`). Columns: *by, month, count, previous_month (text),
    previous (Int64), then change, percent_change, rate_ratio, ratio_lower, ratio_upper,
    p_value, verdict as in `compare_counts`. The first 12 months of a series have no year
    earlier: previous and the comparison are null there.

    A single month is a small count, so this test has little power: use it to read a
    dashboard's month, and `year_on_year` to judge a change.
    """
    full, by = _completed(frame, by)
    paired = full.with_columns(
        (pl.col("_m") - 12).alias("_previous_m"),
        previous=_over(pl.col("count").shift(12), by),
    ).with_columns(previous_month=_label_expr("_previous_m"))
    paired = paired.select(*by, "month", "count", "previous_month", "previous")
    return pl.concat(
        [paired, _comparisons(paired["count"], paired["previous"], level)], how="horizontal"
    )


# --- seasonal decomposition ---------------------------------------------------------------


def _per_group(full: pl.DataFrame, by: list[str]) -> list[pl.DataFrame]:
    if not by:
        return [full] if full.height else []
    return full.partition_by(by, maintain_order=True)


def seasonal_decomposition(frame: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """Split each group's completed series into trend + seasonal + remainder (= count) with
    STL (Cleveland et al. 1990; statsmodels STL, period 12, robust), so one unusual month
    bends neither the trend nor the seasonal pattern.

    Columns: *by, month, count, trend, seasonal, remainder (Float64), status. STL needs two
    full years to separate the seasons from the trend: a group with fewer than 24 months is
    returned whole with null components and status 'not enough history'; otherwise the
    status is 'decomposed'. Nothing raises for a short series.
    """
    full, by = _completed(frame, by)
    parts = []
    for group in _per_group(full, by):
        counts = group["count"].cast(pl.Float64).to_numpy()
        if len(counts) < MIN_MONTHS_FOR_SEASONS:
            components = dict.fromkeys(("trend", "seasonal", "remainder"), [None] * len(counts))
            status = NOT_ENOUGH_HISTORY
        else:
            fit = STL(counts, period=12, robust=True).fit()
            components = {
                "trend": fit.trend,
                "seasonal": fit.seasonal,
                "remainder": fit.resid,
            }
            status = DECOMPOSED
        parts.append(
            group.select(*by, "month", "count").with_columns(
                *(pl.Series(name, values, dtype=pl.Float64) for name, values in components.items()),
                status=pl.lit(status),
            )
        )
    if not parts:
        schema = {**full.drop("_m").schema}
        schema |= {"trend": pl.Float64, "seasonal": pl.Float64, "remainder": pl.Float64}
        return pl.DataFrame(schema=schema | {"status": pl.String})
    return pl.concat(parts)


# --- exceedance -------------------------------------------------------------------------


def _design(months: np.ndarray, times: np.ndarray, trend: bool, seasonal: bool) -> np.ndarray:
    """Columns: intercept; the linear trend (months since the window began) if `trend`; if
    `seasonal`, two harmonic pairs of the calendar month, a yearly and a half-yearly wave,
    so a summer peak and a December peak can both be drawn with four parameters (a
    month-of-year factor needs eleven, too many for two years of small counts)."""
    columns = [np.ones(len(times))]
    if trend:
        columns.append(times.astype(float))
    if seasonal:
        angle = 2 * np.pi * months / 12
        columns += [np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)]
    return np.column_stack(columns)


def _quasi_poisson(y: np.ndarray, x: np.ndarray, weights: np.ndarray | None = None):
    """Fit a Poisson log-linear GLM (the dispersion is estimated afterwards, which makes it
    quasi-Poisson); None when the data cannot support the model (the fit fails, does not
    converge, warns, or gives non-finite values): the caller then drops a term.

    statsmodels' perfect-separation warning is not a failure here: it also fires when a
    model fits the history exactly (a constant series), which is a fine baseline; a fit
    heading for real separation does not converge, or fails its Wald test."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = sm.GLM(y, x, family=sm.families.Poisson(), var_weights=weights).fit(
                maxiter=MAX_ITERATIONS
            )
        except (ValueError, np.linalg.LinAlgError):
            return None
    trouble = [w for w in caught if not issubclass(w.category, PerfectSeparationWarning)]
    if trouble or not fit.converged or not np.all(np.isfinite(fit.params)):
        return None
    return fit


def _dispersion(fit) -> float:
    """Quasi-Poisson dispersion: Pearson chi-squared over residual degrees of freedom (with
    the prior weights, when given), floored at 1: counts are never taken to vary less than
    Poisson counts do (Farrington et al. 1996)."""
    return max(1.0, float(fit.pearson_chi2 / fit.df_resid))


def _wald_p_value(fit, columns: slice) -> float:
    """p-value of the Wald test that the coefficients in `columns` are all 0, with the
    dispersion floored at 1. Where sparse counts push a fit towards separation the standard
    errors explode and the test says 'not significant', so the term is dropped."""
    beta = fit.params[columns]
    covariance = fit.normalized_cov_params[columns, columns] * _dispersion(fit)
    statistic = float(beta @ np.linalg.pinv(covariance) @ beta)
    return float(chi2.sf(statistic, len(beta)))


def _select_model(y: np.ndarray, months: np.ndarray, times: np.ndarray):
    """Step 1 of the baseline: start from level + trend + seasonal waves and drop a term
    while it cannot be fitted or is not significant at 5% (the trend first, as Farrington
    et al. 1996 test it; then the seasonal waves, jointly). The constant level always fits
    when the history has an event. Returns (fit, trend, seasonal)."""
    trend, seasonal = True, True
    while True:
        fit = _quasi_poisson(y, _design(months, times, trend, seasonal))
        seasons = slice(1 + trend, 5 + trend)
        if trend and (fit is None or _wald_p_value(fit, slice(1, 2)) >= SIGNIFICANCE):
            trend = False
        elif seasonal and (fit is None or _wald_p_value(fit, seasons) >= SIGNIFICANCE):
            seasonal = False
        else:
            return fit, trend, seasonal


def _robust_fit(y: np.ndarray, months: np.ndarray, times: np.ndarray):
    """The baseline model for one month, after Farrington et al. (1996) with the
    improvements of Noufaily et al. (2013):

    1. Choose the terms (see `_select_model`).
    2. Down-weight past months whose standardised Anscombe residual exceeds 2.58 (weight
       proportional to 1/residual^2, weights rescaled to sum to n) and refit, so past
       outbreaks raise neither the baseline nor the dispersion.

    Returns (fit, trend, seasonal), or None when not even a constant level fits.
    """
    fit, trend, seasonal = _select_model(y, months, times)
    if fit is None:
        return None
    x = _design(months, times, trend, seasonal)
    mu = fit.fittedvalues
    hat = _leverages(x, mu)
    anscombe = 1.5 * (np.cbrt(y) ** 2 - np.cbrt(mu) ** 2) / mu ** (1 / 6)
    standardised = anscombe / np.sqrt(_dispersion(fit) * np.clip(1 - hat, 1e-12, None))
    outlying = standardised > OUTLIER_RESIDUAL
    weights = np.where(outlying, 1 / np.maximum(standardised, OUTLIER_RESIDUAL) ** 2, 1.0)
    if not outlying.any():
        return fit, trend, seasonal
    refit = _quasi_poisson(y, x, weights * len(y) / weights.sum())
    return (refit or fit), trend, seasonal


def _leverages(x: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Diagonal of the GLM hat matrix W^1/2 X (X'WX)^-1 X' W^1/2, W = mu for a log link."""
    root = np.sqrt(mu)[:, None] * x
    inverse = np.linalg.pinv(root.T @ root)
    return np.einsum("ij,jk,ik->i", root, inverse, root)


def _baseline(history: np.ndarray, history_months: np.ndarray, month: int, quantile: float):
    """(expected, upper) for the month after `history` from the fitted baseline model."""
    if history.sum() == 0:  # nothing ever happened: expect nothing, any event is unusual
        return 0.0, 0.0
    times = np.arange(len(history))
    fitted = _robust_fit(history.astype(float), history_months, times)
    if fitted is None:
        return None, None
    fit, trend, seasonal = fitted
    now_month, now_time = np.array([month]), np.array([len(history)])
    x0 = _design(now_month, now_time, trend, seasonal)[0]
    phi = _dispersion(fit)
    expected = float(np.exp(x0 @ fit.params))
    # Var(expected) by the delta method: expected^2 x0' Cov(beta) x0, Cov floored at phi >= 1.
    variance_of_expected = expected**2 * float(x0 @ (fit.normalized_cov_params * phi) @ x0)
    # The month's count is predicted to vary by phi*expected (its own overdispersed noise)
    # plus Var(expected) (the baseline's uncertainty). Its distribution is taken as negative
    # binomial with that mean and variance (Noufaily et al. 2013 use the negative binomial
    # quantile; Farrington et al. 1996 add the baseline's variance): exact for small counts,
    # where a normal approximation flags far too often.
    excess = (phi - 1) * expected + variance_of_expected
    if excess <= 1e-9 * expected:  # no extra variation to speak of: plain Poisson
        return expected, float(poisson.ppf(quantile, expected))
    size = expected**2 / excess
    upper = float(nbinom.ppf(quantile, size, size / (size + expected)))
    return expected, upper


def exceedances(frame: pl.DataFrame, by: Sequence[str] = (), level: float = 99.8) -> pl.DataFrame:
    """Flag each month whose count is above what its own history predicts.

    For each month of each group's completed series with at least 24 earlier months, a
    quasi-Poisson log-linear model is fitted to the earlier months only (at most the last
    60): a level, a linear trend kept only when significant, and a yearly and half-yearly
    seasonal wave; past outliers are down-weighted (Farrington et al. 1996; Noufaily et al.
    2013). `expected` is the model's prediction for the month; `upper` is the upper limit of
    the two-sided `level`% prediction interval (so 99.8 gives the 99.9th centile), allowing
    for overdispersion (dispersion estimated, never below Poisson) and for the uncertainty
    of the expected value; `exceeds = count > upper`.

    Columns: *by, month, count, expected, upper (Float64), exceeds (Boolean). All three are
    null for the first 24 months of a series (not enough history), and in the rare case no
    model can be fitted. When the history is all zeros, expected and upper are 0, so any
    event exceeds. docs/analysis/trends.md explains the method for analysts.
    """
    if not 50 <= level < 100:
        raise ObservatoryError(f"the exceedance level must be a percentage from 50, not {level}")
    quantile = 1 - (1 - level / 100) / 2
    full, by = _completed(frame, by)
    columns = {"expected": [], "upper": []}
    for group in _per_group(full, by):
        counts = group["count"].to_numpy()
        calendar = group["_m"].to_numpy() % 12
        for t in range(len(counts)):
            expected = upper = None
            if t >= MIN_HISTORY:
                window = slice(max(0, t - MAX_HISTORY), t)
                expected, upper = _baseline(counts[window], calendar[window], calendar[t], quantile)
            columns["expected"].append(expected)
            columns["upper"].append(upper)
    return (
        full.with_columns(
            expected=pl.Series(columns["expected"], dtype=pl.Float64),
            upper=pl.Series(columns["upper"], dtype=pl.Float64),
        )
        .with_columns(exceeds=pl.col("count") > pl.col("upper"))
        .select(*by, "month", "count", "expected", "upper", "exceeds")
    )
