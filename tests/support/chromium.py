"""Debian's Chromium, driven by Playwright without ever downloading a browser of its own."""

import os
import shutil
from pathlib import Path

# Flags for a root, offline, headless machine: without the networking ones Chromium keeps
# trying to reach Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> Path | None:
    """The Chromium to drive: $OBSERVATORY_CHROMIUM, else /usr/bin/chromium, else on PATH."""
    configured = os.environ.get("OBSERVATORY_CHROMIUM")
    for candidate in (configured, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None
