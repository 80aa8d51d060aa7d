"""A killed import leaves the lake exactly as it was."""

from __future__ import annotations

import signal
import time

from observatory.lake.store import Lake
from tests.support.cli import COMMAND, cli_env, run_cli

from .conftest import connect, street_row, write_squares, write_street

VIOLENCE = "Violence and sexual offences"


def _counts(lake: Lake) -> list[tuple]:
    return (
        connect(lake)
        .execute("select month, count(*) from police_street group by 1 order by 1")
        .fetchall()
    )


def test_an_import_killed_midway_changes_nothing(tmp_path):
    import subprocess

    env = cli_env(tmp_path / "data")
    areas = write_squares(tmp_path / "areas.geojson")
    assert run_cli("import", "geography", "--areas", str(areas), env=env).returncode == 0
    february = write_street(
        tmp_path / "feb.csv",
        [street_row(f"{i:064x}", "2024-02", "E01000001", VIOLENCE) for i in range(10)],
    )
    assert run_cli("import", "police", str(february), env=env).returncode == 0
    lake = Lake(tmp_path / "data" / "lake")
    manifest = (lake.root / "manifest.json").read_bytes()
    before = _counts(lake)

    row = street_row("", "2024-03", "E01000002", VIOLENCE)
    big = write_street(
        tmp_path / "march.csv",
        [[f"{i:064x}", *row[1:]] for i in range(1_000, 401_000)],
    )
    process = subprocess.Popen([*COMMAND, "import", "police", str(big)], env=env)
    deadline = time.monotonic() + 60
    while not list((lake.root / "police_street").glob("month=2024-03/*.parquet")):
        assert process.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert (lake.root / "manifest.json").read_bytes() == manifest
    assert _counts(lake) == before
    # The next import sweeps nothing it needs and completes normally.
    finished = run_cli("import", "police", str(big), "--json", env=env, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert _counts(lake) == [*before, ("2024-03", 400_000)]
