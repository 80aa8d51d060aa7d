"""Placing events on the map: point in small-area polygon, in British National Grid.

`Placer.from_lake(lake)` loads the imported small areas; `placer.place(frame)` adds
`easting`, `northing`, `lsoa_code`, `ward_code`, `la_code` and `placement` to a frame that
carries `_x`/`_y` (BNG metres) or `_lon`/`_lat` (WGS84 degrees), and `_stated_lsoa`:

- a located event gets the small area its point falls in (`placement = 'point'`); when
  the file stated another small area the point's answer is kept and `lsoa_disagrees` is
  true, so the disagreements can be counted;
- an event without a point but with a known small-area code is placed by the code
  (`'code'`), with no easting/northing, so it counts in area totals but not on maps;
- an event with neither is `'unlocated'`: counted in totals, absent from maps;
- a point outside every small area, or a code that is not in the imported geography, is
  outside the region: `_reason` says so and the row is rejected.

Events are often at the same points (police.uk snaps them to anonymous map points), so
each distinct point is looked up once and remembered for the rest of the import.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyproj
import shapely

from observatory.errors import ObservatoryError
from observatory.lake.store import Lake

SMALL_AREAS = "small_areas"
BNG = "EPSG:27700"
WGS84 = "EPSG:4326"
_TO_BNG = pyproj.Transformer.from_crs(WGS84, BNG, always_xy=True)

AREA_COLUMNS = ["lsoa_code", "ward_code", "la_code"]


def to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 degrees to BNG metres, as new float arrays (inf where not transformable)."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    if len(lon) == 1:  # pyproj takes a one-element array for a scalar; pad it
        x, y = _TO_BNG.transform(np.r_[lon, 0.0], np.r_[lat, 0.0])
        return x[:1].copy(), y[:1].copy()
    x, y = _TO_BNG.transform(lon, lat)
    return np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)


_TO_WGS84 = pyproj.Transformer.from_crs(BNG, WGS84, always_xy=True)


def to_wgs84(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """BNG metres to WGS84 longitude and latitude, as new float arrays."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) == 1:  # as in to_bng
        lon, lat = _TO_WGS84.transform(np.r_[x, 0.0], np.r_[y, 0.0])
        return lon[:1].copy(), lat[:1].copy()
    lon, lat = _TO_WGS84.transform(x, y)
    return np.array(lon, dtype=np.float64), np.array(lat, dtype=np.float64)


class NoGeography(ObservatoryError):
    def __init__(self):
        super().__init__(
            "no small areas have been imported yet: run `observatory import geography` first"
        )


class Placer:
    def __init__(self, areas: pl.DataFrame):
        self.areas = areas.select(AREA_COLUMNS)
        self.polygons = shapely.from_wkb(areas["geometry"].to_numpy())
        self.tree = shapely.STRtree(self.polygons)
        self._known: pl.DataFrame | None = None  # distinct points already placed

    @classmethod
    def from_lake(cls, lake: Lake) -> Placer:
        files = lake.files(SMALL_AREAS)
        if not files:
            raise NoGeography()
        return cls(pl.read_parquet(files, columns=[*AREA_COLUMNS, "geometry"]))

    def area_of_points(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index into the areas of the polygon holding each point, or -1 for none."""
        points = shapely.points(x, y)
        found = np.full(len(points), -1, dtype=np.int64)
        point_index, area_index = self.tree.query(points, predicate="intersects")
        # A point on a shared boundary touches two areas: keep the first, consistently.
        order = np.lexsort((area_index, point_index))
        point_index, area_index = point_index[order], area_index[order]
        first = np.r_[True, point_index[1:] != point_index[:-1]] if len(point_index) else []
        found[point_index[first]] = area_index[first]
        return found

    def _point_areas(self, frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
        """`_x`, `_y` and the area columns of each distinct point `key` of the frame.

        A point is transformed and looked up once per import, then remembered."""
        points = frame.select(key).drop_nulls().unique()
        if self._known is not None:
            points = points.join(self._known.select(key), on=key, how="anti")
        if len(points) or self._known is None:
            if key == ["_lon", "_lat"]:
                x, y = to_bng(points["_lon"].to_numpy(), points["_lat"].to_numpy())
                bad = ~(np.isfinite(x) & np.isfinite(y))
                x[bad] = y[bad] = np.nan
                points = points.with_columns(
                    pl.Series("_x", x).fill_nan(None), pl.Series("_y", y).fill_nan(None)
                )
            index = self.area_of_points(
                points["_x"].fill_null(np.nan).to_numpy(), points["_y"].fill_null(np.nan).to_numpy()
            )
            index[index < 0] = len(self.areas)  # the all-null row appended below
            with_none = pl.concat([self.areas, pl.DataFrame(schema=self.areas.schema).clear(1)])
            placed = pl.concat([points, with_none[index]], how="horizontal")
            self._known = placed if self._known is None else pl.concat([self._known, placed])
        return self._known

    def _code_areas(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Add `_code_<area>` columns: the areas of the stated small-area code, looked up
        only when some row has a code but no point (police.uk rows always have both)."""
        code_only = frame.select(
            (pl.col("_x").is_null() | pl.col("_y").is_null()) & pl.col("_stated_lsoa").is_not_null()
        ).to_series()
        if not code_only.any():
            return frame.with_columns(
                pl.lit(None, dtype=pl.String).alias(f"_code_{c}") for c in AREA_COLUMNS
            )
        by_code = self.areas.rename({c: f"_code_{c}" for c in AREA_COLUMNS})
        return frame.join(
            by_code, left_on="_stated_lsoa", right_on="_code_lsoa_code", how="left", coalesce=False
        )

    def place(self, frame: pl.DataFrame) -> pl.DataFrame:
        key = ["_lon", "_lat"] if "_lon" in frame.columns else ["_x", "_y"]
        known = self._point_areas(frame, key)
        placed = self._code_areas(frame.join(known, on=key, how="left", nulls_equal=False))
        has_point = pl.col("_x").is_not_null() & pl.col("_y").is_not_null()
        has_code = pl.col("_stated_lsoa").is_not_null()
        code_known = pl.col("_code_lsoa_code").is_not_null()
        outside = (
            pl.when(has_point & pl.col("lsoa_code").is_null())
            .then(pl.lit("the location is outside the region's small areas"))
            .when(~has_point & has_code & ~code_known)
            .then(
                pl.format(
                    "small area '{}' is not in the imported geography", pl.col("_stated_lsoa")
                )
            )
        )
        return placed.with_columns(
            placement=pl.when(has_point)
            .then(pl.lit("point"))
            .when(has_code)
            .then(pl.lit("code"))
            .otherwise(pl.lit("unlocated")),
            lsoa_disagrees=has_point & has_code & (pl.col("_stated_lsoa") != pl.col("lsoa_code")),
            easting=pl.col("_x").round(0).cast(pl.Int32),
            northing=pl.col("_y").round(0).cast(pl.Int32),
            **{
                c: pl.when(has_point).then(pl.col(c)).otherwise(pl.col(f"_code_{c}"))
                for c in AREA_COLUMNS
            },
            _reason=pl.coalesce(pl.col("_reason"), outside),
        ).drop([f"_code_{c}" for c in AREA_COLUMNS])
