"""Venue matching: 100,000 ED location descriptions against 5,000 licensed premises, as the
demo's receptionists type them (target: under 10 s on the 2-core development machine).

Measured: what observatory.lake.venues does per run — normalise each distinct description,
group identical keys, exact lookup, then rapidfuzz `cdist` against the register's distinct
normalised names (observatory.sources.matching).

Baseline: what an analyst would write first — rapidfuzz `process.extractOne` (its default
WRatio scorer) per description against the raw premises names, with no normalisation,
grouping or exact lookup. It is timed on a sample and scaled to the full count, because
running it on all 100,000 takes minutes.
"""

from __future__ import annotations

import time

import numpy as np
from rapidfuzz import process

from benchmarks.harness import Result
from observatory.demo import text
from observatory.demo.places import PREMISES_SHARES, PREMISES_TYPES
from observatory.sources.matching import PremisesIndex, normalise

TARGET_SECONDS = 10.0
# Location types of ED assaults, roughly as in the demo region (licensed about a sixth).
LOCATION_TYPES = ("home", "street", "licensed", "school", "workplace", "transport", "other")
LOCATION_SHARES = np.array([0.30, 0.32, 0.17, 0.04, 0.06, 0.04, 0.07])


def register(rng: np.random.Generator, count: int) -> tuple[list[str], list[str]]:
    kinds = rng.choice(len(PREMISES_TYPES), size=count, p=PREMISES_SHARES)
    names = text.venue_names(rng, [PREMISES_TYPES[k] for k in kinds])
    return [f"LN/{i:06d}" for i in range(count)], names


def descriptions(rng: np.random.Generator, venues: list[str], count: int) -> list[str]:
    streets = text.street_names(rng, 2_000)
    kinds = rng.choice(len(LOCATION_TYPES), size=count, p=LOCATION_SHARES)
    venue = rng.integers(0, len(venues), size=count)
    street = rng.integers(0, len(streets), size=count)
    return [
        text.messy_location_description(
            rng, LOCATION_TYPES[k], venues[v] if LOCATION_TYPES[k] == "licensed" else None,
            streets[s],
        )
        for k, v, s in zip(kinds, venue, street, strict=True)
    ]  # fmt: skip


def match_all(licences: list[str], names: list[str], typed: list[str]) -> int:
    """Observatory's way; returns how many descriptions were matched automatically."""
    index = PremisesIndex(licences, names)
    distinct = list(dict.fromkeys(typed))
    keys = list(dict.fromkeys(normalise(t) for t in distinct))
    return sum(m.status == "auto" for m in index.match(keys))


def baseline(names: list[str], typed: list[str]) -> None:
    for description in typed:
        process.extractOne(description, names, score_cutoff=80)


def run(count: int = 100_000, premises: int = 5_000, sample: int = 200) -> list[Result]:
    rng = np.random.default_rng(17)
    licences, names = register(rng, premises)
    typed = descriptions(rng, names, count)
    started = time.perf_counter()
    automatic = match_all(licences, names, typed)
    seconds = time.perf_counter() - started
    sample = min(sample, count)
    started = time.perf_counter()
    baseline(names, typed[:sample])
    baseline_seconds = (time.perf_counter() - started) * count / sample
    distinct = len(set(typed))
    return [
        Result(
            f"venue matching, {count:,} x {premises:,}",
            seconds,
            f"extractOne each ({sample:,} timed)",
            baseline_seconds,
            note=(
                f"{distinct:,} distinct descriptions, {automatic:,} distinct keys matched"
                f" automatically; {count / seconds:,.0f} descriptions/s;"
                f" target < {TARGET_SECONDS:g} s"
            ),
            absolute_target_met=seconds < TARGET_SECONDS,
        )
    ]
