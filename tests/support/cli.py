"""Running the real `observatory` command in a child process, as a person would."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

COMMAND = [sys.executable, "-m", "observatory"]


def cli_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment for a child `observatory`: its own data dir and database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OBSERVATORY_")
        and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["OBSERVATORY_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], stdin: str | None = None, timeout: float = 120):
    return subprocess.run(
        [*COMMAND, *args],
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class RunningServer:
    process: subprocess.Popen
    url: str
    output: list[str] = field(default_factory=list)


@contextmanager
def running_server(*args: str, env: dict[str, str], ready_timeout: float = 90):
    """Start `observatory <args>` and yield once it announces it is serving.

    Fails with everything the program printed if it exits or stays silent instead.
    """
    process = subprocess.Popen(
        [*COMMAND, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump():
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    output: list[str] = []
    url = None
    deadline = time.monotonic() + ready_timeout
    try:
        while url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no 'serving on' within {ready_timeout}s: {output}") from None
            if line is None:
                raise AssertionError(f"exited with {process.wait()} before serving: {output}")
            output.append(line)
            if "serving on " in line:
                url = line.split("serving on ", 1)[1].split()[0]
        yield RunningServer(process, url, output)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)  # the pipe reaches end-of-file once the process is gone
        process.stdout.close()
