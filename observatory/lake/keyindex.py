"""A compact set of 64-bit record-key hashes with two integer payloads per key.

Deduplicating a ten-million-row import needs to remember every key seen so far; a Python
dict would take gigabytes and a DataFrame joined per batch takes quadratic time. Keys are
kept instead in sorted numpy runs whose sizes grow like the digits of a binary counter:
a batch becomes a new run, and equal-sized neighbours merge. Lookup is a binary search in
each of the O(log n) runs; memory is 24 bytes per key.
"""

from __future__ import annotations

import numpy as np


class KeyIndex:
    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(keys) for keys, _, _ in self._runs)

    def add(self, keys: np.ndarray, first: np.ndarray, second: np.ndarray) -> None:
        """Remember keys that are not in the index yet (and are distinct among themselves)."""
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], first[order], second[order]))
        while len(self._runs) > 1 and len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            newer, older = self._runs.pop(), self._runs.pop()
            merged = [np.concatenate([o, n]) for o, n in zip(older, newer, strict=True)]
            order = np.argsort(merged[0], kind="stable")
            self._runs.append(tuple(part[order] for part in merged))

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(found, first, second) for each key; payloads are 0 where not found."""
        # Searching in ascending order walks each run forwards: far fewer cache misses.
        order = np.argsort(keys)
        found, first, second = self._find_sorted(keys[order])
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        return found[back], first[back], second[back]

    def _find_sorted(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        found = np.zeros(len(keys), dtype=bool)
        first = np.zeros(len(keys), dtype=np.int64)
        second = np.zeros(len(keys), dtype=np.int64)
        for run_keys, run_first, run_second in self._runs:
            position = np.minimum(np.searchsorted(run_keys, keys), len(run_keys) - 1)
            hit = (run_keys[position] == keys) & ~found
            first[hit] = run_first[position[hit]]
            second[hit] = run_second[position[hit]]
            found |= hit
        return found, first, second
