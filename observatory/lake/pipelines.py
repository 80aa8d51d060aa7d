"""Which source reads which file, and a whole drop folder in the right order.

`import_paths(kind, paths, ...)` expands folders (recursively, `*.csv`), picks the source
for each file (police.uk files are told apart by their header) and imports them one by
one, yielding a summary per file or an `Unusable` for a file that could not be used at
all. `import_drop_folder(folder)` does the same for a whole drop in the demo region's
layout: geography first (events are placed on it), then premises (ED locations are matched
to it), then everything else. A `truth/` folder is never read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from observatory.errors import ObservatoryError
from observatory.lake.imports import ImportSummary, Progress, import_file
from observatory.lake.store import Lake
from observatory.sources import registry
from observatory.sources.base import Context, Source
from observatory.sources.csvfile import UnusableFile, read_header

NEVER_IMPORTED = "truth"


@dataclass
class Unusable:
    """A file that could not be imported at all; nothing of it was written."""

    file: str
    error: str

    def as_dict(self) -> dict:
        return {"file": self.file, "error": self.error}


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and the CSV files inside folders named, in a stable order."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*.csv"))
                if NEVER_IMPORTED not in p.relative_to(path).parts
            )
        else:
            found.append(path)
    return found


def _source_for(kind: str, path: Path, options: dict) -> Source:
    return registry.source_for(kind, path, read_header(path), options)


def import_paths(
    kind: str,
    paths: list[Path],
    lake: Lake,
    context: Context,
    who: str | None = None,
    progress: Progress | None = None,
) -> Iterator[ImportSummary | Unusable]:
    files = expand(paths)
    if not files:
        raise ObservatoryError(f"no files to import in {', '.join(map(str, paths))}")
    for path in files:
        try:
            source = _source_for(kind, path, context.options)
            yield import_file(path, source, lake, context, who, progress)
        except UnusableFile as problem:
            yield Unusable(str(path), problem.problem)


def import_geography(
    areas: Path,
    population: Path | None,
    deprivation: Path | None,
    lake: Lake,
    context: Context,
    lookup: Path | None = None,
    who: str | None = None,
) -> Iterator[ImportSummary | Unusable]:
    from observatory.sources.geography import Deprivation, Population, SmallAreas

    for path, source in (
        (areas, SmallAreas(lookup)),
        (population, Population()),
        (deprivation, Deprivation()),
    ):
        if path is None:
            continue
        try:
            yield import_file(path, source, lake, context, who)
        except UnusableFile as problem:
            yield Unusable(str(path), problem.problem)
            if source.table == "small_areas":
                return  # nothing else can be placed without areas


# The demo region's layout: (kind, relative folder or file), in import order.
DROP_LAYOUT = (
    ("police", "police"),
    ("force-crime", "police/force_extract"),
    ("istv", "health/istv"),
    ("places", "places"),
)


def import_drop_folder(
    folder: Path, lake: Lake, context: Context, who: str | None = None
) -> Iterator[ImportSummary | Unusable]:
    folder = Path(folder)
    geography = folder / "geography"
    if not (geography / "small_areas.geojson").exists():
        raise ObservatoryError(f"{folder} has no geography/small_areas.geojson to start from")
    yield from import_geography(
        geography / "small_areas.geojson",
        _optional(geography / "population.csv"),
        _optional(geography / "deprivation.csv"),
        lake,
        context,
        who=who,
    )
    premises = folder / "premises" / "licensed_premises.csv"
    if premises.exists():
        yield from import_paths("premises", [premises], lake, context, who)
    for kind, relative in DROP_LAYOUT:
        target = folder / relative
        if not target.exists():
            continue
        files = expand([target])
        if kind == "police":  # the force extract has its own folder and kind
            files = [f for f in files if "force_extract" not in f.parts]
        if files:
            yield from import_paths(kind, files, lake, context, who)


# Kinds after whose import ED locations are matched to premises again.
MATCHED_KINDS = ("istv", "premises", "all")


def match_venues(lake: Lake, who: str | None = None) -> dict:
    """Match ED location descriptions to licensed premises (see lake/venues.py); counts by
    status. Run once after a batch of ISTV or premises imports, not per file."""
    from observatory.lake import venues

    if not lake.files("istv") or not lake.files("premises"):
        return {}
    return venues.match_new_descriptions(lake, who or "import")


def _optional(path: Path) -> Path | None:
    return path if path.exists() else None
