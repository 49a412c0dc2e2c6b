"""Where per-article extraction runs: this process, local worker processes, or a Dask cluster.

Every executor maps a function over batches of articles and returns the results in the order
of the batches, whatever order they finish in, so a build is byte-identical however the work was
scheduled. With ``done(i, result)``, each batch is handed to it as it comes back and not kept
(the list returned holds None): a cold build of 30,000 articles otherwise held every worker's
raw result until the last batch came back. The spaCy model is
loaded once per worker process (by the pool's initializer locally; on Dask by the first task
a worker runs, as the model loader is memoised per process).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger("archive")

# below this many articles to extract, starting worker processes (and a model in each)
# costs more than it saves
MIN_PARALLEL = 48


def _warm_up() -> None:
    """Pool initializer: load the NER model once in each worker process."""
    from .ner import load_nlp

    load_nlp()


class ExecutorError(RuntimeError):
    """The executor asked for cannot run (Dask missing, scheduler unreachable)."""


class InProcess:
    """Runs every batch here, one after the other (small batches, tests, one core)."""

    workers = 1

    def map(self, func: Callable, batches: Sequence[Any], done: Callable[[int, Any], None] | None = None) -> list:
        out = []
        for i, batch in enumerate(batches):
            result = func(batch)
            out.append(None if done else result)
            if done:
                done(i, result)
        return out

    def close(self) -> None:
        pass


class LocalProcesses:
    """A pool of worker processes on this machine, one per core (``forkserver`` where the
    platform has it: forking a process that runs threads, as ``mkdocs serve`` does, is unsafe)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or _cores()
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_warm_up)
            _OPEN.add(self)
        return self._pool

    def map(self, func: Callable, batches: Sequence[Any], done: Callable[[int, Any], None] | None = None) -> list:
        results: list = [None] * len(batches)
        missing = set(range(len(batches)))
        try:
            pool = self._get_pool()
            futures = {pool.submit(func, batch): i for i, batch in enumerate(batches)}
            pending = set(futures)
            try:
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        i = futures.pop(future)     # the future holds its result: let both go
                        result = future.result()
                        results[i] = None if done else result
                        missing.discard(i)
                        if done:
                            done(i, result)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
        except (BrokenProcessPool, OSError) as exc:
            # a worker that died (out of memory, killed) or a platform that cannot start one:
            # finish here rather than fail the build
            log.warning("archive: worker processes failed (%s); extracting the rest in this process",
                        exc.__class__.__name__)
            self.close()
            for i in sorted(missing):
                result = func(batches[i])
                results[i] = None if done else result
                if done:
                    done(i, result)
        return results

    def close(self) -> None:
        if self._pool is not None:
            # workers still busy with a batch finish it after the shutdown; end_workers can end them
            _CLOSED.extend((getattr(self._pool, "_processes", None) or {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


SCHEMES = ("tcp", "tls", "inproc", "ucx", "ws", "wss")


def check_address(address: str) -> str:
    """``address`` when Dask can parse it (a known scheme and a host, with a port 1-65535 if
    one is given), else ExecutorError naming it: a malformed address otherwise leaves a client
    that waits 40 s and prints a traceback on exit."""
    from urllib.parse import urlsplit

    text = address.strip()
    url = text if "://" in text else f"tcp://{text}"
    scheme = url.split("://", 1)[0].lower()
    if scheme not in SCHEMES:
        raise ExecutorError(f"--scheduler {address!r}: unknown scheme {scheme!r} (use one of "
                            f"{', '.join(s + '://' for s in SCHEMES)}, e.g. tcp://HOST:8786)")
    if scheme == "inproc":
        if not url.split("://", 1)[1]:
            raise ExecutorError(f"--scheduler {address!r}: no address after inproc://")
        return url
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise ExecutorError(f"--scheduler {address!r}: not a HOST:PORT address ({exc})") from None
    if not host or parts.path not in ("", "/") or parts.query or parts.fragment or port == 0:
        raise ExecutorError(f"--scheduler {address!r}: not a HOST:PORT address (e.g. tcp://HOST:8786)")
    return url


NO_DASK = "--scheduler needs Dask, an optional extra: pip install 'news-archive-builder[cluster]'"


def require_dask() -> None:
    """ExecutorError saying how to install Dask when it is missing: it is an extra (imported only
    when a scheduler is given), so a plain install reaches here without it."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ExecutorError(NO_DASK) from None


class Dask:
    """Batches sent to a ``dask.distributed`` scheduler (``tcp://host:8786``). The workers need
    this package installed; the results come back here, so the cache and the render stay local."""

    def __init__(self, address: str) -> None:
        address = check_address(address)
        require_dask()
        from distributed import Client

        try:
            self.client = Client(address, set_as_default=False, timeout="20s")
        except (OSError, ValueError, TypeError) as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def map(self, func: Callable, batches: Sequence[Any], done: Callable[[int, Any], None] | None = None) -> list:
        from distributed import as_completed

        with self.client.as_current():
            futures = self.client.map(func, list(batches), pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            results: list = [None] * len(batches)
            for future in as_completed(futures):
                i = index[future.key]
                result = future.result()
                results[i] = None if done else result
                if done:
                    done(i, result)
        return results

    def close(self) -> None:
        self.client.close()


_OPEN: "weakref.WeakSet[LocalProcesses]" = weakref.WeakSet()
_CLOSED: list = []      # worker processes of pools shut down without waiting


def end_workers() -> None:
    """Kill the worker processes of every open local pool, and the forkserver that starts them:
    for a process about to end at once (``archive serve`` on Ctrl-C), so that none is left running."""
    import signal

    processes = list(_CLOSED)
    for executor in list(_OPEN):
        processes += (getattr(executor._pool, "_processes", None) or {}).values()
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()
    server = getattr(sys.modules.get("multiprocessing.forkserver"), "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    if pid:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def choose(count: int, scheduler: str | None = None, executor: Any = None) -> Any:
    """The executor for ``count`` articles to extract: a given one, Dask when a scheduler address
    is given, else local processes when there are enough articles and cores, else this process."""
    if executor is not None:
        return executor
    if scheduler:
        return Dask(scheduler)
    if count >= MIN_PARALLEL and _cores() > 1:
        return LocalProcesses()
    return InProcess()
