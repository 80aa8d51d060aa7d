"""Which sources a command's kind covers, and picking the right one for a file.

A kind (`police`, `force-crime`, `istv`, `premises`, `places`) covers one or more sources;
when it covers several, a file goes to the one whose header it carries (police.uk street,
outcomes and stop-and-search files are told apart this way, whatever their names).
"""

from __future__ import annotations

from pathlib import Path

from observatory.sources import police_uk
from observatory.sources.base import Source
from observatory.sources.csvfile import UnusableFile

KINDS: dict[str, list[type[Source]]] = {
    "police": [type(s) for s in police_uk.SOURCES],
}


def register(kind: str, *sources: type[Source]) -> None:
    KINDS.setdefault(kind, []).extend(sources)


def source_for(kind: str, path: Path, header: list[str], options: dict | None = None) -> Source:
    """The source of `kind` whose columns all appear in `header` (case-insensitively).

    Sources that take options (an ISTV mapping file) are built with them."""
    candidates = KINDS.get(kind)
    if not candidates:
        raise ValueError(f"unknown kind of source: {kind}")
    present = {name.strip().lower() for name in header}
    for candidate in candidates:
        source = candidate.with_options(options or {})
        required = source.required_columns or set(source.header)
        if source.accepts_any_header or {c.lower() for c in required} <= present:
            return source
    if len(candidates) == 1:
        return candidates[0].with_options(options or {})  # its own check names what is missing
    names = ", ".join(c.name for c in candidates)
    raise UnusableFile(path, f"has a header that is none of the {kind} formats I know ({names})")


from observatory.sources import force_crime, istv, places, premises  # noqa: E402, F401  (they register themselves)
