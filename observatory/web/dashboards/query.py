"""What a dashboard shows, as it appears in the address bar: filters that compose, survive a
reload and can be shared as a link.

`?from=2025-01&to=2025-12&source=force&category=Robbery&area=E08000025&age_band=18-24&sex=F`

- `from`, `to`: months, both included; by default the latest 12 months the lake holds for
  the chosen sources.
- `source`: `police.uk`, `force` or `ed` (repeatable); by default police.uk. The sources count
  different things, so the combined view shows them side by side, never added up.
- `category`: crime type, offence group or assault method (repeatable).
- `area`: a local authority, ward or small-area code: the dashboard drills into it and lists
  the areas one level down (region → local authorities → wards → small areas).
- `age_band`, `sex`: victims' or patients' (ED and force data only).

A value that is not allowed is an `InvalidQuery` with a sentence saying which and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from observatory.analysis.engine import Engine
from observatory.analysis.events import SOURCES
from observatory.analysis.indicators import Filters, filtered_events
from observatory.errors import ObservatoryError

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DEFAULT_SOURCES = ("police.uk",)
LEVELS = ("region", "la", "ward", "lsoa")
CHILD_LEVEL = {"region": "la", "la": "ward", "ward": "lsoa", "lsoa": "lsoa"}
LEVEL_COLUMN = {"la": "la_code", "ward": "ward_code", "lsoa": "lsoa_code"}
AGE_BANDS = ("0-9", "10-14", "15-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
SEXES = ("F", "M")


class InvalidQuery(ObservatoryError):
    pass


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str  # la, ward or lsoa
    parents: tuple[tuple[str, str, str], ...]  # (level, code, name) from the top down


def places(engine: Engine) -> dict[str, Place]:
    """Every local authority, ward and small area of the lake, by code."""

    def build() -> dict[str, Place]:
        areas = engine.run(engine.table("small_areas").select(
            "lsoa_code", "lsoa_name", "ward_code", "ward_name", "la_code", "la_name"
        ))  # fmt: skip
        found: dict[str, Place] = {}
        for row in areas.iter_rows(named=True):
            la = ("la", row["la_code"], row["la_name"])
            ward = ("ward", row["ward_code"], row["ward_name"])
            found.setdefault(row["la_code"], Place(row["la_code"], row["la_name"], "la", ()))
            found.setdefault(
                row["ward_code"], Place(row["ward_code"], row["ward_name"], "ward", (la,))
            )
            found[row["lsoa_code"]] = Place(row["lsoa_code"], row["lsoa_name"], "lsoa", (la, ward))
        return found

    if not engine.has("small_areas"):
        return {}
    return engine.cached(("dashboard places",), build)


def latest_month(engine: Engine, sources: tuple[str, ...]) -> str | None:
    def compute():
        events = filtered_events(engine, Filters(sources=sources), ["month"])
        return engine.run(events.aggregate(latest=events.month.max()))["latest"][0]

    return engine.cached(("latest month", sources), compute)


def _month_minus(month: str, months: int) -> str:
    year, number = map(int, month.split("-"))
    index = year * 12 + number - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class DashboardQuery:
    start: str | None
    end: str | None
    sources: tuple[str, ...] = DEFAULT_SOURCES
    categories: tuple[str, ...] = ()
    area: Place | None = None
    age_band: str | None = None
    sex: str | None = None

    @classmethod
    def from_params(cls, params, engine: Engine) -> DashboardQuery:
        """Read and check the query string (a QueryDict or a dict of lists)."""
        get_list = params.getlist if hasattr(params, "getlist") else lambda k: params.get(k, [])
        first = lambda key: (get_list(key) or [None])[0] or None  # noqa: E731
        sources = tuple(dict.fromkeys(get_list("source"))) or DEFAULT_SOURCES
        for source in sources:
            if source not in SOURCES:
                raise InvalidQuery(f"source {source!r} is not one of {', '.join(SOURCES)}")
        start, end = first("from"), first("to")
        for label, month in (("from", start), ("to", end)):
            if month and not MONTH.match(month):
                raise InvalidQuery(f"{label} {month!r} is not a month written YYYY-MM")
        if end is None:
            end = latest_month(engine, sources)
        if start is None and end is not None:
            start = _month_minus(end, 11)
        if start and end and start > end:
            raise InvalidQuery(f"the period starts ({start}) after it ends ({end})")
        area = None
        if code := first("area"):
            area = places(engine).get(code)
            if area is None:
                raise InvalidQuery(f"there is no area with code {code!r} in the lake")
        age_band, sex = first("age_band"), first("sex")
        if age_band and age_band not in AGE_BANDS:
            raise InvalidQuery(f"age band {age_band!r} is not one of {', '.join(AGE_BANDS)}")
        if sex and sex not in SEXES:
            raise InvalidQuery(f"sex {sex!r} is not one of F, M")
        categories = tuple(dict.fromkeys(c for c in get_list("category") if c))
        return cls(start, end, sources, categories, area, age_band, sex)

    @property
    def level(self) -> str:
        return self.area.level if self.area else "region"

    @property
    def child_level(self) -> str:
        """The level of the areas the dashboard lists: one below the current area."""
        return CHILD_LEVEL[self.level]

    def filters(self, **changes) -> Filters:
        areas = {LEVEL_COLUMN[self.area.level]: self.area.code} if self.area else {}
        filters = Filters(
            sources=self.sources,
            start=self.start,
            end=self.end,
            categories=self.categories,
            age_bands=(self.age_band,) if self.age_band else (),
            sex=self.sex,
            areas=areas,
        )
        return replace(filters, **changes)

    def params(self, **changes) -> dict[str, list[str]]:
        """The query string of this query with `changes` (None drops a key)."""
        values = {
            "from": [self.start] if self.start else [],
            "to": [self.end] if self.end else [],
            "source": list(self.sources),
            "category": list(self.categories),
            "area": [self.area.code] if self.area else [],
            "age_band": [self.age_band] if self.age_band else [],
            "sex": [self.sex] if self.sex else [],
        }
        for key, value in changes.items():
            values[key] = [] if value is None else ([value] if isinstance(value, str) else value)
        return {key: value for key, value in values.items() if value}

    def query_string(self, **changes) -> str:
        return urlencode(self.params(**changes), doseq=True)


def categories_of(engine: Engine, sources: tuple[str, ...]) -> list[str]:
    """The categories the chosen sources use, for the filter's choices."""

    def compute():
        events = filtered_events(engine, Filters(sources=sources), ["category"])
        table = engine.run(events.select("category").distinct().order_by("category"))
        return [c for c in table["category"].to_list() if c]

    return engine.cached(("categories", sources), compute)
