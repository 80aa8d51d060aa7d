"""The embedded query engine: DuckDB over the lake's Parquet files.

`connect(lake)` returns an in-memory DuckDB connection with one view per lake table,
over exactly the files the manifest lists at that moment (so a query never sees half an
import). The helper columns used for deduplication are hidden. The analysis engine of
issue 5 builds on this; Spark reads the same files from the same manifest.
"""

from __future__ import annotations

import duckdb

from observatory.lake.store import Lake

HIDDEN_COLUMNS = ("_key_hash",)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(lake: Lake) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    manifest = lake.manifest()
    for table in sorted(manifest["tables"]):
        files = lake.files(table, manifest)
        if not files:
            continue
        listed = ", ".join(_quoted(str(f)) for f in files)
        connection.execute(
            f'CREATE VIEW "{table}" AS SELECT * EXCLUDE ({", ".join(HIDDEN_COLUMNS)}) '  # noqa: S608 - names from our manifest
            f"FROM read_parquet([{listed}], union_by_name = true)"
        )
    return connection
