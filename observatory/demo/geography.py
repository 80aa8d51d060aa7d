"""The demo region's geography: small areas, wards and the seven West Midlands authorities.

Small areas are Voronoi cells of a jittered lattice (about 680 m apart, so each holds about
1,500 residents at West Midlands densities), claimed by each local authority outward from
its real centre until it has its 2021-census population. Wards are spatial clusters of about
eleven small areas. Codes have the real format but sit outside the real ranges
(LSOA `E019xxxxx`, ward `E059xxxxx`) so they can never be mistaken for real ones.

All geometry is built in British National Grid metres (EPSG:27700) and written as WGS84.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from observatory.demo import files, text

RESIDENTS_PER_AREA = 1_500
LATTICE_SPACING_M = 680
AREAS_PER_WARD = 11
MAP_POINTS_PER_AREA = 6


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str
    latitude: float
    longitude: float
    population: int  # 2021 census, usual residents


LOCAL_AUTHORITIES = (
    LocalAuthority("E08000025", "Birmingham", 52.4797, -1.9026, 1_144_900),
    LocalAuthority("E08000026", "Coventry", 52.4081, -1.5106, 345_300),
    LocalAuthority("E08000027", "Dudley", 52.5123, -2.0811, 323_500),
    LocalAuthority("E08000028", "Sandwell", 52.5190, -1.9945, 341_900),
    LocalAuthority("E08000029", "Solihull", 52.4130, -1.7780, 216_200),
    LocalAuthority("E08000030", "Walsall", 52.5862, -1.9829, 284_100),
    LocalAuthority("E08000031", "Wolverhampton", 52.5862, -2.1280, 263_700),
)

AGE_BANDS = ("0-9", "10-14", "15-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
# Share of residents in each band, West Midlands 2021 (rounded); deprived areas skew younger.
AGE_SHARES = np.array([0.124, 0.066, 0.038, 0.098, 0.142, 0.131, 0.123, 0.116, 0.162])
YOUNG_BANDS = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0], dtype=bool)

# Approximate national IMD 2019 score thresholds for deciles 1 (most deprived) to 9.
IMD_DECILE_THRESHOLDS = (34.2, 27.4, 22.5, 18.6, 15.2, 12.4, 9.9, 7.7, 5.6)

TO_WGS84 = Transformer.from_crs(27700, 4326, always_xy=True)
TO_BNG = Transformer.from_crs(4326, 27700, always_xy=True)


@dataclass
class Region:
    """Every small area as parallel arrays (index = area number), plus map points."""

    lsoa_code: list[str]
    lsoa_name: list[str]
    ward_code: list[str]
    ward_name: list[str]
    la_index: np.ndarray  # into LOCAL_AUTHORITIES
    centre_xy: np.ndarray  # (n, 2) BNG metres
    polygons: list  # shapely Polygons in BNG
    population: np.ndarray  # residents
    deprivation: np.ndarray  # IMD-like score, higher is more deprived
    nightlife: np.ndarray  # 0..1, how much night-time economy the area has
    point_xy: np.ndarray  # (n, MAP_POINTS_PER_AREA, 2) anonymised map points, BNG
    point_lonlat: np.ndarray  # same points in WGS84
    point_street: list[list[str]]  # street label of each map point
    bounds: tuple[float, float, float, float]  # BNG envelope of the region

    @property
    def size(self) -> int:
        return len(self.lsoa_code)

    @cached_property
    def shape(self):
        """The whole region as one prepared geometry, for fast point-in-region tests."""
        union = shapely.union_all(self.polygons)
        shapely.prepare(union)
        return union

    def keep_inside(self, xy: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        """`xy` (n, 2), except points outside the region, which stay at `fallback`: the
        region's crime happens in the region (an importer rejects points outside it)."""
        outside = ~shapely.contains_xy(self.shape, xy[:, 0], xy[:, 1])
        return np.where(outside[:, None], fallback, xy)

    def la_code(self, area: int) -> str:
        return LOCAL_AUTHORITIES[self.la_index[area]].code

    def deprivation_decile(self) -> np.ndarray:
        thresholds = np.array(IMD_DECILE_THRESHOLDS)
        return 1 + (self.deprivation[:, None] < thresholds[None, :]).sum(axis=1)


def build_region(seed: int) -> Region:
    """The whole geography for `seed`; same seed, same region."""
    rng = np.random.default_rng([seed, 1])
    centres = np.array([TO_BNG.transform(la.longitude, la.latitude) for la in LOCAL_AUTHORITIES])
    quotas = np.array([round(la.population / RESIDENTS_PER_AREA) for la in LOCAL_AUTHORITIES])
    lattice = _jittered_lattice(rng, centres)
    points, owner = _claim_areas(lattice, centres, quotas)
    polygons = _voronoi_cells(points)
    ward_of = _wards(rng, points, owner)
    population = _populations(rng, owner)
    deprivation = _deprivation(rng, points, owner, centres)
    nightlife = _nightlife(rng, points, centres)
    return _assemble(rng, points, owner, polygons, ward_of, population, deprivation, nightlife)


def _jittered_lattice(rng, centres: np.ndarray) -> np.ndarray:
    low = centres.min(axis=0) - 22_000
    high = centres.max(axis=0) + 22_000
    xs = np.arange(low[0], high[0], LATTICE_SPACING_M)
    ys = np.arange(low[1], high[1], LATTICE_SPACING_M * 0.866)
    grid = np.array(
        [(x + (i % 2) * LATTICE_SPACING_M / 2, y) for i, y in enumerate(ys) for x in xs]
    )
    return grid + rng.normal(0, LATTICE_SPACING_M * 0.18, size=grid.shape)


def _claim_areas(lattice, centres, quotas):
    """Each authority claims the lattice points nearest its centre (distance scaled by the
    radius its population needs) until it has its quota; no point is claimed twice."""
    radius = np.sqrt(quotas * LATTICE_SPACING_M**2 * 0.866 / np.pi)
    scaled = np.linalg.norm(lattice[:, None, :] - centres[None, :, :], axis=2) / radius
    order = np.argsort(scaled, axis=None, kind="stable")
    owner = np.full(len(lattice), -1)
    remaining = quotas.copy()
    for flat in order:
        point, authority = divmod(int(flat), len(centres))
        if owner[point] == -1 and remaining[authority] > 0:
            owner[point] = authority
            remaining[authority] -= 1
            if not remaining.any():
                break
    claimed = owner >= 0
    points, owner = lattice[claimed], owner[claimed]
    # Order areas by authority, then west to east, north to south, for readable codes.
    order = np.lexsort((-points[:, 1], points[:, 0] // 3000, owner))
    return points[order], owner[order]


def _voronoi_cells(points):
    """Irregular polygons like real small areas, trimmed to the region's outline."""
    cells = shapely.voronoi_polygons(
        shapely.MultiPoint(points),
        extend_to=shapely.box(*points.min(0), *points.max(0)),
        ordered=True,
    )
    outline = shapely.union_all(shapely.buffer(shapely.points(points), LATTICE_SPACING_M * 0.8))
    return [cell.intersection(outline) for cell in shapely.get_parts(cells)]


def _wards(rng, points, owner) -> np.ndarray:
    """k-means clusters of about AREAS_PER_WARD small areas within each authority."""
    ward_of = np.zeros(len(points), dtype=int)
    next_ward = 0
    for authority in range(len(LOCAL_AUTHORITIES)):
        members = np.flatnonzero(owner == authority)
        k = max(1, round(len(members) / AREAS_PER_WARD))
        xy = points[members]
        means = xy[rng.choice(len(xy), size=k, replace=False)]
        for _ in range(25):
            label = np.argmin(np.linalg.norm(xy[:, None] - means[None], axis=2), axis=1)
            means = np.array(
                [xy[label == j].mean(0) if (label == j).any() else means[j] for j in range(k)]
            )
        used = np.unique(label)
        ward_of[members] = next_ward + np.searchsorted(used, label)
        next_ward += len(used)
    return ward_of


def _populations(rng, owner) -> np.ndarray:
    """About 1,500 each, summing exactly to each authority's census population."""
    population = np.zeros(len(owner), dtype=np.int64)
    for authority, la in enumerate(LOCAL_AUTHORITIES):
        members = np.flatnonzero(owner == authority)
        weights = rng.lognormal(0, 0.12, size=len(members))
        share = weights / weights.sum() * la.population
        counts = np.floor(share).astype(np.int64)
        shortfall = la.population - counts.sum()
        counts[np.argsort(share - counts)[::-1][:shortfall]] += 1
        population[members] = counts
    return population


def _smooth_field(rng, points, bumps: int, width: float) -> np.ndarray:
    centres = points[rng.choice(len(points), size=bumps, replace=False)]
    heights = rng.exponential(1.0, size=bumps)
    distance = np.linalg.norm(points[:, None] - centres[None], axis=2)
    return (heights * np.exp(-((distance / width) ** 2))).sum(axis=1)


def _deprivation(rng, points, owner, centres) -> np.ndarray:
    """IMD-like score: high in inner rings and on a scatter of estates, low on the fringe."""
    inner = np.exp(-np.linalg.norm(points - centres[owner], axis=1) / 5_000)
    estates = _smooth_field(rng, points, bumps=90, width=1_400)
    noise = rng.normal(0, 0.25, size=len(points))
    raw = 1.3 * inner + 0.9 * estates / estates.max() * 2 + noise
    return np.clip(4 + 29 * raw, 2, 85).round(1)


def _nightlife(rng, points, centres) -> np.ndarray:
    """Night-time economy: each town centre, plus a few district high streets."""
    distance = np.linalg.norm(points[:, None] - centres[None], axis=2)
    towns = np.exp(-((distance / 900) ** 2)).max(axis=1)
    towns[np.argmin(distance[:, 0])] = 1.0  # Birmingham's centre is the region's biggest
    districts = 0.5 * _smooth_field(rng, points, bumps=25, width=500)
    return np.clip(towns + districts / max(districts.max(), 1e-9) * 0.45, 0, 1).round(3)


def _random_points_in(rng, polygon, count: int) -> np.ndarray:
    minx, miny, maxx, maxy = polygon.bounds
    found = np.empty((0, 2))
    while len(found) < count:
        candidates = rng.uniform((minx, miny), (maxx, maxy), size=(count * 4, 2))
        inside = shapely.contains_xy(polygon, candidates[:, 0], candidates[:, 1])
        found = np.vstack([found, candidates[inside]])
    return found[:count]


def _assemble(rng, points, owner, polygons, ward_of, population, deprivation, nightlife):
    n = len(points)
    wards = int(ward_of.max()) + 1
    ward_names = text.ward_names(rng, wards)
    lsoa_code = [f"E019{i + 1:05d}" for i in range(n)]
    ward_code = [f"E059{w + 1:05d}" for w in ward_of]
    # Real LSOA names read "<authority> <3-digit MSOA><letter>"; wards stand in for MSOAs.
    lsoa_name, seen = [], {}
    for area in range(n):
        la = LOCAL_AUTHORITIES[owner[area]]
        first_ward = ward_of[owner == owner[area]].min()
        key = (owner[area], ward_of[area])
        seen[key] = seen.get(key, 0) + 1
        letter = chr(ord("A") + (seen[key] - 1) % 26)
        lsoa_name.append(f"{la.name} {ward_of[area] - first_ward + 1:03d}{letter}")
    streets = text.street_names(rng, n * MAP_POINTS_PER_AREA // 2)
    point_xy = np.stack([_random_points_in(rng, p, MAP_POINTS_PER_AREA) for p in polygons])
    lon, lat = TO_WGS84.transform(point_xy[..., 0].ravel(), point_xy[..., 1].ravel())
    point_lonlat = np.stack([lon, lat], axis=1).reshape(point_xy.shape)
    street_index = rng.integers(0, len(streets), size=(n, MAP_POINTS_PER_AREA))
    return Region(
        lsoa_code=lsoa_code,
        lsoa_name=lsoa_name,
        ward_code=ward_code,
        ward_name=[ward_names[w] for w in ward_of],
        la_index=owner,
        centre_xy=points,
        polygons=polygons,
        population=population,
        deprivation=deprivation,
        nightlife=nightlife,
        point_xy=point_xy,
        point_lonlat=point_lonlat,
        point_street=[[streets[i] for i in row] for row in street_index],
        bounds=tuple(shapely.union_all(polygons).bounds),
    )


def write_geography(region: Region, out: Path) -> dict[str, int]:
    """Write areas GeoJSON, population and deprivation CSVs; return rows written per file."""
    folder = out / "geography"
    folder.mkdir(parents=True, exist_ok=True)
    features = []
    for area, polygon in enumerate(region.polygons):
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "LSOA21CD": region.lsoa_code[area],
                    "LSOA21NM": region.lsoa_name[area],
                    "WD22CD": region.ward_code[area],
                    "WD22NM": region.ward_name[area],
                    "LAD22CD": region.la_code(area),
                    "LAD22NM": LOCAL_AUTHORITIES[region.la_index[area]].name,
                },
                "geometry": _geojson_geometry(polygon),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": "demo_small_areas",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }
    (folder / "small_areas.geojson").write_text(json.dumps(collection, separators=(",", ":")))

    decile = region.deprivation_decile()
    files.write_table(
        folder / "deprivation.csv",
        ["lsoa_code", "imd_score", "imd_decile"],
        ([region.lsoa_code[a], region.deprivation[a], decile[a]] for a in range(region.size)),
    )
    rng = np.random.default_rng([int(region.population.sum()), 7])
    rows = files.write_table(
        folder / "population.csv",
        ["lsoa_code", "age_band", "sex", "population"],
        (
            [region.lsoa_code[area], band, sex, count]
            for area in range(region.size)
            for band, sex, count in _age_sex_counts(rng, region, area)
        ),
    )
    return {
        "geography/small_areas.geojson": region.size,
        "geography/deprivation.csv": region.size,
        "geography/population.csv": rows,
    }


def _age_sex_counts(rng, region: Region, area: int):
    youth = 1 + 0.25 * (region.deprivation[area] - 20) / 20
    shares = AGE_SHARES * np.where(YOUNG_BANDS, youth, 1.0)
    counts = rng.multinomial(region.population[area], shares / shares.sum())
    for band, count in zip(AGE_BANDS, counts, strict=True):
        male = rng.binomial(count, 0.49)
        yield band, "M", male
        yield band, "F", count - male


def _geojson_geometry(polygon) -> dict:
    def ring(coords):
        xy = np.asarray(coords)
        lon, lat = TO_WGS84.transform(xy[:, 0], xy[:, 1])
        return [[round(a, 6), round(b, 6)] for a, b in zip(lon, lat, strict=True)]

    parts = [polygon] if polygon.geom_type == "Polygon" else list(polygon.geoms)
    rings = [[ring(p.exterior.coords), *(ring(i.coords) for i in p.interiors)] for p in parts]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}
