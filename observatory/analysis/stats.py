"""Confidence intervals and significance comparisons, the way UK public health computes them.

The methods are those of the Fingertips technical guidance (OHID, formerly PHE) and APHO
Technical Briefing 3, "Commonly used public health statistics and their confidence
intervals" (Eayres, 2008), so that every number the partnership publishes can be set beside
a Fingertips profile and mean the same thing:

- a **count** of events is Poisson: its interval is the exact (chi-squared) one below 10
  events and Byar's approximation from 10 up; 0 events has a lower limit of 0;
- a **crude rate** is count / population x per, with the count's limits divided the same way;
- a **proportion** has the Wilson score interval;
- a value is significantly **higher** / **lower** than a benchmark when its interval lies
  wholly above / below the benchmark, otherwise **similar**;
- two areas' rates are compared with the exact conditional (binomial) test of two Poisson
  rates.

Levels are 95 and 99.8 (per cent), the two Fingertips uses; anything else is refused rather
than silently accepted, so a caller cannot pass 0.95 and get a 0.95% interval.

Every function exists for one value (plain Python numbers and small frozen results) and for a
whole polars table at once (numpy/scipy over columns, no Python loop per row). Tables may hold
nulls and zero denominators: those rows get null results; impossible values (negative counts,
a count above its total) raise `InvalidInput`, because they mean the table is wrong.
Pure functions: no Django, no I/O. docs/analysis/intervals.md explains them for analysts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import polars as pl
from scipy import special, stats

from observatory.errors import ObservatoryError

LEVELS = (95.0, 99.8)
"""The confidence levels (per cent) the partnership publishes, as Fingertips does."""

EXACT_BELOW = 10
"""Counts below this use the exact method; from here up, Byar's approximation (PHE guidance)."""

Comparison = Literal["higher", "similar", "lower"]
HIGHER: Comparison = "higher"
SIMILAR: Comparison = "similar"
LOWER: Comparison = "lower"


class InvalidInput(ObservatoryError, ValueError):
    """Input no statistic can be computed from: a negative count, a count above its total, a
    level other than 95 or 99.8. An ObservatoryError so the command line prints it as one line;
    a ValueError for Python callers."""


# --------------------------------------------------------------------------------------------
# Levels


def check_level(level: float) -> float:
    """`level` as a float if it is 95 or 99.8 (per cent); InvalidInput otherwise."""
    try:
        value = float(level)
    except (TypeError, ValueError):
        value = math.nan
    if value not in LEVELS:
        raise InvalidInput(
            f"confidence level must be 95 or 99.8 (per cent), not {level!r}"
        ) from None
    return value


def z_for(level: float) -> float:
    """The standard normal quantile for a two-sided interval at `level` per cent
    (1.959964 for 95, 3.090232 for 99.8)."""
    alpha = 1 - check_level(level) / 100
    return float(special.ndtri(1 - alpha / 2))


def _alpha(level: float) -> float:
    return 1 - check_level(level) / 100


# --------------------------------------------------------------------------------------------
# Counts (Poisson)


class CountInterval(NamedTuple):
    """Confidence limits for a Poisson count, and the method that gave them."""

    lower: float
    upper: float
    method: Literal["exact", "byar"]


def poisson_limits(counts, level: float = 95) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper confidence limits for an array of Poisson counts, vectorised.

    Exact (chi-squared) limits below `EXACT_BELOW`, Byar's from there up; a count of 0 has
    lower limit 0. NaN in, NaN out. Counts must be whole and non-negative (InvalidInput).
    """
    alpha = _alpha(level)
    z = z_for(level)
    counts = np.asarray(counts, dtype=float)
    _check_counts(counts, "count")
    lower = np.full(counts.shape, np.nan)
    upper = np.full(counts.shape, np.nan)

    exact = counts < EXACT_BELOW  # NaN compares False: NaN rows stay NaN
    o = counts[exact]
    # O_lower = chi2(alpha/2; 2O)/2 and O_upper = chi2(1-alpha/2; 2O+2)/2 (0 events: lower 0).
    lower[exact] = np.where(o > 0, stats.chi2.ppf(alpha / 2, np.maximum(2 * o, 1)) / 2, 0.0)
    upper[exact] = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2

    byar = counts >= EXACT_BELOW
    o = counts[byar]
    lower[byar] = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
    o1 = o + 1
    upper[byar] = o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3
    return lower, upper


def poisson_interval(count: int, level: float = 95) -> CountInterval:
    """Confidence limits for one Poisson count (see `poisson_limits`)."""
    if count is None:
        raise InvalidInput("count is missing")
    lower, upper = poisson_limits([count], level)
    method = "exact" if count < EXACT_BELOW else "byar"
    return CountInterval(float(lower[0]), float(upper[0]), method)


def _check_counts(values: np.ndarray, name: str) -> None:
    present = values[~np.isnan(values)]
    if np.any(np.isinf(present)):
        raise InvalidInput(f"{name} must be a finite number")
    if np.any(present < 0):
        raise InvalidInput(f"{name} must not be negative (got {present[present < 0][0]:g})")
    if np.any(present != np.floor(present)):
        bad = present[present != np.floor(present)][0]
        raise InvalidInput(f"{name} must be a whole number of events (got {bad:g})")


def _check_denominators(values: np.ndarray, name: str) -> None:
    present = values[~np.isnan(values)]
    if np.any(np.isinf(present)):
        raise InvalidInput(f"{name} must be a finite number")
    if np.any(present < 0):
        raise InvalidInput(f"{name} must not be negative (got {present[present < 0][0]:g})")


def _check_per(per: float) -> float:
    try:
        value = float(per)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise InvalidInput(f"per must be a positive number such as 1000 or 100000, not {per!r}")
    return value


# --------------------------------------------------------------------------------------------
# Crude rates


@dataclass(frozen=True)
class Rate:
    """A crude rate per `per` people with its confidence interval.

    `value`, `lower` and `upper` are None (and `method` None, `reason` set) when there is no
    usable denominator: a rate per nobody is not zero, it is unknown.
    """

    count: int
    denominator: float | None
    per: float
    value: float | None
    lower: float | None
    upper: float | None
    level: float
    method: Literal["exact", "byar"] | None
    reason: str | None = None


def rate_limits(counts, denominators, per: float = 100_000, level: float = 95):
    """Crude rates and their limits for arrays of counts and denominators, vectorised.

    Returns (value, lower, upper, method): float arrays with NaN where the count or the
    denominator is missing or the denominator is 0, and an object array of 'exact' / 'byar' /
    None. Negative or fractional counts and negative denominators raise InvalidInput.
    """
    per = _check_per(per)
    counts = np.asarray(counts, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    _check_counts(counts, "count")
    _check_denominators(denominators, "population")
    usable = ~np.isnan(counts) & (denominators > 0)  # NaN compares False
    safe_counts = np.where(usable, counts, np.nan)
    lower_count, upper_count = poisson_limits(safe_counts, level)
    scale = np.full(counts.shape, np.nan)
    scale[usable] = per / denominators[usable]
    method = np.full(counts.shape, None, dtype=object)
    method[usable & (counts < EXACT_BELOW)] = "exact"
    method[usable & (counts >= EXACT_BELOW)] = "byar"
    return safe_counts * scale, lower_count * scale, upper_count * scale, method


def crude_rate(
    count: int, population: float | None, *, per: float = 100_000, level: float = 95
) -> Rate:
    """The crude rate `count / population * per` with its interval at `level` per cent.

    A missing or zero population gives a Rate whose value and limits are None, with the
    reason; a negative or missing count, a negative population or another level raise
    InvalidInput.
    """
    if count is None:
        raise InvalidInput("count is missing")
    level = check_level(level)
    per = _check_per(per)
    if population is None or (isinstance(population, float) and math.isnan(population)):
        return Rate(count, None, per, None, None, None, level, None, "no population given")
    value, lower, upper, method = rate_limits([count], [population], per, level)
    if method[0] is None:
        return Rate(count, population, per, None, None, None, level, None, "population is 0")
    return Rate(
        count,
        population,
        per,
        float(value[0]),
        float(lower[0]),
        float(upper[0]),
        level,
        method[0],
    )


# --------------------------------------------------------------------------------------------
# Proportions (Wilson score)


@dataclass(frozen=True)
class Proportion:
    """A proportion (a fraction between 0 and 1) with its Wilson score interval.

    `value`, `lower` and `upper` are None, with a `reason`, when the total is 0 or missing.
    """

    count: int
    total: int | None
    value: float | None
    lower: float | None
    upper: float | None
    level: float
    method: Literal["wilson"] = "wilson"
    reason: str | None = None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else 100 * self.value

    @property
    def lower_percent(self) -> float | None:
        return None if self.lower is None else 100 * self.lower

    @property
    def upper_percent(self) -> float | None:
        return None if self.upper is None else 100 * self.upper


def wilson_limits(counts, totals, level: float = 95):
    """Proportions and their Wilson score limits for arrays of counts and totals, vectorised.

    Returns (value, lower, upper) as fractions, NaN where the count or total is missing or
    the total is 0. A negative or fractional count or total, or a count above its total,
    raises InvalidInput.

    p_lower, p_upper = (2O + z^2 -/+ z sqrt(z^2 + 4Oq)) / (2(n + z^2)), q = 1 - O/n
    (Wilson 1927; Newcombe 1998; OHID technical guidance, "Proportions").
    """
    z = z_for(level)
    counts = np.asarray(counts, dtype=float)
    totals = np.asarray(totals, dtype=float)
    _check_counts(counts, "count")
    _check_counts(totals, "total")
    both = ~np.isnan(counts) & ~np.isnan(totals)
    if np.any(counts[both] > totals[both]):
        i = np.flatnonzero(both & (counts > totals))[0]
        raise InvalidInput(f"count must not exceed the total (got {counts[i]:g} of {totals[i]:g})")
    usable = both & (totals > 0)
    o = np.where(usable, counts, np.nan)
    n = np.where(usable, totals, np.nan)
    value = o / n
    q = 1 - value
    spread = z * np.sqrt(z * z + 4 * o * q)
    lower = np.clip((2 * o + z * z - spread) / (2 * (n + z * z)), 0.0, 1.0)
    upper = np.clip((2 * o + z * z + spread) / (2 * (n + z * z)), 0.0, 1.0)
    # Exactly 0 and 1 at the ends (rounding in z * sqrt(z^2) would leave 1e-16 either way).
    lower[o == 0] = 0.0
    upper[o == n] = 1.0
    return value, lower, upper


def wilson_interval(count: int, total: int, level: float = 95) -> tuple[float, float]:
    """Wilson score limits (fractions) for `count` out of `total`; total must be positive."""
    if total is None or total <= 0:
        raise InvalidInput("total must be a positive number")
    _, lower, upper = wilson_limits([count], [total], level)
    return float(lower[0]), float(upper[0])


def proportion(count: int, total: int | None, *, level: float = 95) -> Proportion:
    """`count / total` with its Wilson score interval at `level` per cent.

    A total of 0 or None gives None values with a reason; a negative count, a count above the
    total or another level raises InvalidInput.
    """
    if count is None:
        raise InvalidInput("count is missing")
    level = check_level(level)
    if total is None:
        return Proportion(count, None, None, None, None, level, reason="no total given")
    value, lower, upper = wilson_limits([count], [total], level)
    if np.isnan(value[0]):
        return Proportion(count, total, None, None, None, level, reason="total is 0")
    return Proportion(count, total, float(value[0]), float(lower[0]), float(upper[0]), level)


# --------------------------------------------------------------------------------------------
# Comparisons


def compare_interval(
    lower: float | None, upper: float | None, benchmark: float | None
) -> Comparison | None:
    """Fingertips' comparison with a benchmark: 'higher' when the interval lies wholly above
    the benchmark, 'lower' when wholly below, otherwise 'similar' (an interval that touches
    the benchmark is similar). None when there is no interval or no benchmark to compare."""
    if lower is None or upper is None or benchmark is None:
        return None
    if any(math.isnan(x) for x in (lower, upper, benchmark)):
        return None
    if lower > benchmark:
        return HIGHER
    if upper < benchmark:
        return LOWER
    return SIMILAR


def _compare_arrays(lower, upper, benchmark) -> np.ndarray:
    lower = np.asarray(lower, dtype=float)
    upper = np.asarray(upper, dtype=float)
    benchmark = np.broadcast_to(np.asarray(benchmark, dtype=float), lower.shape)
    known = ~np.isnan(lower) & ~np.isnan(upper) & ~np.isnan(benchmark)
    result = np.full(lower.shape, None, dtype=object)
    result[known] = SIMILAR
    result[known & (lower > benchmark)] = HIGHER
    result[known & (upper < benchmark)] = LOWER
    return result


@dataclass(frozen=True)
class RateComparison:
    """Area A's rate against area B's: the exact conditional test of two Poisson rates.

    `result` is 'higher' / 'lower' when A's rate differs significantly from B's at `level`,
    else 'similar'; `p_value` is two-sided (twice the smaller tail). `ratio` is A's rate over
    B's with its exact interval (None where infinite or undefined). All None, with a
    `reason`, when either population is missing or 0.
    """

    result: Comparison | None
    p_value: float | None
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    level: float
    reason: str | None = None


def _conditional_test(count_a, pop_a, count_b, pop_b, alpha):
    """Vectorised exact conditional test. Given n = a + b events, under equal rates a is
    Binomial(n, pop_a / (pop_a + pop_b)). Equal-tailed: p = min(1, 2 min(P(X<=a), P(X>=a))),
    which is significant exactly when the null proportion lies outside the Clopper-Pearson
    interval for a / n, so the test and the ratio's interval always agree."""
    n = count_a + count_b
    share = pop_a / (pop_a + pop_b)
    below = stats.binom.cdf(count_a, n, share)  # P(X <= a)
    above = stats.binom.sf(count_a - 1, n, share)  # P(X >= a)
    p_value = np.minimum(1.0, 2 * np.minimum(below, above))
    result = np.full(np.shape(p_value), SIMILAR, dtype=object)
    result[2 * above < alpha] = HIGHER
    result[2 * below < alpha] = LOWER
    return result, p_value


def compare_rates(
    count_a: int, population_a: float, count_b: int, population_b: float, *, level: float = 95
) -> RateComparison:
    """Is area A's rate significantly higher, similar or lower than area B's at `level`?

    The exact conditional (binomial) test of two Poisson rates; see `_conditional_test`.
    """
    alpha = _alpha(level)
    level = check_level(level)
    for name, count in (("count_a", count_a), ("count_b", count_b)):
        if count is None:
            raise InvalidInput(f"{name} is missing")
        _check_counts(np.asarray([count], dtype=float), name)
    for name, population in (("population_a", population_a), ("population_b", population_b)):
        if population is None or not population > 0:
            if population is not None and population < 0:
                raise InvalidInput(f"{name} must not be negative (got {population:g})")
            return RateComparison(None, None, None, None, None, level, f"{name} is 0 or missing")
    result, p_value = _conditional_test(
        np.float64(count_a),
        np.float64(population_a),
        np.float64(count_b),
        np.float64(population_b),
        alpha,
    )
    n = count_a + count_b
    scale = population_b / population_a
    if n == 0:
        return RateComparison(SIMILAR, 1.0, None, None, None, level)
    # Clopper-Pearson limits for the share of events in A, turned into limits for the ratio.
    share_lower = 0.0 if count_a == 0 else stats.beta.ppf(alpha / 2, count_a, n - count_a + 1)
    share_upper = 1.0 if count_a == n else stats.beta.ppf(1 - alpha / 2, count_a + 1, n - count_a)
    ratio = None if count_b == 0 else (count_a / population_a) / (count_b / population_b)
    ratio_lower = float(share_lower / (1 - share_lower) * scale)
    ratio_upper = None if share_upper >= 1 else float(share_upper / (1 - share_upper) * scale)
    return RateComparison(
        str(result.item()), float(p_value), ratio, ratio_lower, ratio_upper, level
    )


# --------------------------------------------------------------------------------------------
# Whole tables (polars)


def _column(frame: pl.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        raise InvalidInput(f"no column {name!r} in the table (it has {', '.join(frame.columns)})")
    try:
        return frame.get_column(name).cast(pl.Float64).to_numpy()
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
        raise InvalidInput(f"column {name!r} is not numeric") from None


def _floats(name: str, values: np.ndarray) -> pl.Series:
    return pl.Series(name, values, dtype=pl.Float64, nan_to_null=True)


def _strings(name: str, values: np.ndarray) -> pl.Series:
    # Through a list: polars reads an object array that starts with None as Object dtype.
    return pl.Series(name, values.tolist(), dtype=pl.String)


def with_rate_intervals(
    frame: pl.DataFrame,
    *,
    count: str = "count",
    population: str = "population",
    per: float = 100_000,
    level: float = 95,
    suffix: str = "",
) -> pl.DataFrame:
    """`frame` with a crude rate and its interval added for every row at once.

    Adds `value`, `lower`, `upper` (Float64, per `per` people) and `method` ('exact' / 'byar')
    (each name followed by `suffix`, e.g. '_998', so both levels can sit in one table;
    existing columns of those names are replaced). Rows whose count or population is null, or
    whose population is 0, get nulls. Negative or fractional counts and negative populations
    raise InvalidInput.
    """
    value, lower, upper, method = rate_limits(
        _column(frame, count), _column(frame, population), per, level
    )
    return frame.with_columns(
        _floats(f"value{suffix}", value),
        _floats(f"lower{suffix}", lower),
        _floats(f"upper{suffix}", upper),
        _strings(f"method{suffix}", method),
    )


def with_proportion_intervals(
    frame: pl.DataFrame,
    *,
    count: str = "count",
    total: str = "total",
    level: float = 95,
    suffix: str = "",
) -> pl.DataFrame:
    """`frame` with a proportion and its Wilson interval added for every row at once.

    Adds `value`, `lower`, `upper` (Float64 fractions between 0 and 1; multiply by 100 for
    per cent), each name followed by `suffix`. Rows whose count or total is null, or whose
    total is 0, get nulls. A negative count or a count above its total raises InvalidInput.
    """
    value, lower, upper = wilson_limits(_column(frame, count), _column(frame, total), level)
    return frame.with_columns(
        _floats(f"value{suffix}", value),
        _floats(f"lower{suffix}", lower),
        _floats(f"upper{suffix}", upper),
    )


def compare_to_benchmark(
    frame: pl.DataFrame,
    benchmark: float | str,
    *,
    lower: str = "lower",
    upper: str = "upper",
    out: str = "compared",
) -> pl.DataFrame:
    """`frame` with `out` ('higher' / 'similar' / 'lower', String) comparing each row's
    interval with `benchmark`: a number (e.g. the region's rate) or the name of a column
    holding one per row. Null where the row has no interval or no benchmark."""
    if isinstance(benchmark, str):
        reference = _column(frame, benchmark)
    elif benchmark is None or not isinstance(benchmark, (int, float)):
        raise InvalidInput(f"benchmark must be a number or a column name, not {benchmark!r}")
    else:
        reference = float(benchmark)
    result = _compare_arrays(_column(frame, lower), _column(frame, upper), reference)
    return frame.with_columns(_strings(out, result))


def with_rate_comparison(
    frame: pl.DataFrame,
    *,
    count: str = "count",
    population: str = "population",
    other_count: str,
    other_population: str,
    level: float = 95,
    out: str = "compared",
) -> pl.DataFrame:
    """`frame` with each row's rate compared to another rate on the same row (e.g. an area
    against the rest of its region) by the exact conditional test (see `compare_rates`).

    Adds `out` ('higher' / 'similar' / 'lower', String) and `p_value` (Float64). Null where
    either count or population is null or either population is 0.
    """
    alpha = _alpha(level)
    a, pa = _column(frame, count), _column(frame, population)
    b, pb = _column(frame, other_count), _column(frame, other_population)
    _check_counts(a, count)
    _check_counts(b, other_count)
    _check_denominators(pa, population)
    _check_denominators(pb, other_population)
    usable = ~np.isnan(a) & ~np.isnan(b) & (pa > 0) & (pb > 0)
    result = np.full(a.shape, None, dtype=object)
    p_value = np.full(a.shape, np.nan)
    result[usable], p_value[usable] = _conditional_test(
        a[usable], pa[usable], b[usable], pb[usable], alpha
    )
    return frame.with_columns(_strings(out, result), _floats("p_value", p_value))
