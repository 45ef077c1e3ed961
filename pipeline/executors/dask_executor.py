"""`--executor dask --scheduler tcp://HOST:8786`: documents extracted on a Dask cluster.

The runner (this process) keeps the ledger and writes every output; the workers only
read documents and return records. What travels:

* to a worker: the task and the settings as JSON dicts, and the document's **path**, made
  absolute. Workers open the file themselves, so inputs must be on storage that every
  worker mounts at the same path (NFS, a shared volume); a worker that cannot see a file
  gives that document a failed record saying so. Paths rather than file bytes because
  scans run to tens of MB and would all pass through the scheduler.
* back: the outcome (record, worker, peak memory) as a JSON dict (``model_dump``), turned
  back into pydantic models here.

Each worker thread builds its extractor (template catalogue, OCR engine) once, on its
first document, and keeps it for the worker's life in a thread-local cache keyed by the
settings. A thread-local rather than ``distributed.get_worker()`` attributes: it needs no
Dask API, so the worker function runs and is tested like any function, and a worker
started with several threads (``--nthreads``) gives each thread its own engine rather than
sharing one between two documents at once. Memory is then ~1 GB per thread with RapidOCR:
start workers with ``--nthreads 1`` and one worker process per core or two.

The workers must run the same code and the same form knowledge: the runner sends a digest
of its ``config/`` folder, and a worker whose ``config/`` differs refuses the documents
(failed records that say so) rather than read them with other templates.

Limits: a document past ``settings.timeout`` gets a failed record and the worker running
it is restarted (Dask cannot stop a running task otherwise; this needs the worker's nanny,
the default). The memory limit is the workers' own (``dask worker --memory-limit``): a
worker that outgrows it is restarted by its nanny, Dask retries the document elsewhere
and, after the scheduler's allowed failures, the document gets a failed record.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import MissingExtra, RunError
from pipeline.executors.base import Executor, Outcome, Task, timeout_record, worker_lost_record
from pipeline.executors.worker import peak_rss_mb, worker_name
from pipeline.document import DocumentExtractor
from pipeline.models import Source, failed_record
from pipeline.config_files import config_digest
from pipeline.settings import Settings

CONNECT_TIMEOUT_S = 20
# How often the runner looks for documents past their time limit, and for workers that
# joined or left the cluster (the number of documents in flight follows the threads).
POLL_S = 1.0
REFRESH_WORKERS_S = 5.0

_thread = threading.local()


class SchedulerUnreachable(RunError):
    """--scheduler names no Dask scheduler that answers, or one with no workers."""

    exit_code = 2




def thread_extractor(settings: Settings) -> DocumentExtractor:
    """This worker thread's extractor for these settings (built on first use)."""
    extractor: DocumentExtractor | None = getattr(_thread, "extractor", None)
    if extractor is None or extractor.settings != settings:
        extractor = _thread.extractor = DocumentExtractor(settings)
    return extractor


def worker_settings(settings: Settings, config_digest_wanted: str) -> tuple[Settings, str | None]:
    """The settings as this worker can use them, or why it cannot read documents.

    The runner's --config folder may not exist on this machine: the worker's own shipped
    config stands in, if the form knowledge in effect is the same."""
    config_dir = settings.config_dir
    if config_dir is not None and not config_dir.is_dir():
        config_dir = None
        settings = settings.model_copy(update={"config_dir": config_dir})
    if config_digest(config_dir) != config_digest_wanted:
        where = config_dir if config_dir is not None else "its installed copy"
        return settings, (f"the Dask worker {worker_name()} has other form knowledge ({where}) "
                          "than the runner: install the same version of the project on every "
                          "worker, and give --config a folder every worker mounts at the same path")
    return settings, None


def extract_on_worker(task: dict[str, Any], settings: dict[str, Any], read_path: str,
                      config_digest_wanted: str) -> dict[str, Any]:
    """What a Dask worker runs for one document: JSON dicts in, an Outcome dict out.
    Never raises for a bad document."""
    the_task = Task.model_validate(task)
    the_settings, problem = worker_settings(Settings.model_validate(settings), config_digest_wanted)
    path = Path(read_path)
    if problem is None and not os.path.lexists(path):
        problem = (f"the Dask worker {worker_name()} cannot see {read_path}: inputs must be on "
                   "storage that every worker mounts at the same path")
    if problem is not None:
        records = [failed_record(Source(path=the_task.path, sha256=the_task.sha256), problem)]
    else:
        records = thread_extractor(the_settings).extract_all(path)
    outcome = Outcome(index=the_task.index, records=records, worker=worker_name(),
                      worker_peak_rss_mb=peak_rss_mb())
    return outcome.model_dump(mode="json")


class DaskExecutor(Executor):
    """Tasks on a Dask distributed cluster, as many in flight as the workers have threads."""

    name = "dask"

    def __init__(self, settings: Settings, scheduler: str | None,
                 connect_timeout: float = CONNECT_TIMEOUT_S) -> None:
        super().__init__(settings)
        try:  # an extra: a plain install runs on this machine's processes only
            from distributed import Client
        except ImportError as exc:
            raise MissingExtra("dask", "--executor dask", "distributed") from exc

        if not scheduler:
            raise SchedulerUnreachable("--executor dask needs --scheduler tcp://HOST:8786, the "
                                       "address of a running `dask scheduler`")
        self.scheduler = scheduler
        try:
            self.client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachable(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with "
                "`dask scheduler` and give its address with --scheduler") from exc
        try:
            self.client.wait_for_workers(1, timeout=connect_timeout)
        except (OSError, TimeoutError) as exc:
            self.client.close()
            raise SchedulerUnreachable(
                f"the Dask scheduler at {scheduler} has no workers; start some with "
                f"`dask worker {scheduler} --nthreads 1`") from exc
        self.workers = self._threads()
        self._config_digest = config_digest(settings.config_dir)

    def _threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        settings_json = self.settings.model_dump(mode="json")
        pending: dict[Any, tuple[Task, float]] = {}  # future → (task, deadline)
        finished: queue.Queue[Any] = queue.Queue()  # futures, put there by Dask as they end
        stream = iter(tasks)
        more = True
        refreshed = time.monotonic()
        while True:
            if time.monotonic() - refreshed > REFRESH_WORKERS_S:
                self.workers, refreshed = self._threads(), time.monotonic()
            # No more in flight than threads: a task starts as soon as it is sent, so its
            # time limit counts from then.
            while more and len(pending) < self.workers:
                task = next(stream, None)
                if task is None:
                    more = False
                    break
                future = self.client.submit(
                    extract_on_worker, task.model_dump(mode="json"), settings_json,
                    os.path.abspath(task.path), self._config_digest, pure=False)
                pending[future] = (task, time.monotonic() + self.settings.timeout)
                future.add_done_callback(finished.put)
            if not pending:
                return
            try:
                future = finished.get(timeout=POLL_S)
                if future in pending:  # else: one stopped for its time limit
                    task, _ = pending.pop(future)
                    yield self.outcome(future, task)
            except queue.Empty:
                pass
            now = time.monotonic()
            for future in [f for f, (_, deadline) in pending.items() if deadline < now]:
                task, _ = pending.pop(future)
                self.stop(future)
                yield Outcome(index=task.index, worker="(stopped)",
                              records=[timeout_record(task, self.settings.timeout)])

    def outcome(self, future: Any, task: Task) -> Outcome:
        from distributed import KilledWorker

        try:
            outcome = Outcome.model_validate(future.result())
        except KilledWorker:
            record = worker_lost_record(
                task, "died each time it was tried (out of memory? see the worker's log)")
        except Exception as exc:  # noqa: BLE001 - e.g. the cluster lost the task
            record = worker_lost_record(task, f"failed ({type(exc).__name__}: {exc})")
        else:
            for record in outcome.records:
                record.source.path = task.path  # the path as the runner shows it
            return outcome
        return Outcome(index=task.index, records=[record], worker="(stopped)")

    def stop(self, future: Any) -> None:
        """Drop a task past its time limit and restart the worker still running it."""
        running_on = [w for w, keys in self.client.processing().items() if future.key in keys]
        future.cancel()
        if running_on:  # in the background: a restart takes seconds, the batch goes on
            threading.Thread(target=self._restart, args=(running_on,), daemon=True).start()

    def _restart(self, workers: list[str]) -> None:
        try:
            self.client.restart_workers(workers, raise_for_error=False)
        except Exception:  # noqa: BLE001 - no nanny, or closing: the worker finishes unheard
            pass

    def close(self) -> None:
        # Restarts still under way go on without us (the scheduler carries them out).
        self.client.close()
