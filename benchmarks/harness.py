"""Timing helpers: repeat, take the median, report against a baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    baseline_name: str
    baseline_seconds: float
    target_ratio: float | None = None
    note: str = ""  # extra figures worth recording (rows per second, peak memory)
    absolute_target_met: bool | None = None  # for targets stated in seconds or bytes

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds

    @property
    def meets_target(self) -> bool | None:
        checks = [self.absolute_target_met]
        if self.target_ratio is not None:
            checks.append(self.ratio <= self.target_ratio)
        checks = [c for c in checks if c is not None]
        return all(checks) if checks else None


def median_seconds(action: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of `action` over `repeat` runs, after `warmup` untimed runs."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def report(results: list[Result]) -> str:
    lines = [
        f"{'benchmark':<34}{'median':>11}  {'baseline':<26}{'median':>11}{'ratio':>8}  target",
        "-" * 100,
    ]
    for r in results:
        target = "" if r.target_ratio is None else f"<= {r.target_ratio:g}"
        verdict = {True: " ok", False: " MISSED", None: ""}[r.meets_target]
        lines.append(
            f"{r.name:<34}{r.seconds * 1000:>9.2f}ms  {r.baseline_name:<26}"
            f"{r.baseline_seconds * 1000:>9.2f}ms{r.ratio:>8.2f}  {target}{verdict}"
        )
        if r.note:
            lines.append(f"    {r.note}")
    return "\n".join(lines)
