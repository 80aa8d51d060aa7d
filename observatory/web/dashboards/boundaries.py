"""Area boundaries for the maps, drawn from the lake: no tile server, no internet.

`boundaries(engine, level, within)` gives a GeoJSON FeatureCollection (WGS84, as browsers'
map libraries expect) of the local authorities, wards or small areas, optionally only those
inside one area. Wards and authorities are the union of their small areas; outlines are
simplified to 25 m, plenty for a choropleth and a tenth of the bytes. Computed once per
engine (the lake's version).
"""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import shapely

from observatory.analysis.engine import Engine
from observatory.lake.placement import to_wgs84

SIMPLIFY_METRES = 25


def _wgs84(xy: np.ndarray) -> np.ndarray:
    return np.column_stack(to_wgs84(xy[:, 0], xy[:, 1]))


COLUMNS = {"la": ("la_code", "la_name"), "ward": ("ward_code", "ward_name"),
           "lsoa": ("lsoa_code", "lsoa_name")}  # fmt: skip


def _features(engine: Engine, level: str) -> pl.DataFrame:
    code, name = COLUMNS[level]

    def build() -> pl.DataFrame:
        areas = engine.run(
            engine.table("small_areas").select(
                "lsoa_code", "lsoa_name", "ward_code", "ward_name", "la_code", "la_name",
                "geometry",
            )
        )  # fmt: skip
        rows = []
        for (area_code, area_name), part in areas.group_by(code, name, maintain_order=True):
            shapes = shapely.from_wkb(part["geometry"].to_numpy())
            outline = shapely.union_all(shapes).simplify(SIMPLIFY_METRES)
            geometry = shapely.geometry.mapping(shapely.transform(outline, _wgs84))
            parents = part.row(0, named=True)
            rows.append(
                {
                    "code": area_code,
                    "name": area_name,
                    "la_code": parents["la_code"],
                    "ward_code": parents["ward_code"] if level != "la" else None,
                    "geometry": json.dumps(geometry),
                }
            )
        return pl.DataFrame(rows)

    return engine.cached(("boundaries", level), build)


def boundaries(engine: Engine, level: str, within: tuple[str, str] | None = None) -> dict:
    """GeoJSON of the areas at `level`; `within` = (column, code) keeps those inside one
    area, e.g. ("la_code", "E08000025") for Birmingham's wards."""
    features = _features(engine, level)
    if within is not None:
        column, code = within
        if column in features.columns:
            features = features.filter(pl.col(column) == code)
        else:
            features = features.filter(pl.col("code") == code)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": row["code"],
                "properties": {"code": row["code"], "name": row["name"]},
                "geometry": json.loads(row["geometry"]),
            }
            for row in features.iter_rows(named=True)
        ],
    }
