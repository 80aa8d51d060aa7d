"""`observatory import …`: the import pipelines on the command line.

Each processed file prints one line (or, with `--json`, one JSON object). A file that is
unusable as a whole prints `observatory: error: FILE: problem` on standard error, nothing of
it is written, the other files still go in, and the command exits 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
json_option = click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)


def _lake_and_context(options: dict | None = None):
    from observatory.config import load
    from observatory.lake.store import Lake
    from observatory.sources.base import Context

    config = load()
    return Lake.in_data_dir(config.data_dir), Context(config.pseudonym_key, options or {})


def _report(results, as_json: bool, lake=None, kind: str = "") -> None:
    """Print each file's summary; then, after ED or premises imports, match venues."""
    from observatory.lake.pipelines import MATCHED_KINDS, Unusable, match_venues

    failed = 0
    for result in results:
        if isinstance(result, Unusable):
            failed += 1
            click.echo(f"observatory: error: {result.file}: {result.error}", err=True)
            if as_json:
                click.echo(json.dumps(result.as_dict()))
            continue
        if as_json:
            click.echo(json.dumps(result.as_dict()))
            continue
        line = (
            f"{result.file}: {result.read:,} read, {result.accepted:,} accepted, "
            f"{result.rejected:,} rejected, {result.duplicates:,} duplicates "
            f"in {result.seconds:.2f}s"
        )
        click.echo(line)
        for note in result.notes:
            click.echo(f"  {note}")
        if result.rejections_file:
            click.echo(f"  rejected rows and reasons: {result.rejections_file}")
    if kind in MATCHED_KINDS and lake is not None:
        counts = match_venues(lake)
        if counts and not as_json:
            click.echo(
                "ED locations matched to licensed premises: "
                + ", ".join(f"{n:,} {status}" for status, n in counts.items())
            )
    if failed:
        sys.exit(1)


@click.group("import", context_settings=CONTEXT)
def import_group() -> None:
    """Bring source files into the lake: validated, pseudonymised, placed, nothing lost."""


@import_group.command("geography")
@click.option(
    "--areas", required=True, type=click.Path(path_type=Path), help="Small areas (GeoJSON)."
)
@click.option(
    "--population", type=click.Path(path_type=Path), help="lsoa_code,age_band,sex,population"
)
@click.option(
    "--deprivation", type=click.Path(path_type=Path), help="lsoa_code,imd_score,imd_decile"
)
@click.option(
    "--lookup",
    type=click.Path(path_type=Path),
    help="ONS LSOA to ward to local authority lookup, for boundary files that lack them.",
)
@json_option
def import_geography(areas, population, deprivation, lookup, as_json) -> None:
    """Small areas with ward and local authority, populations, deprivation."""
    from observatory.lake import pipelines

    lake, context = _lake_and_context()
    _report(
        pipelines.import_geography(areas, population, deprivation, lake, context, lookup=lookup),
        as_json,
    )


def _kind_command(kind: str, summary: str):
    @import_group.command(kind, help=summary)
    @paths_argument
    @json_option
    def command(paths, as_json) -> None:
        from observatory.lake import pipelines

        lake, context = _lake_and_context()
        _report(pipelines.import_paths(kind, list(paths), lake, context), as_json, lake, kind)

    return command


_kind_command("police", "police.uk street, outcomes and stop-and-search files (or folders).")
_kind_command("force-crime", "The force's record-level crime extract.")
_kind_command("premises", "The licensing register of premises.")
_kind_command("places", "Schools and youth provision.")


@import_group.command("istv")
@paths_argument
@click.option(
    "--mapping",
    type=click.Path(exists=True, path_type=Path),
    help="How this department's columns and codes map to ISTV (docs/formats/istv.md).",
)
@json_option
def import_istv(paths, mapping, as_json) -> None:
    """Emergency-department ISTV assault extracts."""
    from observatory.lake import pipelines

    lake, context = _lake_and_context({"mapping": mapping})
    _report(pipelines.import_paths("istv", list(paths), lake, context), as_json, lake, "istv")


@import_group.command("all")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@json_option
def import_all(folder, as_json) -> None:
    """A whole drop folder in the demo region's layout, in the right order (truth/ is skipped)."""
    from observatory.lake import pipelines

    lake, context = _lake_and_context()
    _report(pipelines.import_drop_folder(folder, lake, context), as_json, lake, "all")
