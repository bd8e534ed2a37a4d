"""Run a function over chunks of work in worker processes, results in input order.

The standard library's :class:`concurrent.futures.ProcessPoolExecutor` does the work; this adds
what labeling needs on top: each worker runs an initializer once (to load the model), at most
``2 × workers`` chunks are in flight (memory stays flat on a stream of any length), and no process
is started when there is only one chunk (a one-line input starts as fast as before). Ctrl-C is
this process's alone: the fork server and its workers ignore it, a worker's start or the pool's
shutdown is never cut short by it, and a worker ends by itself once this process has ended.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import select
import signal
import threading
import time
from collections import deque
from multiprocessing import forkserver
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from .errors import ParameterError

Item = TypeVar("Item")
Result = TypeVar("Result")

# Modules every worker needs, imported once in the fork server rather than once per worker.
PRELOAD = ("forumminer.stance.labeling", "forumminer.stance.linear", "forumminer.text.passages")


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
                local: Callable[[Item], Result] | None = None, preload: Sequence[str] = PRELOAD) -> Iterator[Result]:
    """``func(item)`` for each item, in order, in ``workers`` processes that each ran
    ``initializer(*initargs)`` first; ``local`` (default ``func``) runs in this process instead
    when ``workers`` is 1 or there is a single item. The workers are forked from a server that
    imported the ``preload`` modules (see :func:`start_fork_server`).

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
    context = start_fork_server(preload)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(), initializer, initargs))
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
        with _signals_deferred():
            pool.shutdown(wait=True, cancel_futures=True)


def start_fork_server(preload: Sequence[str] = PRELOAD) -> Any:
    """The multiprocessing context whose fork server forks the workers, the server started if it
    is not yet: it imports the ``preload`` modules once (what they build at import, every worker
    has from its start), and it and its workers ignore Ctrl-C. Started early (while this process
    still reads its input), its start-up overlaps this process's."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["forumminer._fork_server_start", *preload])
    with _signals_deferred(), _ctrl_c_ignored():
        forkserver.ensure_running()
    return context


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """A worker's start: it ends as soon as the process that started it has ended (whatever
    state that one was left in), then runs ``initializer(*initargs)``."""
    end_with(parent)
    if initializer is not None:
        initializer(*initargs)


def end_with(pid: int) -> None:
    """End this process as soon as process ``pid`` has ended (a thread waits for it)."""
    threading.Thread(target=_exit_after, args=(pid,), daemon=True).start()


def _exit_after(pid: int) -> None:
    try:
        select.select([os.pidfd_open(pid)], [], [])
    except (AttributeError, OSError):  # no pidfd (not Linux), or the process has already ended
        while _is_running(pid):
            time.sleep(0.5)
    os._exit(1)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, so that an interrupt never cuts the start
    or the shutdown of worker processes short (a worker started but not yet known to the pool
    would wait for work forever). The signals are recorded by handlers, not blocked: a blocked
    signal still reaches this process's other threads (NumPy's, Arrow's), whose Python handler
    runs at once in this one. Outside the main thread (where handlers cannot be set, and Python
    runs none) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    held = {signum: signal.signal(signum, lambda signum, frame: received.append(signum))
            for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])  # now handled as it would have been


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while the block runs (in the main thread; elsewhere this does nothing). A
    process started meanwhile goes on ignoring it: a fork server started so, and every worker it
    forks, is left alone by a Ctrl-C, which a terminal sends to every process of the job, and only
    this process acts on it. (A signal mask would not do: a new program starts with none.) A
    Ctrl-C in the few milliseconds the fork server takes to start is lost."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, held)


def _drain(items: list[Item]) -> Iterator[Item]:
    while items:
        yield items.pop(0)


_END: Any = object()
