"""Places of the demo region: the licensing register, schools and youth provision.

Licensed premises cluster where the night-time economy is; each has a hidden risk (heavy-
tailed, higher for nightclubs and bars), so a few premises account for much of the violence
at licensed premises, as licensing officers see in real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from observatory.demo import files, text
from observatory.demo.geography import LOCAL_AUTHORITIES, TO_WGS84, Region, _random_points_in

PREMISES_TYPES = ("pub", "bar", "nightclub", "off-licence", "restaurant", "late-night takeaway")
PREMISES_SHARES = np.array([0.30, 0.10, 0.03, 0.22, 0.22, 0.13])
TYPE_RISK = np.array([1.0, 2.0, 4.5, 0.3, 0.2, 0.6])
PREMISES_COUNT = 3_000
MEAN_RISK = 1.2  # so licensed premises give about an eighth of all violence
OPENING_HOURS = {
    "pub": "Mon-Thu 11:00-23:00; Fri-Sat 11:00-01:00; Sun 12:00-22:30",
    "bar": "Mon-Thu 16:00-00:00; Fri-Sat 12:00-02:00; Sun 12:00-23:00",
    "nightclub": "Thu 22:00-03:00; Fri-Sat 22:00-04:00",
    "off-licence": "Mon-Sun 08:00-23:00",
    "restaurant": "Mon-Sun 12:00-23:00",
    "late-night takeaway": "Mon-Thu 17:00-01:00; Fri-Sat 17:00-04:00; Sun 17:00-00:00",
}
POSTCODE_AREAS = ("B", "CV", "DY", "B", "B", "WS", "WV")  # by LOCAL_AUTHORITIES order
YOUTH_TYPES = (
    "youth club",
    "sports club",
    "detached youth work base",
    "community centre",
    "faith group",
)


@dataclass
class Premises:
    xy: np.ndarray
    area: np.ndarray
    kind: np.ndarray
    risk: np.ndarray
    names: list[str]
    licence: list[str]


def _place_in_areas(rng, region: Region, area: np.ndarray) -> np.ndarray:
    return np.array([_random_points_in(rng, region.polygons[a], 1)[0] for a in area])


def build_premises(region: Region, seed: int) -> Premises:
    rng = np.random.default_rng([seed, 8])
    weight = region.population * (0.15 + 8 * region.nightlife**1.5)
    area = rng.choice(region.size, size=PREMISES_COUNT, p=weight / weight.sum())
    kind = rng.choice(len(PREMISES_TYPES), size=PREMISES_COUNT, p=PREMISES_SHARES)
    risk = rng.lognormal(0, 1.1, PREMISES_COUNT) * TYPE_RISK[kind] * (0.4 + region.nightlife[area])
    risk *= MEAN_RISK / risk.mean()
    names = text.venue_names(rng, [PREMISES_TYPES[k] for k in kind])
    licence = [f"LN/{100000 + i:06d}" for i in range(PREMISES_COUNT)]
    return Premises(
        _place_in_areas(rng, region, area), area.astype(np.int32), kind, risk, names, licence
    )


def _postcode(rng, la_index: int) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    district = int(rng.integers(1, 40))
    inward = f"{int(rng.integers(1, 10))}{rng.choice(list(letters))}{rng.choice(list(letters))}"
    return f"{POSTCODE_AREAS[la_index]}{district} {inward}"


REGISTER_HEADER = [
    "licence_number",
    "premises_name",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "premises_type",
    "opening_hours",
]
SCHOOLS_HEADER = [
    "school_urn",
    "school_name",
    "phase",
    "pupils",
    "latitude",
    "longitude",
    "lsoa_code",
    "local_authority_code",
]
YOUTH_HEADER = [
    "site_id",
    "site_name",
    "provision_type",
    "weekly_hours",
    "min_age",
    "max_age",
    "latitude",
    "longitude",
    "lsoa_code",
]


def write_places(
    region: Region, premises: Premises, out: Path, seed: int, scale_licensed_rate: float
) -> dict[str, int]:
    """Write the licensing register, schools, youth provision and the premises truth."""
    rng = np.random.default_rng([seed, 9])
    written = {
        "premises/licensed_premises.csv": files.write_table(
            out / "premises/licensed_premises.csv",
            REGISTER_HEADER,
            _register_rows(rng, region, premises),
        )
    }
    files.write_table(
        out / "truth/premises_risk.csv",
        ["licence_number", "relative_risk", "expected_violent_events_per_month"],
        (
            [licence, f"{risk:.4f}", f"{risk * scale_licensed_rate:.4f}"]
            for licence, risk in zip(premises.licence, premises.risk, strict=True)
        ),
    )
    written["places/schools.csv"] = files.write_table(
        out / "places/schools.csv", SCHOOLS_HEADER, _school_rows(rng, region)
    )
    written["places/youth_provision.csv"] = files.write_table(
        out / "places/youth_provision.csv", YOUTH_HEADER, _youth_rows(rng, region)
    )
    return written


def _register_rows(rng, region: Region, premises: Premises):
    lon, lat = TO_WGS84.transform(premises.xy[:, 0], premises.xy[:, 1])
    for i in range(len(premises.area)):
        a = premises.area[i]
        la = region.la_index[a]
        street = region.point_street[a][int(rng.integers(0, 6))]
        kind = PREMISES_TYPES[premises.kind[i]]
        yield [
            premises.licence[i],
            premises.names[i],
            f"{int(rng.integers(1, 250))} {street}, {LOCAL_AUTHORITIES[la].name}",
            _postcode(rng, la),
            f"{lat[i]:.6f}",
            f"{lon[i]:.6f}",
            kind,
            OPENING_HOURS[kind],
        ]


def _school_rows(rng, region: Region):
    schools = round(region.population.sum() / 2_600)
    area = rng.choice(region.size, size=schools, p=region.population / region.population.sum())
    phase = np.where(rng.random(schools) < 0.82, "primary", "secondary")
    pupils = np.where(
        phase == "primary", rng.integers(180, 660, schools), rng.integers(600, 1_750, schools)
    )
    xy = _place_in_areas(rng, region, area)
    lon, lat = TO_WGS84.transform(xy[:, 0], xy[:, 1])
    names = text.school_names(rng, text.area_names(rng, schools), list(phase))
    for i in range(schools):
        yield [
            f"9{i + 10001:05d}",
            names[i],
            phase[i],
            int(pupils[i]),
            f"{lat[i]:.6f}",
            f"{lon[i]:.6f}",
            region.lsoa_code[area[i]],
            region.la_code(area[i]),
        ]


def _youth_rows(rng, region: Region):
    youth = round(region.population.sum() / 11_000)
    weight = region.population * (0.5 + region.deprivation / region.deprivation.mean())
    area = rng.choice(region.size, size=youth, p=weight / weight.sum())
    xy = _place_in_areas(rng, region, area)
    lon, lat = TO_WGS84.transform(xy[:, 0], xy[:, 1])
    kind = rng.choice(len(YOUTH_TYPES), size=youth, p=[0.35, 0.3, 0.1, 0.15, 0.1])
    place_names = text.area_names(rng, youth)
    for i in range(youth):
        low = int(rng.choice([8, 10, 11, 13]))
        yield [
            f"YP{i + 1:04d}",
            f"{place_names[i]} {YOUTH_TYPES[kind[i]].title()}",
            YOUTH_TYPES[kind[i]],
            int(rng.integers(3, 40)),
            low,
            int(rng.choice([16, 18, 19, 25])),
            f"{lat[i]:.6f}",
            f"{lon[i]:.6f}",
            region.lsoa_code[area[i]],
        ]
