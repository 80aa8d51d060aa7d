"""Running one file through a source into the lake, accounting for every row.

`import_file(path, source, lake, context)` returns a summary whose counts always satisfy
`read == accepted + rejected + duplicates`:

- rejected: the source's checks failed, the row has the wrong number of fields, it lies
  outside the region, or it reuses a record key with different details. Each rejected row
  is written to the rejections file with its row number, a reason, and only the columns
  the source calls safe (never an identifier or free text);
- duplicates: an exact copy of an earlier row in the file, a record already in another
  slice of the lake, or every row of a file that the lake holds already (same bytes);
- accepted: the rest, written to the lake.

A file's rows go to one or more slices (see `observatory.lake.store`). A slice the lake
already holds from another file is replaced by this file's version, and the summary says
so (`replaced`): that is how a corrected re-issue of a month comes in.

Memory stays bounded: rows stream through in batches straight into Parquet writers; what
is remembered per row for deduplication is three integers.
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from observatory.lake.background import InOrder, in_background, read_ahead
from observatory.lake.keyindex import KeyIndex
from observatory.lake.placement import Placer
from observatory.lake.store import Lake, Transaction
from observatory.sources.base import REASON, Context, Source
from observatory.sources.csvfile import ROW

HELPER_PREFIX = "_"
# Helper columns stored with the rows: the record key's hash and the slice, for deduplication.
KEPT_HELPERS = ("_key_hash", "_slice")


@dataclass
class ImportSummary:
    file: str
    source: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    rejections_file: str | None = None
    seconds: float = 0.0
    table: str = ""
    import_id: str | None = None
    file_hash: str = ""
    slices: list[str] = field(default_factory=list)
    replaced: list[dict] = field(default_factory=list)
    placement: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def who_is_importing() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class _Duplicates:
    """Tells, for each good row with a record key, whether it is an exact copy of an earlier
    row (a duplicate), reuses an earlier row's key with other details (rejected), or is a
    record the lake already holds in another slice (a duplicate; a record in the slice that
    this file replaces is not).

    Keys are compared by a 64-bit hash: two different keys collide with a chance below one
    in 10^5 even when ten million records meet ten million others."""

    def __init__(self, existing: KeyIndex, slice_codes: dict[str, int], key_label: str):
        self.seen = KeyIndex()  # key hash -> (content hash, first row) in this file
        self.existing = existing  # key hash -> (slice code, 0) in the lake
        self.slice_codes = slice_codes
        self.conflict_message = f"same {key_label} as row {{}} but different details"

    def mark(self, frame: pl.DataFrame, content: list[str]) -> pl.DataFrame:
        """Add `_duplicate` (bool) and fill `_reason` for conflicting keys, for good rows."""
        frame = frame.with_columns(
            _key_hash=pl.when(pl.col("_key").is_not_null()).then(pl.col("_key").hash(7)),
            _content_hash=pl.struct(content).hash(11),
        )
        good_keyed = (
            frame.select(pl.col("_key_hash").is_not_null() & pl.col(REASON).is_null())
            .to_series()
            .to_numpy()
        )
        index = np.flatnonzero(good_keyed)
        duplicate = np.zeros(len(frame), dtype=bool)
        conflict_row = np.zeros(len(frame), dtype=np.int64)
        if len(index):
            keys = frame["_key_hash"].to_numpy()[index].astype(np.uint64)
            contents = frame["_content_hash"].to_numpy()[index].astype(np.int64, copy=False)
            rows = frame[ROW].to_numpy()[index]
            # The first row of each key: from earlier batches, else earlier in this batch.
            found, first_content, first_row = self.seen.find(keys)
            _, first_at, inverse = np.unique(keys, return_index=True, return_inverse=True)
            first_in_batch = np.zeros(len(keys), dtype=bool)
            first_in_batch[first_at] = True
            first_content = np.where(found, first_content, contents[first_at][inverse])
            first_row = np.where(found, first_row, rows[first_at][inverse])
            repeat = found | ~first_in_batch
            same = first_content == contents
            duplicate[index] = repeat & same
            conflict_row[index] = np.where(repeat & ~same, first_row, 0)
            new = first_in_batch & ~found
            self.seen.add(keys[new], contents[new], rows[new])
            # Records the lake holds in another slice.
            in_lake, slice_code, _ = self.existing.find(keys)
            own = (
                frame["_slice"]
                .replace_strict(self.slice_codes, default=-1, return_dtype=pl.Int64)
                .to_numpy()[index]
            )
            elsewhere = in_lake & (slice_code != own) & ~repeat
            duplicate[index] |= elsewhere
        return frame.with_columns(
            pl.Series("_duplicate", duplicate),
            _reason=pl.when(pl.Series(conflict_row) > 0)
            .then(pl.format(self.conflict_message, pl.Series(conflict_row)))
            .otherwise(pl.col(REASON)),
        )


def _existing_keys(tx: Transaction, table: str) -> tuple[KeyIndex, dict[str, int]]:
    """The lake's record keys of `table`, with a code for the slice holding each."""
    index = KeyIndex()
    slices = sorted(tx.manifest["tables"].get(table, {}))
    codes = {name: code for code, name in enumerate(slices)}
    files = tx.lake.files(table, tx.manifest)
    if files:
        keys = (
            pl.scan_parquet(files)
            .select(
                "_key_hash",
                pl.col("_slice").replace_strict(codes, default=-1, return_dtype=pl.Int64),
            )
            .filter(pl.col("_key_hash").is_not_null())
            .unique("_key_hash")
            .collect()
        )
        hashes = keys["_key_hash"].to_numpy().astype(np.uint64)
        index.add(hashes, keys["_slice"].to_numpy(), np.zeros(len(hashes), dtype=np.int64))
    return index, codes


class _SliceWriters:
    """One streaming Parquet writer per slice, each to a fresh file of the transaction.

    Writing happens on a helper thread (see `background`), in order, while the main thread
    works on the next batch."""

    def __init__(self, tx: Transaction, table: str):
        self.tx, self.table = tx, table
        self.writers: dict[str, tuple[pq.ParquetWriter, Path, str]] = {}
        self.rows: dict[str, int] = {}
        self.behind = InOrder("observatory-parquet")

    def write(self, frame: pl.DataFrame) -> None:
        for (slice_key, month), part in frame.group_by("_slice", "month", maintain_order=True):
            path = None
            if slice_key not in self.rows:
                name = slice_key.replace("/", "_")
                folder = self.table if month is None else f"{self.table}/month={month}"
                path = self.tx.new_path(f"{folder}/{name}.parquet")
                self.rows[slice_key] = 0
            self.rows[slice_key] += len(part)
            self.behind.submit(lambda k=slice_key, p=path, m=month, t=part: self._write(k, p, m, t))

    def _write(self, slice_key: str, new_path: Path | None, month, part: pl.DataFrame) -> None:
        """On the helper thread: append `part` to its slice's file, opening it if new."""
        table = part.to_arrow()
        if new_path is not None:
            # lz4: nearly as small as zstd here, and twice as fast to write.
            writer = pq.ParquetWriter(new_path, table.schema, compression="lz4")
            self.writers[slice_key] = (writer, new_path, month)
        writer = self.writers[slice_key][0]
        writer.write_table(table.cast(writer.schema))

    def close(self) -> dict[str, tuple[Path, str, int]]:
        self.behind.wait()
        done = {}
        for key, (writer, path, month) in self.writers.items():
            writer.close()
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
            done[key] = (path, month, self.rows[key])
        return done

    def discard(self) -> None:
        with contextlib.suppress(BaseException):  # the import is failing already
            self.behind.wait()
        for writer, path, _ in self.writers.values():
            writer.close()
            path.unlink(missing_ok=True)


Progress = Callable[[int], None]


def import_file(
    path: Path,
    source: Source,
    lake: Lake,
    context: Context,
    who: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one file (see the module docstring). Raises UnusableFile, before anything is
    written, if the file as a whole cannot be used. `progress`, if given, is called with
    the number of rows read so far after each batch."""
    started = time.perf_counter()
    path = Path(path)
    reader = source.open(path)
    summary = ImportSummary(file=str(path), source=source.name, table=source.table)
    file_hash = in_background(lambda: file_sha256(path))
    with lake.transaction(who or who_is_importing()) as tx:
        summary.import_id = tx.id
        run = _Run(source, context, tx, summary)
        writers = _SliceWriters(tx, source.table)
        try:
            for batch in read_ahead(reader.batches()):
                writers.write(run.batch(batch))
                if progress is not None:
                    progress(reader.rows_read)
            written = writers.close()
        except BaseException:
            writers.discard()
            raise
        summary.read = reader.rows_read
        summary.file_hash = file_hash.result()
        run.reject_ragged(reader.ragged)
        _publish(tx, source, path, summary, written)
        rejected = run.rejected()
        summary.rejected = len(rejected)
        if summary.rejected:
            target = tx.new_path(f"rejections/{path.stem}.csv")
            _write_rejections(target, rejected)
            summary.rejections_file = str(target)
        if source.placement:
            summary.placement = run.placement
        summary.seconds = round(time.perf_counter() - started, 3)
        tx.record_import(
            {
                **summary.as_dict(),
                "rejections": tx.relative(target) if summary.rejected else None,
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
        )
        tx.commit()
    if summary.read != summary.accepted + summary.rejected + summary.duplicates:
        raise RuntimeError(f"row accounting failed for {path}: {summary}")  # a bug, never data
    return summary


class _Run:
    """The per-batch work of one import: check, place, find duplicates, keep rejections."""

    def __init__(self, source: Source, context: Context, tx: Transaction, summary: ImportSummary):
        self.source, self.context, self.summary = source, context, summary
        self.placer = Placer.from_lake(tx.lake) if source.placement else None
        self.duplicates = _Duplicates(*_existing_keys(tx, source.table), source.key_label)
        self.placement = {"point": 0, "code": 0, "unlocated": 0, "lsoa_disagreements": 0}
        self.canonical: list[str] | None = None
        self._rejected: list[pl.DataFrame] = []

    def batch(self, batch: pl.DataFrame) -> pl.DataFrame:
        """The rows of `batch` to store; counts duplicates and keeps the rejected rows."""
        checked = self.source.check(batch, self.context)
        if self.canonical is None:
            self.canonical = [c for c in checked.columns if not c.startswith(HELPER_PREFIX)]
        if self.placer is not None:
            checked = self.placer.place(checked)
        checked = self.duplicates.mark(checked, self.canonical)
        self.summary.duplicates += int(checked["_duplicate"].sum())
        bad = checked.filter(pl.col(REASON).is_not_null())
        # Rows are shown back as they were written, but only their safe columns.
        self._rejected.append(
            bad.select(ROW, REASON)
            .join(batch.select(ROW, *self.source.safe_columns), on=ROW, how="left")
            .rename({ROW: "row", REASON: "reason"})
        )
        good = checked.filter(pl.col(REASON).is_null() & ~pl.col("_duplicate"))
        if self.placer is not None:
            for kind, n in good.group_by("placement").len().iter_rows():
                self.placement[kind] += n
            self.placement["lsoa_disagreements"] += int(good["lsoa_disagrees"].sum())
        stored = [c for c in good.columns if not c.startswith(HELPER_PREFIX) or c in KEPT_HELPERS]
        return good.select(stored).drop("lsoa_disagrees", strict=False)

    def reject_ragged(self, ragged: list[tuple[int, str]]) -> None:
        if ragged:
            rows, reasons = zip(*ragged, strict=True)
            self._rejected.append(
                pl.DataFrame(
                    {"row": rows, "reason": reasons}, schema={"row": pl.Int64, "reason": pl.String}
                )
            )

    def rejected(self) -> pl.DataFrame:
        parts = [part for part in self._rejected if len(part)]
        return pl.concat(parts, how="diagonal").sort("row") if parts else pl.DataFrame()


def _publish(
    tx: Transaction, source: Source, path: Path, summary: ImportSummary, written: dict
) -> None:
    """Make the written slices part of the lake, unless the lake has them from this file."""
    accepted = sum(rows for _, _, rows in written.values())
    summary.slices = sorted(written)
    if written and all(
        (tx.slice(source.table, key) or {}).get("file_hash") == summary.file_hash for key in written
    ):
        for file_path, _, _ in written.values():
            file_path.unlink(missing_ok=True)
        summary.duplicates += accepted
        summary.notes.append("this file has been imported before; nothing changed")
        return
    summary.accepted = accepted
    for key, (file_path, month, rows) in written.items():
        previous = tx.put_slice(
            source.table,
            key,
            [file_path],
            month=month,
            rows=rows,
            file_hash=summary.file_hash,
            file=path.name,
        )
        if previous is not None:
            summary.replaced.append(
                {
                    "slice": key,
                    "previous_rows": previous.get("rows"),
                    "previous_file": previous.get("file"),
                }
            )
            summary.notes.append(
                f"replaced {key} ({previous.get('rows')} rows from {previous.get('file')}) "
                f"with this file's {rows} rows"
            )


def _write_rejections(target: Path, rejected: pl.DataFrame) -> None:
    with open(target, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(rejected.columns)
        writer.writerows(rejected.iter_rows())
        handle.flush()
        os.fsync(handle.fileno())
