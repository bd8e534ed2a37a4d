"""Run a function over chunks of work in worker processes, results in input order.

The standard library's :class:`concurrent.futures.ProcessPoolExecutor` does the work; this adds
what labeling needs on top: each worker runs an initializer once (to load the model), at most
``2 × workers`` chunks are in flight (memory stays flat on a stream of any length), and no process
is started when there is only one chunk (a one-line input starts as fast as before).
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
from collections import deque
from multiprocessing import forkserver
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from .errors import ParameterError

Item = TypeVar("Item")
Result = TypeVar("Result")

# Modules every worker needs, imported once in the fork server rather than once per worker.
_PRELOAD = ["forumminer.stance.labeling", "forumminer.stance.linear", "forumminer.text.passages"]


def default_workers() -> int:
    """The cores this process may run on.

    >>> default_workers() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_workers(workers: int | None) -> int:
    """``workers`` as a count (None: all cores), or a clear error."""
    if workers is None:
        return default_workers()
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ParameterError(f"workers must be a positive integer; got {workers!r}.", name="workers", value=workers)
    return workers


def ordered_map(func: Callable[[Item], Result], items: Iterable[Item], *, workers: int,
                initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
                local: Callable[[Item], Result] | None = None) -> Iterator[Result]:
    """``func(item)`` for each item, in order, in ``workers`` processes that each ran
    ``initializer(*initargs)`` first; ``local`` (default ``func``) runs in this process instead
    when ``workers`` is 1 or there is a single item.

    >>> list(ordered_map(abs, [-2, 1, -3], workers=1))
    [2, 1, 3]
    """
    iterator = iter(items)
    head = [item for item in (next(iterator, _END), next(iterator, _END)) if item is not _END]
    if workers <= 1 or len(head) < 2:
        run = local or func
        if local is None and initializer is not None:
            initializer(*initargs)
        while head:  # popped, so that no chunk stays referenced once done
            yield run(head.pop(0))
        for item in iterator:
            yield run(item)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    forkserver.ensure_running()  # started here, not inside _signals_deferred: its workers keep every signal
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs)
    pending: deque[Future[Result]] = deque()
    try:
        for item in itertools.chain(_drain(head), iterator):
            with _signals_deferred():  # a submit may start a worker: never leave one half-started
                pending.append(pool.submit(func, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends (where the platform can), so that an interrupt
    never cuts the start of a worker process short: a worker whose start-up data was cut prints its
    own error after ours."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _drain(items: list[Item]) -> Iterator[Item]:
    while items:
        yield items.pop(0)


_END: Any = object()
