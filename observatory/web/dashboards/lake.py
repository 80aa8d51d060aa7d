"""The analysis engine the web app queries: one per serving thread and lake version.

An `Engine` reads one snapshot of the lake's manifest and remembers what it works out
(tables, populations), so each of the app's threads keeps one and reuses it for every
request until an import publishes a new manifest; then that thread opens a new one. The
manifest is replaced whole on every commit (a new file renamed over the old), so its inode,
size and modification time identify the version. One engine per thread because a DuckDB
connection serves one query at a time.

What the dashboards work out from a lake version (panels, outlines) is kept once for the
whole process, in `remembered(key, build)`: at most REMEMBERED results, most recently used
kept, all forgotten when a new lake version appears.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings

from observatory.analysis.engine import Engine
from observatory.lake.store import MANIFEST, Lake

REMEMBERED = 512  # results: a few hundred filter combinations of a handful of panels
_local = threading.local()
_memory_lock = threading.Lock()
_memory: dict = {"version": None, "results": OrderedDict()}


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


def remembered(key, build):
    """`build()`'s result for `key` and the current lake version, worked out once for all
    threads (two threads asking at once may both build it; the answer is the same)."""
    version = _version(current_lake())
    with _memory_lock:
        if _memory["version"] != version:
            _memory["version"], _memory["results"] = version, OrderedDict()
        results = _memory["results"]
        if key in results:
            results.move_to_end(key)
            return results[key]
    result = build()
    with _memory_lock:
        if _memory["version"] == version:
            results[key] = result
            while len(results) > REMEMBERED:
                results.popitem(last=False)
    return result
