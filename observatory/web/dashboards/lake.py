"""The analysis engine the web app queries: one per serving thread and lake version.

An `Engine` reads one snapshot of the lake's manifest and remembers what it works out
(tables, populations), so each of the app's threads keeps one and reuses it for every
request until an import publishes a new manifest; then that thread opens a new one. The
manifest is replaced whole on every commit (a new file renamed over the old), so its inode,
size and modification time identify the version. One engine per thread because a DuckDB
connection serves one query at a time.
"""

from __future__ import annotations

import threading

from django.conf import settings

from observatory.analysis.engine import Engine
from observatory.lake.store import MANIFEST, Lake

_local = threading.local()


def current_lake() -> Lake:
    return Lake.in_data_dir(settings.CONFIG.data_dir)


def _version(lake: Lake) -> tuple:
    try:
        stat = (lake.root / MANIFEST).stat()
    except FileNotFoundError:
        return (str(lake.root), None)
    return (str(lake.root), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def current_engine() -> Engine:
    """This thread's engine over the lake as it stands now."""
    lake = current_lake()
    version = _version(lake)
    if getattr(_local, "version", None) != version:
        _local.engine = Engine.for_lake(lake)
        _local.version = version
    return _local.engine
