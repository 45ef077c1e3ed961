"""Where documents are extracted: one small interface, several executors.

The batch runner (``pipeline/run.py``) hands an executor a stream of :class:`Task` and
reads back one :class:`Outcome` per task, in whatever order they finish; it writes each
record to the ledger as it arrives and puts records.jsonl in input order at the end.

    with make_executor(settings) as executor:
        for outcome in executor.run(tasks):      # tasks: Iterable[Task], read lazily
            ...                                  # outcome.index → outcome.records

The contract every executor keeps:

* every task gives exactly one outcome (with a record per form of the file, at least one); ``run`` never raises because of one document:
  a document that fails, runs past ``settings.timeout`` or kills its worker gives a
  ``failed`` record (use :func:`timeout_record` / :func:`worker_lost_record` so that
  every executor says it the same way);
* ``tasks`` is consumed lazily, a few ahead of the workers, so a run over 100,000
  files neither hashes them all before starting nor holds them all in memory;
* the worker side is :func:`pipeline.executors.worker.extract_task` (one extractor per
  worker process, built once, reused), which measures the worker's peak memory.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from types import TracebackType

from pydantic import BaseModel, ConfigDict

from pipeline.models import Record, Source, failed_record
from pipeline.settings import Settings


class Task(BaseModel):
    """One document to extract. ``index``: its position in the run's input list.
    ``path``: where to read it (a path the workers can open). ``sha256``: as hashed by
    the runner, or None."""

    model_config = ConfigDict(frozen=True)

    index: int
    path: str
    sha256: str | None = None


class Outcome(BaseModel):
    """A task's records (a record per form of the file: one for most files, the one
    failed record of a file that could not be read), and where and with how much memory
    they were made."""

    index: int
    records: list[Record]
    # "host:pid" of the worker process (or "(stopped)").
    worker: str
    # That worker's peak resident memory so far in MB (ru_maxrss); None when unknown
    # (the worker died or was stopped).
    worker_peak_rss_mb: float | None = None
    # Seconds the worker took to start (interpreter, imports, extractor), reported with
    # its first record only: run.json's `start` stage.
    worker_start_seconds: float | None = None


class Executor(ABC):
    """Runs tasks somewhere, yields their outcomes as they finish."""

    name: str
    # How many documents run at the same time (for run.json).
    workers: int

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abstractmethod
    def run(self, tasks: Iterable[Task]) -> Iterator[Outcome]:
        """One outcome per task, in completion order (see the module's contract)."""

    def close(self) -> None:
        """Stop the workers (also after an interrupt); idempotent."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def timeout_record(task: Task, seconds: float) -> Record:
    return failed_record(Source(path=task.path, sha256=task.sha256),
                         f"took longer than {seconds:g} s and was stopped; raise the limit with "
                         "--timeout, or check the file (a huge or damaged scan?)")


def worker_lost_record(task: Task, why: str) -> Record:
    return failed_record(Source(path=task.path, sha256=task.sha256),
                         f"the worker process reading this document {why}; the batch went on "
                         "with a new worker. Run it again with --retry-failed (the same limits "
                         "hold however many files a run has); if it fails again, please report "
                         "it with the file")
