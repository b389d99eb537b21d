"""Garbage collection in twinpress's processes: rare during a render, and the cycles a render
leaves are collected between a warm worker's jobs, at a bounded share of its time."""

from __future__ import annotations

import gc
import weakref

import pytest

from pipeline import collector


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    collector.tune()
    yield
    gc.set_threshold(*saved)


def _cycle() -> weakref.ref:
    return weakref.ref(Node())


def test_a_render_s_cycles_are_freed_between_jobs(thresholds, monkeypatch):
    monkeypatch.setattr(collector, "_next", 0.0)
    left = _cycle()
    assert left() is not None  # a young collection is 100,000 allocations away
    collector.between_jobs()
    assert left() is None


def test_collections_between_jobs_are_spaced_by_their_cost(thresholds, monkeypatch):
    """Right after a collection the next job's cycles wait: at most a twentieth of the
    worker's time goes to collecting."""
    clock = iter([100.0, 100.5, 101.0, 111.0, 111.0, 111.1])
    monkeypatch.setattr(collector.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(collector, "_next", 0.0)
    collector.between_jobs()  # took 0.5 s (100.0 to 100.5): the next waits until 110.5
    waiting = _cycle()
    collector.between_jobs()  # at 101.0: too soon
    assert waiting() is not None
    collector.between_jobs()  # at 111.0: collects
    assert waiting() is None


def test_nothing_is_collected_while_paused_and_collection_resumes_after(thresholds):
    gc.set_threshold(1)  # a collection at every allocation, were it enabled
    with collector.paused():
        assert not gc.isenabled()
        left = _cycle()
        [[] for _ in range(1000)]
        assert left() is not None
    assert gc.isenabled()
    gc.collect()
    assert left() is None


def test_a_paused_block_that_fails_still_resumes_collection():
    with pytest.raises(ZeroDivisionError), collector.paused():
        raise ZeroDivisionError
    assert gc.isenabled()


def test_pausing_within_a_disabled_collector_leaves_it_disabled():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
