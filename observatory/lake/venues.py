"""Which licensed premises an ED assault happened at: matching the lake's ED location
descriptions to its licensing register, and remembering what analysts decide.

The table `premises_matches` (one slice, `all`, no month) has one row per *location*: a
department and a normalised description (`location_key` = `<site>|<normalised text>`,
see observatory.sources.matching.normalise), so "o/s the Red Lion" and "RED LION PUB"
typed at one department are one location, decided once. The same text typed at another
department is another location, because "the Crown" near one hospital is not the Crown
near another. Descriptions of attendances coded home, school or transport are not
matched. Columns: `location_key`, `site_code`, `location_text` (the most frequent
description as stored, already redacted), `attendances`, `licence_number`, `score`,
`status` (auto, review, none, confirmed, rejected), `candidates` (licence numbers offered
for review), `decided_by`, `decided_at`.

The table `premises_location_texts` lists each distinct description as stored in the ED
table (`site_code`, `assault_location_description`) with its `location_key`, so that any
engine can link an attendance to its location without Python's normalisation.

- `match_new_descriptions(lake, who)` adds the locations not yet in the table and matches
  again every location no person has decided (so a new register or more attendances can
  settle them); a location an analyst confirmed or rejected keeps that decision for all
  later imports. Run it after an ISTV or a premises import.
- `review_queue(lake)` lists the locations waiting for an analyst, most attendances first.
- `decide(lake, location_key, licence_number, who)` records an analyst's decision.

Every change is one lake transaction: the table is rewritten whole (it has one row per
distinct location, a few thousand) and published with the manifest, like an import.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
import polars as pl

from observatory.lake.store import Lake, Transaction
from observatory.sources.matching import AUTO, NONE, REVIEW, PremisesIndex, normalise

TABLE = "premises_matches"
# Each distinct description as stored in the ED table, with its location's key: how the
# analysis links an attendance to its location's decided premises, on any engine.
TEXTS_TABLE = "premises_location_texts"
TEXTS_SCHEMA = {
    "site_code": pl.String,
    "assault_location_description": pl.String,
    "location_key": pl.String,
}
SLICE = "all"
CONFIRMED, REJECTED = "confirmed", "rejected"
DECIDED = (CONFIRMED, REJECTED)
# Location types whose descriptions are never matched: home, school or college, transport.
NOT_AT_PREMISES = ("01", "04", "06")
SCHEMA = {
    "location_key": pl.String,
    "site_code": pl.String,
    "location_text": pl.String,
    "attendances": pl.Int64,
    "licence_number": pl.String,
    "score": pl.Float64,
    "status": pl.String,
    "candidates": pl.List(pl.String),
    "decided_by": pl.String,
    "decided_at": pl.String,
}


def location_key(site_code: str, description: str | None) -> str:
    return f"{site_code}|{normalise(description)}"


def read_matches(lake: Lake, manifest: dict | None = None) -> pl.DataFrame:
    files = lake.files(TABLE, manifest)
    if not files:
        return pl.DataFrame(schema=SCHEMA)
    return pl.read_parquet(files).select(list(SCHEMA)).cast(SCHEMA)


def _locations(lake: Lake, manifest: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per location in the ED table (key, site, most frequent text, attendances),
    and one row per distinct description as stored with its location's key."""
    files = lake.files("istv", manifest)
    schema = {"location_key": pl.String, "site_code": pl.String, "location_text": pl.String}
    if not files:
        return (
            pl.DataFrame(schema={**schema, "attendances": pl.Int64}),
            pl.DataFrame(schema=TEXTS_SCHEMA),
        )
    texts = (
        pl.scan_parquet(files)
        .filter(~pl.col("assault_location_code").is_in(NOT_AT_PREMISES))
        .group_by("site_code", "assault_location_description")
        .agg(pl.len().alias("n"))
        .collect()
    )
    distinct = texts["assault_location_description"].unique()
    keys = {text: normalise(text) for text in distinct.to_list()}
    texts = texts.with_columns(
        location_key=pl.format(
            "{}|{}",
            pl.col("site_code"),
            pl.col("assault_location_description").replace_strict(
                keys, default="", return_dtype=pl.String
            ),
        )
    )
    texts = texts.filter(~pl.col("location_key").str.ends_with("|"))  # blank or generic
    locations = (
        texts.sort(["n", "assault_location_description"], descending=[True, False])
        .group_by("location_key", maintain_order=True)
        .agg(
            pl.col("site_code").first(),
            pl.col("assault_location_description").first().alias("location_text"),
            pl.col("n").sum().cast(pl.Int64).alias("attendances"),
        )
    )
    return locations, texts.select(list(TEXTS_SCHEMA)).sort(list(TEXTS_SCHEMA))


def _premises(lake: Lake, manifest: dict) -> pl.DataFrame:
    files = lake.files("premises", manifest)
    columns = ["licence_number", "premises_name", "address", "easting", "northing"]
    if not files:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    return pl.read_parquet(files, columns=columns)


def _index(premises: pl.DataFrame) -> PremisesIndex:
    points = [
        None if e is None or n is None else (float(e), float(n))
        for e, n in zip(premises["easting"], premises["northing"], strict=True)
    ]
    return PremisesIndex(
        premises["licence_number"].to_list(),
        premises["premises_name"].to_list(),
        premises["address"].to_list(),
        points,
    )


def _catchments(
    index: PremisesIndex, located: list[tuple[str, str]]
) -> dict[str, tuple[float, float]]:
    """Each department's catchment centre: the median point of the premises its
    attendances are known to have happened at (auto-matched to a one-of-a-kind name, or
    confirmed by an analyst)."""
    point_of = dict(zip(index.licences, index.points, strict=True))
    by_site = defaultdict(list)
    for site, licence in located:
        point = point_of.get(licence)
        if point is not None:
            by_site[site].append(point)
    return {site: tuple(np.median(np.array(p), axis=0)) for site, p in by_site.items()}


def match_new_descriptions(lake: Lake, who: str) -> dict:
    """Match every location no analyst has decided (see the module docstring); return the
    number of locations by status, and `new`: how many were not in the table before."""
    with lake.transaction(who) as tx:
        locations, texts = _locations(lake, tx.manifest)
        existing = read_matches(lake, tx.manifest)
        decided = existing.filter(pl.col("status").is_in(DECIDED))
        todo = locations.join(decided.select("location_key"), on="location_key", how="anti")
        index = _index(_premises(lake, tx.manifest))
        keys = [key.split("|", 1)[1] for key in todo["location_key"]]
        sites = todo["site_code"].to_list()
        matches = index.match(keys, sites)
        located = [
            (site, m.licence_number)
            for site, m in zip(sites, matches, strict=True)
            if m.status == AUTO and len(m.candidates) == 1
        ]
        located += (
            decided.filter(pl.col("status") == CONFIRMED)
            .select("site_code", "licence_number")
            .rows()
        )
        matches = index.match(keys, sites, _catchments(index, located))
        matched = todo.with_columns(
            licence_number=pl.Series([m.licence_number for m in matches], dtype=pl.String),
            score=pl.Series([m.score for m in matches], dtype=pl.Float64),
            status=pl.Series([m.status for m in matches], dtype=pl.String),
            candidates=pl.Series(
                [[c for c, _ in m.candidates] for m in matches], dtype=pl.List(pl.String)
            ),
            decided_by=pl.lit(None, dtype=pl.String),
            decided_at=pl.lit(None, dtype=pl.String),
        )
        new = locations.join(existing.select("location_key"), on="location_key", how="anti")
        decided = (
            decided.drop("attendances")
            .join(locations.select("location_key", "attendances"), on="location_key", how="left")
            .with_columns(pl.col("attendances").fill_null(0))
        )
        table = pl.concat([matched.select(list(SCHEMA)), decided.select(list(SCHEMA))])
        _write(tx, table)
        _write_texts(tx, texts)
        tx.commit()
    by_status = dict(table.group_by("status").len().iter_rows())
    return {s: by_status.get(s, 0) for s in (AUTO, REVIEW, NONE, *DECIDED)} | {"new": new.height}


def _write(tx: Transaction, table: pl.DataFrame) -> None:
    path = tx.new_path(f"{TABLE}/{SLICE}.parquet")
    table.sort("location_key").write_parquet(path, compression="zstd")
    tx.put_slice(TABLE, SLICE, [path], month=None, rows=len(table))


def _write_texts(tx: Transaction, texts: pl.DataFrame) -> None:
    path = tx.new_path(f"{TEXTS_TABLE}/{SLICE}.parquet")
    texts.write_parquet(path, compression="zstd")
    tx.put_slice(TEXTS_TABLE, SLICE, [path], month=None, rows=len(texts))


def review_queue(lake: Lake, limit: int = 50) -> list[dict]:
    """Locations waiting for an analyst, most attendances first: each with the premises
    it might be (all of them when several share the name), best first."""
    manifest = lake.manifest()
    waiting = (
        read_matches(lake, manifest)
        .filter(pl.col("status") == REVIEW)
        .sort(["attendances", "location_key"], descending=[True, False])
        .head(limit)
    )
    premises = {
        row["licence_number"]: row for row in _premises(lake, manifest).iter_rows(named=True)
    }
    queue = []
    for row in waiting.iter_rows(named=True):
        offered = list(row["candidates"] or [])
        if row["licence_number"] and row["licence_number"] in offered:  # the likeliest first
            offered.remove(row["licence_number"])
            offered.insert(0, row["licence_number"])
        queue.append(
            {
                "location_key": row["location_key"],
                "location_text": row["location_text"],
                "site_code": row["site_code"],
                "attendances": int(row["attendances"]),
                "candidates": [
                    {
                        "licence_number": licence,
                        "premises_name": premises[licence]["premises_name"],
                        "address": premises[licence]["address"],
                        "score": row["score"],
                    }
                    for licence in offered
                    if licence in premises
                ],
            }
        )
    return queue


def decide(lake: Lake, location_key: str, licence_number: str | None, who: str) -> None:
    """Record an analyst's decision on a location: the premises it is (`confirmed`), or
    none (`rejected`). Later imports keep it. Raises KeyError for an unknown location
    or licence number."""
    with lake.transaction(who) as tx:
        table = read_matches(lake, tx.manifest)
        if not table.filter(pl.col("location_key") == location_key).height:
            raise KeyError(f"no location {location_key!r} to decide")
        if licence_number is not None:
            known = _premises(lake, tx.manifest)["licence_number"]
            if licence_number not in known:
                raise KeyError(f"no premises with licence number {licence_number!r}")
        this = pl.col("location_key") == location_key
        table = table.with_columns(
            status=pl.when(this)
            .then(pl.lit(REJECTED if licence_number is None else CONFIRMED))
            .otherwise(pl.col("status")),
            licence_number=pl.when(this)
            .then(pl.lit(licence_number, dtype=pl.String))
            .otherwise(pl.col("licence_number")),
            decided_by=pl.when(this).then(pl.lit(who)).otherwise(pl.col("decided_by")),
            decided_at=pl.when(this)
            .then(pl.lit(time.strftime("%Y-%m-%dT%H:%M:%S%z")))
            .otherwise(pl.col("decided_at")),
        )
        _write(tx, table)
        tx.commit()
