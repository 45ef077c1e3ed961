"""The worker side of every executor: one extractor per process, built once and reused.

``extract_task`` is what a worker runs for each document; it is a plain module-level
function so that any executor (a local process pool, Dask workers) can ship it by name.
``start_worker`` is the local pool's initializer: it builds the extractor before the first
document and starts a watchdog thread that stops the process when it outgrows its memory
limit while reading a document, or when the runner that started it has died.
"""

from __future__ import annotations

import os
import resource
import socket
import threading
import time
from pathlib import Path

from pipeline.executors.base import Outcome, Task
from pipeline.document import DocumentExtractor
from pipeline.logs import configure_worker_logging
from pipeline.settings import Settings

# Exit codes of a worker stopped by its watchdog (the runner reads them back).
EXIT_MEMORY = 86
EXIT_ORPHANED = 87
WATCH_INTERVAL = 0.25  # seconds between two looks at the worker's memory

_extractor: DocumentExtractor | None = None
_start_seconds: float | None = None  # this process's start-up, until reported once
_busy = threading.Event()  # set while a document is being read


def extractor_for(settings: Settings) -> DocumentExtractor:
    """This process's extractor for these settings (built on first use)."""
    global _extractor
    if _extractor is None or _extractor.settings != settings:
        _extractor = DocumentExtractor(settings)
    return _extractor


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, MB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mb() -> float | None:
    """This process's resident memory now, MB (None where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            resident_pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def process_age() -> float | None:
    """Seconds since this process started (Linux: /proc), None where unknown."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            started = int(fh.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return round(max(0.0, uptime - started), 3)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def extract_task(task: Task, settings: Settings) -> Outcome:
    """Extract one document in this worker; never raises for a bad document."""
    global _start_seconds
    extractor = extractor_for(settings)
    _busy.set()
    try:
        records = extractor.extract_all(Path(task.path))
    finally:
        _busy.clear()
    start, _start_seconds = _start_seconds, None
    return Outcome(index=task.index, records=records, worker=worker_name(),
                   worker_peak_rss_mb=peak_rss_mb(), worker_start_seconds=start)


def _watch(max_memory_mb: int | None, runner_pid: int) -> None:
    while True:
        time.sleep(WATCH_INTERVAL)
        if os.getppid() != runner_pid:
            # The runner was killed (SIGKILL leaves no chance to stop us): nobody will
            # read this document's record, so stop rather than run on for minutes.
            os._exit(EXIT_ORPHANED)
        # Only while a document is read: a limit below the idle process's own size
        # must fail documents, not make the pool restart workers for ever.
        if max_memory_mb and _busy.is_set():
            rss = current_rss_mb()
            if rss is not None and rss > max_memory_mb:
                os._exit(EXIT_MEMORY)


def start_worker(settings: Settings, runner_pid: int) -> None:
    """Initializer of a local worker process: extractor now, then the watchdog."""
    global _start_seconds
    configure_worker_logging()
    extractor_for(settings)
    _start_seconds = process_age()
    threading.Thread(target=_watch, args=(settings.max_worker_memory_mb, runner_pid),
                     name="worker-watchdog", daemon=True).start()
