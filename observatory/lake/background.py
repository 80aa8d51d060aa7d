"""Overlapping an import's stages on a second core: reading ahead, writing behind.

Reading CSV (pyarrow), hashing the file (hashlib) and writing Parquet (pyarrow) spend
their time in C code that releases the GIL, so while the main thread checks and places one
batch, a helper thread can read the next one and another can write the last one. Both
helpers keep the order of their work and hand any exception back to the main thread, where
the import's own error handling (nothing written unless it all succeeds) applies as before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def read_ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield what `items` yields, producing up to `depth` items ahead on a helper thread.

    An exception raised while producing is raised here, in the consumer, at the point in
    the sequence where it happened. If the consumer stops early, the helper stops too."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer((item, None)):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            offer((_DONE, error))
            return
        offer((_DONE, None))

    helper = threading.Thread(target=produce, name="observatory-read-ahead", daemon=True)
    helper.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        helper.join()


class InOrder:
    """Runs submitted calls one after another on a helper thread, in submission order.

    At most `pending` calls wait at once: `submit` blocks beyond that, so memory stays
    bounded when the helper is slower than the main thread. `wait()` returns once all have
    run and raises the first exception any of them raised; later calls are skipped after a
    failure."""

    def __init__(self, name: str, pending: int = 3):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._room = threading.BoundedSemaphore(pending)
        self._last: Future | None = None
        self._failed: BaseException | None = None

    def submit(self, call: Callable[[], object]) -> None:
        def guarded() -> None:
            try:
                if self._failed is None:
                    call()
            except BaseException as error:
                self._failed = error
            finally:
                self._room.release()

        self._room.acquire()
        self._last = self._pool.submit(guarded)

    def wait(self) -> None:
        if self._last is not None:
            self._last.result()
        self._pool.shutdown(wait=True)
        if self._failed is not None:
            raise self._failed


def in_background(call: Callable[[], T]) -> Future:
    """Start `call` on its own helper thread; `.result()` gives its value or raises."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="observatory-background")
    future = pool.submit(call)
    pool.shutdown(wait=False)
    return future
