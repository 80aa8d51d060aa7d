"""The helper threads that overlap reading, checking and writing keep order and errors."""

import threading

import pytest

from observatory.lake.background import InOrder, in_background, read_ahead


def test_read_ahead_yields_everything_in_order():
    assert list(read_ahead(iter(range(100)), depth=2)) == list(range(100))


def test_read_ahead_raises_the_producers_error_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("row 3 is not UTF-8")

    seen = []

    def consume():
        for item in read_ahead(items()):
            seen.append(item)

    with pytest.raises(ValueError, match="row 3"):
        consume()
    assert seen == [1, 2]


def test_read_ahead_stops_its_helper_when_the_consumer_stops_early():
    produced = []

    def items():
        for number in range(1_000):
            produced.append(number)
            yield number

    for item in read_ahead(items(), depth=2):
        if item == 3:
            break
    assert len(produced) < 10
    assert not [t for t in threading.enumerate() if t.name == "observatory-read-ahead"]


def test_in_order_runs_calls_in_submission_order_and_reports_the_first_failure():
    done = []
    behind = InOrder("test", pending=2)
    for number in range(5):
        behind.submit(lambda n=number: done.append(n))
    behind.submit(lambda: 1 / 0)
    behind.submit(lambda: done.append("after the failure"))
    with pytest.raises(ZeroDivisionError):
        behind.wait()
    assert done == [0, 1, 2, 3, 4]


def test_in_background_returns_the_value():
    assert in_background(lambda: 6 * 7).result() == 42
