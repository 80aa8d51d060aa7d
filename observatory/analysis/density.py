"""Where located events cluster: counts in a hexagonal grid, for analysts' density maps.

Events with a point (police.uk's anonymised map points, the force's coordinates) are binned
into pointy-top hexagons `size` metres from centre to corner, in British National Grid, on
the engine: the browser gets one row per occupied hexagon, never the events. Hexagons rather
than squares because every neighbour is the same distance away, so clusters look like what
they are. This is finer than any published geography, so it is for analysts (record-level
access) only, never for the public.
"""

from __future__ import annotations

import math

import ibis
import polars as pl

from observatory.analysis.engine import Engine
from observatory.analysis.indicators import Filters, filtered_events
from observatory.lake.placement import to_wgs84


def hex_density(engine: Engine, filters: Filters, size: float = 500) -> pl.DataFrame:
    """Columns `q`, `r` (axial hexagon coordinates), `count`, `easting`, `northing` (the
    hexagon's centre) and `longitude`, `latitude` of the centre; occupied hexagons only."""
    events = filtered_events(engine, filters, ["easting", "northing"])
    located = events.filter(events.easting.notnull() & events.northing.notnull())
    x, y = located.easting.cast("float64"), located.northing.cast("float64")
    # Axial coordinates, then rounding in cube coordinates (q + s + r = 0) to the nearest
    # hexagon centre (the standard method: round all three, fix the one that moved most).
    q = (math.sqrt(3) / 3 * x - y / 3) / size
    r = (2 / 3 * y) / size
    s = -q - r
    rq, rr, rs = q.round(), r.round(), s.round()
    dq, dr, ds = (rq - q).abs(), (rr - r).abs(), (rs - s).abs()
    fixed_q = ibis.ifelse((dq > dr) & (dq > ds), -rr - rs, rq)
    fixed_r = ibis.ifelse(~((dq > dr) & (dq > ds)) & (dr > ds), -rq - rs, rr)
    binned = located.select(q=fixed_q.cast("int64"), r=fixed_r.cast("int64"))
    counted = engine.run(binned.group_by(["q", "r"]).aggregate(count=binned.count()))
    if counted.is_empty():
        floats = ["easting", "northing", "longitude", "latitude"]
        schema = {"q": pl.Int64, "r": pl.Int64, "count": pl.Int64}
        return pl.DataFrame(schema=schema | dict.fromkeys(floats, pl.Float64))
    q_values, r_values = counted["q"].to_numpy(), counted["r"].to_numpy()
    easting = size * math.sqrt(3) * (q_values + r_values / 2)
    northing = size * 1.5 * r_values
    longitude, latitude = to_wgs84(easting, northing)
    return counted.with_columns(
        pl.col("count").cast(pl.Int64),
        pl.Series("easting", easting),
        pl.Series("northing", northing),
        pl.Series("longitude", longitude),
        pl.Series("latitude", latitude),
    ).sort("q", "r")
