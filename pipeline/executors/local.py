"""The executor on this machine: worker processes (pebble's process pool), also for one
document or ``--workers 1`` (the calling process could not enforce the limits: SIGALRM
cannot interrupt C code, and a process cannot stop itself at a memory limit).

Worker processes are started with the "spawn" method (a fresh interpreter: no state
copied from the runner, no fork-after-threads hazards with onnxruntime). A document that
runs past ``settings.timeout`` has its worker killed and replaced by pebble; one that
makes its worker outgrow ``settings.max_worker_memory_mb`` is stopped by the worker's
watchdog (``worker.py``). Either way the document gets a failed record and the batch goes
on with a new worker.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import Future

from pebble import ProcessExpired, ProcessPool

from pipeline.executors.base import Executor, Outcome, Task, timeout_record, worker_lost_record
from pipeline.executors.worker import EXIT_MEMORY, extract_task, start_worker
from pipeline.settings import Settings

# Tasks handed to the pool ahead of the free workers: enough to keep them busy, few
# enough that the runner's input stream (hashing files) stays just ahead of the work.
TASKS_AHEAD_PER_WORKER = 2


def lost_worker_reason(error: ProcessExpired, settings: Settings) -> str:
    code = error.exitcode
    if code == EXIT_MEMORY:
        return (f"needed more than {settings.max_worker_memory_mb} MB of memory and was "
                "stopped (raise the limit with --max-memory, or scan at a lower resolution)")
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else -code
        hint = " (the system may have run out of memory)" if -code == signal.SIGKILL else ""
        return f"was killed by signal {name}{hint}"
    return f"exited unexpectedly (exit code {code})"


class ProcessPoolExecutor(Executor):
    """``workers`` processes, each with its own extractor, fed a few tasks ahead."""

    name = "processes"

    def __init__(self, settings: Settings, workers: int) -> None:
        super().__init__(settings)
        self.workers = workers
        self.pool = ProcessPool(max_workers=workers, initializer=start_worker,
                                initargs=(settings, os.getpid()),
                                context=multiprocessing.get_context("spawn"))

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        pending: dict[Future, Task] = {}
        # Finished futures come through a queue filled by their callbacks, not through
        # concurrent.futures.wait: Ctrl-C inside wait() can leave the futures' locks held,
        # and the pool's own thread then hangs on them while the pool is stopped.
        finished: queue.SimpleQueue[Future] = queue.SimpleQueue()
        stream = iter(tasks)
        more = True
        while True:
            while more and len(pending) < self.workers * TASKS_AHEAD_PER_WORKER:
                task = next(stream, None)
                if task is None:
                    more = False
                    break
                future = self.pool.schedule(extract_task, args=(task, self.settings),
                                            timeout=self.settings.timeout)
                pending[future] = task
                future.add_done_callback(finished.put)
            if not pending:
                return
            future = finished.get()
            yield self.outcome(future, pending.pop(future))

    def outcome(self, future: Future, task: Task) -> Outcome:
        try:
            return future.result()
        except TimeoutError:  # the pool has killed the worker and started another
            record = timeout_record(task, self.settings.timeout)
        except ProcessExpired as exc:
            record = worker_lost_record(task, lost_worker_reason(exc, self.settings))
        except Exception as exc:  # noqa: BLE001 - e.g. a record that did not pickle
            record = worker_lost_record(task, f"failed ({type(exc).__name__}: {exc})")
        return Outcome(index=task.index, records=[record], worker="(stopped)")

    def close(self) -> None:
        self.pool.stop()
        self.pool.join()


def local_executor(settings: Settings, documents: int) -> Executor:
    """Worker processes, never more than there are documents. Even one document, or
    ``--workers 1``, runs in a worker process: only a process can be stopped inside C
    code (PDFium expanding a bomb) and have its memory measured and capped, so the limits
    hold in every mode."""
    return ProcessPoolExecutor(settings, min(settings.workers, max(documents, 1)))
