"""One way to query the lake, whatever engine runs the query.

The analysis is written once, as Ibis expressions (docs/decisions/0014), and runs on:

- **DuckDB** (the default): in-process, over the Parquet files the lake's manifest lists;
- **Apache Spark** (`OBSERVATORY_ENGINE=spark`): the same files read by a Spark session,
  for deployments that outgrow one machine. A local session is started when none is given.

`Engine.for_lake(lake)` snapshots the manifest when it is made, so every query of one
engine sees the same files even while an import commits; that is also why an engine may
remember what it has worked out once (tables, populations: `cached`). A dashboard server
keeps one engine per manifest version. Helper columns of the import
(`_key_hash`, `_slice`) are hidden. Results come back as polars DataFrames.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import ibis
import polars as pl

from observatory.errors import ObservatoryError
from observatory.lake.store import Lake

HIDDEN_COLUMNS = ("_key_hash", "_slice")
ENGINES = ("duckdb", "spark")


class Engine:
    """Tables of the lake as Ibis expressions, and a way to run them."""

    def __init__(self, backend, name: str, tables: Mapping[str, str]):
        self.backend = backend
        self.name = name
        self._tables = dict(tables)  # lake table -> name inside the backend
        self._cache: dict = {}

    @classmethod
    def for_lake(cls, lake: Lake, kind: str | None = None, session=None) -> Engine:
        """The lake as its manifest stands now, on `kind` (default: OBSERVATORY_ENGINE or
        duckdb)."""
        manifest = lake.manifest()
        files = {table: lake.files(table, manifest) for table in manifest["tables"]}
        return cls.over_files(files, kind, session)

    @classmethod
    def over_files(
        cls, tables: Mapping[str, Sequence[Path]], kind: str | None = None, session=None
    ) -> Engine:
        kind = kind or os.environ.get("OBSERVATORY_ENGINE") or "duckdb"
        present = {name: [str(f) for f in files] for name, files in tables.items() if files}
        if kind == "duckdb":
            return cls._duckdb(present)
        if kind == "spark":
            return cls._spark(present, session)
        raise ObservatoryError(f"unknown engine {kind!r}: choose one of {', '.join(ENGINES)}")

    @classmethod
    def _duckdb(cls, tables: dict[str, list[str]]) -> Engine:
        backend = ibis.duckdb.connect()
        # Lake files are never rewritten (each import writes new ones), so their Parquet
        # metadata can be kept between queries.
        backend.raw_sql("SET parquet_metadata_cache = true")
        for name, files in tables.items():
            backend.read_parquet(files, table_name=name, union_by_name=True)
        return cls(backend, "duckdb", {name: name for name in tables})

    @classmethod
    def _spark(cls, tables: dict[str, list[str]], session=None) -> Engine:
        session = session or spark_session()
        # Temporary views are per session: a suffix keeps two engines on one session apart.
        suffix = uuid.uuid4().hex[:8]
        names = {}
        for name, files in tables.items():
            frame = session.read.option("mergeSchema", "true").parquet(*files)
            names[name] = f"{name}_{suffix}"
            frame.createOrReplaceTempView(names[name])
        return cls(ibis.pyspark.connect(session), "spark", names)

    def has(self, table: str) -> bool:
        return table in self._tables

    def table(self, table: str) -> ibis.Table:
        """The lake table `table` (ObservatoryError if the lake has none of it yet)."""
        if table not in self._tables:
            raise ObservatoryError(f"the lake has no {table} data yet: import it first")

        def load() -> ibis.Table:
            expr = self.backend.table(self._tables[table])
            hidden = [c for c in HIDDEN_COLUMNS if c in expr.columns]
            return expr.drop(*hidden) if hidden else expr

        return self.cached(("table", table), load)

    def cached(self, key, compute):
        """`compute()`, worked out once per engine for `key` (the engine's files never
        change, so neither does anything computed from them alone)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def run(self, expr: ibis.Expr) -> pl.DataFrame:
        """Execute `expr` on this engine; a table comes back as a polars DataFrame."""
        return pl.from_arrow(self.backend.to_pyarrow(expr))

    def memtable(self, frame: pl.DataFrame) -> ibis.Table:
        """A small local table (a lookup, a mapping) usable in this engine's queries."""
        return ibis.memtable(frame.to_arrow())


def spark_session():
    """A local Spark session sized for one machine (or the one already running)."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(os.environ.get("OBSERVATORY_SPARK_MASTER", "local[2]"))
        .appName("observatory")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session
