"""When violence happens: hour of day by day of week, and the night-time economy.

`hour_weekday(engine, filters)` counts the events with a known time (ED assaults, force
offences with a short window; see `events`) in every one of the week's 168 hours, zeros
included. `night_time_economy(engine, filters)` gives the share of those events that fall
in the night-time economy window, with its Wilson interval.

The window is Friday and Saturday nights from 20:00 to 05:59 the next morning: the hours
when licensed premises and the street around them are busiest and the partnership's
night-time work (street pastors, safe spaces, licensing visits) happens.
"""

from __future__ import annotations

import polars as pl

from observatory.analysis import stats
from observatory.analysis.engine import Engine
from observatory.analysis.indicators import Filters, filtered_events

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NIGHTS = (4, 5)  # the nights that start on Friday and on Saturday (Monday is 0)
NIGHT_STARTS, NIGHT_ENDS = 20, 6  # 20:00 to 05:59 the next morning


def in_night_time_economy(weekday: int, hour: int) -> bool:
    """Whether the hour `hour` of day `weekday` (Monday 0) is in the window."""
    return (weekday in NIGHTS and hour >= NIGHT_STARTS) or (
        (weekday - 1) % 7 in NIGHTS and hour < NIGHT_ENDS
    )


def hour_weekday(engine: Engine, filters: Filters) -> pl.DataFrame:
    """Columns `weekday` (0 = Monday), `weekday_name`, `hour` (0-23), `count`,
    `night_time_economy` (bool): 168 rows, Monday 00:00 first."""
    events = filtered_events(engine, filters, ["occurred_at"])
    timed = events.filter(events.occurred_at.notnull())
    grouped = timed.group_by(
        weekday=timed.occurred_at.day_of_week.index().cast("int32"),
        hour=timed.occurred_at.hour().cast("int32"),
    ).aggregate(count=timed.count())
    counted = engine.run(grouped)
    grid = pl.DataFrame(
        [
            (day, WEEKDAYS[day], hour, in_night_time_economy(day, hour))
            for day in range(7)
            for hour in range(24)
        ],
        schema={
            "weekday": pl.Int32,
            "weekday_name": pl.String,
            "hour": pl.Int32,
            "night_time_economy": pl.Boolean,
        },
        orient="row",
    )
    return (
        grid.join(counted, on=["weekday", "hour"], how="left")
        .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
        .select("weekday", "weekday_name", "hour", "count", "night_time_economy")
        .sort("weekday", "hour")
    )


def night_time_economy(engine: Engine, filters: Filters, level: float = 95) -> stats.Proportion:
    """The share of timed events in the night-time economy window (12% of the week's hours)."""
    grid = hour_weekday(engine, filters)
    inside = int(grid.filter(pl.col("night_time_economy"))["count"].sum())
    return stats.proportion(inside, int(grid["count"].sum()), level=level)
