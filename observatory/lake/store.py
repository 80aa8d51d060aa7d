"""The lake: canonical tables as Parquet files under `<data dir>/lake/`, changed atomically.

A table is a set of *slices*, each the unit that an import adds or replaces (for police.uk
street crime, one force's month). A slice is one or more Parquet files under
`<table>/month=YYYY-MM/`. What the lake holds is exactly what `manifest.json` lists:

- An import writes its new Parquet files under fresh names that nothing refers to yet,
  then replaces `manifest.json` in one `os.replace`. Killed before that, the lake is as it
  was (the unreferenced files are swept up later); killed after, the import is complete.
- The manifest also keeps the log of imports (file hash, counts, who, when), so the log
  and the data can never disagree. The web app mirrors that log into its database.
- Writers take an exclusive lock (`lake/.lock`) for the whole import, because deciding
  what is a duplicate needs the lake to stand still. Readers take no lock: they read the
  manifest once and query the files it lists.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

MANIFEST = "manifest.json"
FORMAT = 1
# Files nobody refers to are deleted only when older than this, so that a reader that
# read the manifest just before a replacement can still finish its query.
SWEEP_GRACE_SECONDS = 15 * 60


def _empty_manifest() -> dict:
    return {"format": FORMAT, "tables": {}, "imports": []}


class Lake:
    """The lake under `root` (normally `<data dir>/lake`)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> Lake:
        return cls(Path(data_dir) / "lake")

    # --- reading --------------------------------------------------------------------

    def manifest(self) -> dict:
        try:
            return json.loads((self.root / MANIFEST).read_text())
        except FileNotFoundError:
            return _empty_manifest()

    def slices(self, table: str) -> dict[str, dict]:
        return self.manifest()["tables"].get(table, {})

    def files(self, table: str, manifest: dict | None = None) -> list[Path]:
        """The Parquet files that make up `table` now, in a stable order."""
        slices = (manifest or self.manifest())["tables"].get(table, {})
        return [self.root / f for key in sorted(slices) for f in slices[key]["files"]]

    def imports(self) -> list[dict]:
        return self.manifest()["imports"]

    # --- writing --------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, who: str) -> Iterator[Transaction]:
        """Hold the write lock; the changes count only if `commit()` is called."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._sweep()
                yield Transaction(self, who)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _sweep(self) -> None:
        """Delete old files that the manifest does not list (left by replaced slices or by
        killed imports)."""
        manifest = self.manifest()
        keep = {
            self.root / f
            for slices in manifest["tables"].values()
            for entry in slices.values()
            for f in entry["files"]
        }
        keep |= {
            self.root / entry["rejections"]
            for entry in manifest["imports"]
            if entry.get("rejections")
        }
        cutoff = time.time() - SWEEP_GRACE_SECONDS
        for path in self.root.rglob("*"):
            if (
                path.is_file()
                and path.suffix in (".parquet", ".csv", ".tmp")
                and path not in keep
                and path.stat().st_mtime < cutoff
            ):
                path.unlink(missing_ok=True)


class Transaction:
    """Changes to the lake made by one import, invisible until `commit()`."""

    def __init__(self, lake: Lake, who: str):
        self.lake = lake
        self.who = who
        self.id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.manifest = lake.manifest()
        self._changed = False

    def new_path(self, relative: str) -> Path:
        """A fresh path for a file that will belong to this import (its folder created)."""
        stem, dot, suffix = relative.rpartition(".")
        path = self.lake.root / f"{stem}.{self.id}{dot}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def relative(self, path: Path) -> str:
        return str(Path(path).relative_to(self.lake.root))

    def slice(self, table: str, key: str) -> dict | None:
        return self.manifest["tables"].get(table, {}).get(key)

    def put_slice(self, table: str, key: str, files: list[Path], **details) -> dict | None:
        """Make `files` the content of slice `key` of `table`; return what it replaces."""
        slices = self.manifest["tables"].setdefault(table, {})
        previous = slices.get(key)
        slices[key] = {
            "files": [self.relative(f) for f in files],
            "import_id": self.id,
            **details,
        }
        self._changed = True
        return previous

    def record_import(self, entry: dict) -> None:
        self.manifest["imports"].append({"id": self.id, "who": self.who, **entry})
        self._changed = True

    def commit(self) -> None:
        """Publish every change at once: write the new manifest beside the old, flush it
        to disk, then rename it over the old one."""
        if not self._changed:
            return
        target = self.lake.root / MANIFEST
        temporary = target.with_suffix(".json.tmp")
        with open(temporary, "w") as handle:
            json.dump(self.manifest, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        directory = os.open(self.lake.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
