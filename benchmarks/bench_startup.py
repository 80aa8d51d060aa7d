"""How long `observatory --help` takes, against starting the Python interpreter itself.

The CLI imports Django only for commands that need it, so help and (later) the data
commands should cost little more than Python's own start-up.
"""

import subprocess
import sys

from benchmarks.harness import Result, median_seconds


def run() -> list[Result]:
    def cli_help():
        subprocess.run(
            [sys.executable, "-m", "observatory", "--help"], check=True, capture_output=True
        )

    def bare_python():
        subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)

    return [
        Result(
            "observatory --help",
            median_seconds(cli_help, repeat=9),
            "python -c pass",
            median_seconds(bare_python, repeat=9),
            target_ratio=10,
        )
    ]
