"""What the Data pages do, apart from the HTTP: saving uploads, mirroring the lake's import
log into the database, and reading a rejections file a page at a time.

Paths are built here and only here. An uploaded file's name is reduced to a safe base name
before it touches the disk, and a rejections file is found from the import's id through the
manifest, never from anything the browser sends, and must lie inside the lake.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from observatory.lake.store import Lake
from observatory.sources.base import Context
from observatory.web.data.models import ImportRecord

MAX_NAME_LENGTH = 120
# The manifest entry's fields that ImportRecord keeps, and what stands in for a missing one.
MIRRORED_FIELDS = {
    **dict.fromkeys(["who", "file", "source", "table", "rejections", "file_hash"], ""),
    **dict.fromkeys(["read", "accepted", "rejected", "duplicates", "seconds"], 0),
    **dict.fromkeys(["notes", "replaced", "slices"], ()),
}


def data_dir() -> Path:
    return settings.CONFIG.data_dir


def lake() -> Lake:
    return Lake.in_data_dir(data_dir())


def context(mapping: Path | None = None) -> Context:
    return Context(settings.CONFIG.pseudonym_key, {"mapping": mapping})


# --- uploads ------------------------------------------------------------------------


def upload_folder(job_id: int) -> Path:
    return data_dir() / "uploads" / str(job_id)


def safe_file_name(name: str, default: str = "upload.csv") -> str:
    """A base name with no folder, no leading dot and only letters, digits, -_. left."""
    base = Path(str(name).replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base).lstrip(".")
    except SuspiciousFileOperation:
        return default
    if not cleaned:
        return default
    if len(cleaned) > MAX_NAME_LENGTH:  # shorten the stem, keep the extension
        stem, dot, suffix = cleaned.rpartition(".")
        keep = MAX_NAME_LENGTH - len(suffix) - 1
        cleaned = f"{stem[:keep]}.{suffix}" if dot and keep > 0 else cleaned[:MAX_NAME_LENGTH]
    return cleaned


def save_upload(uploaded, folder: Path) -> Path:
    """Write an uploaded file (Django's UploadedFile) under `folder`, streaming it."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_file_name(uploaded.name)
    with open(target, "wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return target


def remove_upload(job_id: int) -> None:
    shutil.rmtree(upload_folder(job_id), ignore_errors=True)


# --- the import log -----------------------------------------------------------------


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _record(sequence: int, entry: dict) -> ImportRecord:
    values = {name: entry.get(name) or empty for name, empty in MIRRORED_FIELDS.items()}
    return ImportRecord(id=entry["id"], sequence=sequence, when=_when(entry.get("when")), **values)


def sync_import_history() -> int:
    """Make ImportRecord mirror the lake manifest's `imports` list; return how many were new.

    Manifest entries are written once and never changed, so an entry already mirrored is
    left alone and only new ones are inserted (conflicts ignored, so two requests syncing at
    once do no harm). Records whose entry left the manifest (a lake rebuilt from scratch)
    are removed, so the history never shows an import the lake does not hold.
    """
    entries = {
        entry["id"]: (n, entry) for n, entry in enumerate(lake().imports()) if entry.get("id")
    }
    known = set(ImportRecord.objects.values_list("id", flat=True))
    new = [_record(n, entry) for key, (n, entry) in entries.items() if key not in known]
    ImportRecord.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    gone = known - entries.keys()
    if gone:
        ImportRecord.objects.filter(id__in=gone).delete()
    return len(new)


# --- rejections files ----------------------------------------------------------------


def rejections_path(record: ImportRecord) -> Path | None:
    """The record's rejections file, or None when it has none or it is not in the lake."""
    if not record.rejections:
        return None
    root = lake().root.resolve()
    path = (root / record.rejections).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


class RejectedRows:
    """The rows of a rejections file as a sequence Django's Paginator can page through,
    reading only the page asked for (a file can hold millions of rows)."""

    def __init__(self, path: Path, count: int):
        self.path = path
        self.count = count
        with open(path, newline="") as handle:
            self.columns = next(csv.reader(handle), [])

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: slice) -> list[list[str]]:
        if not isinstance(index, slice):
            raise TypeError("RejectedRows supports slices only")
        with open(self.path, newline="") as handle:
            rows: Iterable[list[str]] = csv.reader(handle)
            next(rows, None)  # header
            width = len(self.columns)
            return [
                (row + [""] * width)[:width] for row in islice(rows, index.start or 0, index.stop)
            ]
