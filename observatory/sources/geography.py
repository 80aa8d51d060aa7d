"""Small areas with their ward and local authority, their populations and deprivation.

Areas come from a GeoJSON file: the demo's, or an ONS boundary file as downloaded (any
CRS the file declares in its `crs` member, WGS84 when it declares none, as RFC 7946 says).
Property names are recognised by their ONS pattern whatever the census year: `LSOA21CD`,
`LSOA11NM`, `WD22CD`, `LAD23NM`… ONS boundary files carry only the small area's own code
and name; their ward and local authority then come from an ONS lookup CSV
(`--lookup`, e.g. "LSOA (2021) to Electoral Ward to LAD Best Fit Lookup").

Polygons are stored in British National Grid as WKB, with their area and centroid.
Each import replaces the whole table: a boundary set is one snapshot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyproj
import shapely
from shapely.geometry import shape

from observatory.sources.base import Context, Source, first_failure, missing, not_one_of
from observatory.sources.csvfile import ROW, UnusableFile, open_csv, read_header

BNG = "EPSG:27700"
FIELDS = {
    "lsoa_code": r"lsoa\d\dcd",
    "lsoa_name": r"lsoa\d\dnm",
    "ward_code": r"wd\d\dcd",
    "ward_name": r"wd\d\dnm",
    "la_code": r"lad\d\dcd",
    "la_name": r"lad\d\dnm",
}
CODE_PATTERNS = {
    "lsoa_code": r"^[EW]01\d{6}$",
    "ward_code": r"^[EW]05\d{6}$",
    "la_code": r"^[EW]0[6-9]\d{6}$",
}


def _recognise(names: list[str]) -> dict[str, str]:
    """Our field -> the file's name for it."""
    found = {}
    for ours, pattern in FIELDS.items():
        for name in names:
            if re.fullmatch(pattern, name.strip(), flags=re.IGNORECASE):
                found[ours] = name
                break
    return found


def _declared_crs(collection: dict) -> str:
    name = ((collection.get("crs") or {}).get("properties") or {}).get("name")
    if not name:
        return "EPSG:4326"
    match = re.search(r"EPSG:+(\d+)", name, flags=re.IGNORECASE)
    if match:
        return f"EPSG:{match.group(1)}"
    if "CRS84" in name.upper():
        return "EPSG:4326"
    return name


@dataclass
class _GeoJsonReader:
    """Reads a FeatureCollection as one batch (boundary files fit in memory)."""

    path: Path
    lookup: Path | None = None
    ragged: list = field(default_factory=list)
    rows_read: int = 0

    def batches(self):
        collection = self._load()
        features = collection.get("features") or []
        self.rows_read = len(features)
        if not features:
            raise UnusableFile(self.path, "has no features (small areas)")
        names = sorted({k for f in features for k in (f.get("properties") or {})})
        fields = _recognise(names)
        if "lsoa_code" not in fields:
            raise UnusableFile(
                self.path,
                "has no small-area code property (LSOA21CD or similar); found "
                + (", ".join(names[:12]) or "no properties"),
            )
        columns = {
            ours: [_text((f.get("properties") or {}).get(theirs)) for f in features]
            for ours, theirs in fields.items()
        }
        frame = pl.DataFrame(
            {ours: columns.get(ours, [None] * len(features)) for ours in FIELDS},
            schema={ours: pl.String for ours in FIELDS},
        )
        frame = frame.with_columns(
            pl.Series("geometry", _to_bng(features, _declared_crs(collection), self.path)),
            pl.Series(ROW, np.arange(1, len(features) + 1), dtype=pl.Int64),
        )
        if self.lookup is not None:
            frame = _apply_lookup(frame, self.lookup)
        yield frame

    def _load(self) -> dict:
        try:
            with open(self.path, "rb") as handle:
                collection = json.load(handle)
        except FileNotFoundError:
            raise UnusableFile(self.path, "no such file") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise UnusableFile(self.path, "is not a GeoJSON file (it is not valid JSON)") from None
        if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
            raise UnusableFile(self.path, "is not a GeoJSON FeatureCollection")
        return collection


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _to_bng(features: list[dict], crs: str, path: Path) -> list[bytes | None]:
    """Each feature's geometry as valid BNG polygons in WKB (None when unusable)."""
    try:
        transformer = pyproj.Transformer.from_crs(crs, BNG, always_xy=True)
    except pyproj.exceptions.CRSError:
        raise UnusableFile(path, f"declares a coordinate system I do not know: {crs}") from None
    geometries = []
    for feature in features:
        try:
            geometry = shape(feature["geometry"]) if feature.get("geometry") else None
        except (KeyError, TypeError, ValueError, AttributeError):
            geometry = None
        geometries.append(geometry)
    array = np.array(geometries, dtype=object)
    present = np.array([g is not None and not g.is_empty for g in geometries])
    if present.any():
        moved = shapely.transform(
            array[present], lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
        array[present] = shapely.make_valid(moved)
    polygonal = [
        g if g is not None and g.geom_type in ("Polygon", "MultiPolygon") else None for g in array
    ]
    return [None if g is None else shapely.to_wkb(g) for g in polygonal]


def _apply_lookup(frame: pl.DataFrame, lookup: Path) -> pl.DataFrame:
    """Fill ward and local authority from an ONS lookup CSV."""
    names = read_header(lookup)
    fields = _recognise(names)
    needed = {"lsoa_code", "ward_code", "ward_name", "la_code", "la_name"}
    if not needed <= set(fields):
        raise UnusableFile(lookup, "is not an LSOA to ward to local authority lookup")
    table = open_csv(lookup, names)
    parts = [
        b.select(pl.col(fields[f]).alias(f"_lookup_{f}") for f in sorted(needed))
        for b in table.batches()
    ]
    found = pl.concat(parts).unique("_lookup_lsoa_code", keep="first")
    frame = frame.join(found, left_on="lsoa_code", right_on="_lookup_lsoa_code", how="left")
    return frame.with_columns(
        pl.coalesce(pl.col(f), pl.col(f"_lookup_{f}")).alias(f)
        for f in sorted(needed - {"lsoa_code"})
    ).drop([f"_lookup_{f}" for f in sorted(needed - {"lsoa_code"})])


class SmallAreas(Source):
    name = "geography-areas"
    table = "small_areas"
    key_label = "small-area code"
    safe_columns = ["lsoa_code", "ward_code", "la_code"]

    def __init__(self, lookup: Path | None = None):
        self.lookup = lookup

    def open(self, path: Path):
        return _GeoJsonReader(Path(path), self.lookup)

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        checks = []
        for column, pattern in CODE_PATTERNS.items():
            checks.append(missing(column))
            checks.append(
                _invalid(~pl.col(column).str.contains(pattern), column, "an ONS code of that kind")
            )
        checks.append((pl.col("geometry").is_null(), "the geometry is missing or not a polygon"))
        geometry = shapely.from_wkb(batch["geometry"].to_numpy())
        area = shapely.area(geometry)
        centroid = shapely.centroid(geometry)
        return batch.with_columns(
            pl.Series("area_km2", area / 1e6, dtype=pl.Float64).fill_nan(None),
            pl.Series("centroid_easting", shapely.get_x(centroid), dtype=pl.Float64).fill_nan(None),
            pl.Series("centroid_northing", shapely.get_y(centroid), dtype=pl.Float64).fill_nan(
                None
            ),
            pl.lit(None, dtype=pl.String).alias("month"),
            first_failure(checks).alias("_reason"),
            pl.lit("all").alias("_slice"),
            pl.col("lsoa_code").alias("_key"),
        )


def _numbers(name: str, values: np.ndarray) -> pl.Series:
    return pl.Series(name, values, dtype=pl.Float64).fill_nan(None)


def _invalid(is_bad: pl.Expr, column: str, what: str) -> tuple[pl.Expr, pl.Expr]:
    return is_bad, pl.format(f"{column} '{{}}' is not {what}", pl.col(column))


POPULATION_HEADER = ["lsoa_code", "age_band", "sex", "population"]
SEXES = ("F", "M")


class Population(Source):
    """Residents per small area, age band and sex (the demo's long format)."""

    name = "geography-population"
    table = "population"
    header = POPULATION_HEADER
    key_label = "small area, age band and sex"
    safe_columns = POPULATION_HEADER

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        count = pl.col("population").cast(pl.Int64, strict=False)
        reason = first_failure(
            [
                *(missing(c) for c in POPULATION_HEADER),
                _invalid(
                    ~pl.col("lsoa_code").str.contains(CODE_PATTERNS["lsoa_code"]),
                    "lsoa_code",
                    "a small-area code",
                ),
                not_one_of("sex", SEXES),
                (
                    count.is_null() | (count < 0),
                    pl.format("population '{}' is not a count", pl.col("population")),
                ),
            ]
        )
        return batch.select(
            "lsoa_code",
            "age_band",
            "sex",
            count.alias("population"),
            pl.lit(None, dtype=pl.String).alias("month"),
            pl.col(ROW),
            reason.alias("_reason"),
            pl.lit("all").alias("_slice"),
            pl.format("{}|{}|{}", "lsoa_code", "age_band", "sex").alias("_key"),
        )


DEPRIVATION_HEADER = ["lsoa_code", "imd_score", "imd_decile"]


class Deprivation(Source):
    """Index of Multiple Deprivation score and decile (1 = most deprived) per small area."""

    name = "geography-deprivation"
    table = "deprivation"
    header = DEPRIVATION_HEADER
    key_label = "small-area code"
    safe_columns = DEPRIVATION_HEADER

    def check(self, batch: pl.DataFrame, context: Context) -> pl.DataFrame:
        score = pl.col("imd_score").cast(pl.Float64, strict=False)
        decile = pl.col("imd_decile").cast(pl.Int64, strict=False)
        reason = first_failure(
            [
                *(missing(c) for c in DEPRIVATION_HEADER),
                _invalid(
                    ~pl.col("lsoa_code").str.contains(CODE_PATTERNS["lsoa_code"]),
                    "lsoa_code",
                    "a small-area code",
                ),
                (
                    score.is_null() | (score < 0),
                    pl.format("imd_score '{}' is not a score", pl.col("imd_score")),
                ),
                (
                    ~decile.is_between(1, 10),
                    pl.format("imd_decile '{}' is not 1 to 10", pl.col("imd_decile")),
                ),
            ]
        )
        return batch.select(
            "lsoa_code",
            score.alias("imd_score"),
            decile.alias("imd_decile"),
            pl.lit(None, dtype=pl.String).alias("month"),
            pl.col(ROW),
            reason.alias("_reason"),
            pl.lit("all").alias("_slice"),
            pl.col("lsoa_code").alias("_key"),
        )
