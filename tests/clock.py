"""Stopping the clock for tests that seed once and read many times."""

import datetime
from contextlib import contextmanager

import pytest
import time_machine


@contextmanager
def frozen_clock(at: datetime.datetime | None = None):
    """Stop the clock at `at` (by default wherever it is now, REGISTRY_TEST_NOW included).

    A demo seeded at one instant and checked a minute later would see a booking start, or a
    quarter turn, in between: the seed and the tests that read it share one instant instead.
    """
    with time_machine.travel(at or datetime.datetime.now(datetime.UTC), tick=False):
        yield


def pinned_clock(moment: datetime.datetime):
    """An autouse fixture that runs each test of a module at `moment`, the clock stopped.

    For modules that read the date once at import (`TODAY = timezone.localdate()`): without it,
    a run that passes midnight (or a quarter's first hour) between import and test compares
    yesterday's constants with today's pages.
    """

    @pytest.fixture(autouse=True)
    def _pinned_clock():
        with time_machine.travel(moment, tick=False):
            yield

    return _pinned_clock
