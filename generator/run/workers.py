"""Worker processes and the garbage collector: the one place of both.

Every stage that works on many files or pages in parallel does it through here: forked workers
(they start in milliseconds, and see what this process had when it forked, so nothing is
pickled on the way in), one state they work on, and the collector kept off the model, which is
hundreds of thousands of small acyclic objects it would walk again and again for nothing.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

# Below this many items of work, starting worker processes costs more than it saves
# (starting a worker costs about 20 ms; a runbook about 6 ms).
PARALLEL_MIN_FILES = 48
Result = TypeVar("Result")
# What forked workers work on: set just before a pool starts, inherited by the fork, read by
# the work function through `state()`.
_STATE: Any = None


def worker_count(jobs: int, files: int) -> int:
    """How many worker processes to start for *files* items of work (*jobs*: 0 one per CPU):
    none for few, or where forking is unsafe."""
    if files < PARALLEL_MIN_FILES or sys.platform != "linux" or threading.active_count() > 1:
        return 1  # (fork copies no other thread: a lock one of them holds would never be freed)
    cpus = len(os.sched_getaffinity(0))
    return min(jobs or cpus, files // (PARALLEL_MIN_FILES // 2))


def state() -> Any:
    """In a worker: what its pool was started to work on."""
    return _STATE


def forked_pool(workers: int, *, frozen: bool = False) -> ProcessPoolExecutor:
    """A pool of *workers* forked processes; *frozen*: their collector leaves alone what they
    inherit (walking it, it would copy its memory and free nothing)."""
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=gc.freeze if frozen else None
    )


@contextmanager
def forked(work_state: Any) -> Iterator[None]:
    """Workers forked inside see *work_state* through `state()`."""
    global _STATE
    _STATE = work_state
    try:
        yield
    finally:
        _STATE = None


def forked_map(
    work: Callable[[int], Result],
    count: int,
    work_state: Any,
    workers: int,
    *,
    chunk: int = 0,
    frozen: bool = False,
) -> Iterator[Result]:
    """`work(i)` for every i < *count*, in order, in *workers* forked processes that see
    *work_state* (`state()`)."""
    with forked(work_state), forked_pool(workers, frozen=frozen) as pool:
        size = chunk or max(1, count // (workers * 8))
        yield from pool.map(work, range(count), chunksize=size)


class Lazy:
    """A pool working through `work(i)` for i < *count* while this process goes on: `next()`
    gives the results in order, waiting for them if need be; `close()` stops the workers."""

    def __init__(
        self, work: Callable[[int], Any], count: int, work_state: Any, workers: int, chunk: int
    ) -> None:
        global _STATE
        _STATE = work_state  # kept for the life of the pool: its workers fork as they start
        self.pool = forked_pool(workers)
        self.results = self.pool.map(work, range(count), chunksize=chunk)

    def next(self) -> Any:
        return next(self.results)

    def close(self) -> None:
        global _STATE
        self.pool.shutdown(cancel_futures=True)
        _STATE = None


class Background:
    """`work()` done in a forked process while the build goes on; `take` gives its result."""

    def __init__(self, work: Callable[[], Any], *, key: object) -> None:
        context = multiprocessing.get_context("fork")  # what it works on is this process's
        self.key = key
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_send, args=(work, send), daemon=True)
        self.process.start()
        send.close()

    def take(self, *, key: object) -> Any:
        """The result, if made for *key* (and made at all: if the process failed, the caller
        makes it and meets the error itself); the process is gone after."""
        try:
            return self.receive.recv() if key == self.key else None
        except EOFError:
            return None
        finally:
            self.stop()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receive.close()


def _send(work: Callable[[], Any], send: Connection) -> None:
    gc.disable()  # a short life, no cycles worth collecting: the collector's walks cost more
    send.send(work())
    send.close()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the site grows (or while results of workers
    come in).

    The model is hundreds of thousands of small acyclic objects: each collection walks them
    all again and frees nothing (it doubled the time of a warm check of 1,000 runbooks).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def loaded_then_frozen() -> Iterator[None]:
    """What is made inside lives until the build ends: made with the collector paused, then
    frozen, so the collector never walks it (a pass over a fresh site alone took 0.2 s)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def freeze() -> None:
    """Leave everything alive now to the end of the build: the collector never walks it, and a
    worker forked later copies fewer of its memory pages."""
    gc.freeze()


def unfreeze() -> None:
    """The build is over: the collector may see everything again."""
    gc.unfreeze()
