"""Logging for the command line: the level (-v, -q), an optional log file (--log-file),
and the same set-up in the worker processes a batch starts (they are spawned, so they
inherit it through the environment, not through the parent's handlers)."""

from __future__ import annotations

import logging
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DISTRIBUTION = "jixiao-pipeline"
# What a worker process reads to set itself up as the command did.
LEVEL_ENV, FILE_ENV = "JIXIAO_LOG_LEVEL", "JIXIAO_LOG_FILE"
FILE_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
# A command's result (the counts at the end of a run): shown even with -q, which hides
# the other informational messages and the progress bar.
SUMMARY = 25
logging.addLevelName(SUMMARY, "SUMMARY")


def package_version() -> str:
    """The installed distribution's version ("unknown" when run from a bare checkout)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


def level_for(verbose: int, quiet: bool) -> int:
    """-q: the result, warnings and errors; default: what the run did; -v: details, tracebacks."""
    if quiet:
        return SUMMARY
    return logging.DEBUG if verbose else logging.INFO


def configure_logging(level: int, log_file: Path | None = None) -> None:
    """Messages at ``level`` on stderr as plain lines; with ``log_file``, every message
    (from DEBUG) appended to it with time, process and logger, for a nightly job."""
    root = logging.getLogger()
    # Only the handlers an earlier call added go (a test's or an embedding program's stay).
    for handler in [h for h in root.handlers if getattr(h, "jixiao", False)]:
        root.removeHandler(handler)
        handler.close()
    console = logging.StreamHandler(sys.stderr)
    console.jixiao = True  # type: ignore[attr-defined]
    console.setLevel(level)
    console.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(console)
    root.setLevel(logging.DEBUG if log_file is not None else level)
    os.environ[LEVEL_ENV] = logging.getLevelName(level)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.jixiao = True  # type: ignore[attr-defined]
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter(FILE_FORMAT))
        root.addHandler(handler)
        os.environ[FILE_ENV] = str(log_file.resolve())
    else:
        os.environ.pop(FILE_ENV, None)
    # Libraries' chatter stays out of the user's terminal unless asked for.
    for noisy in ("pdfminer", "PIL", "distributed", "asyncio"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def configure_worker_logging() -> None:
    """In a worker process: the command's set-up, if a command made one."""
    level = os.environ.get(LEVEL_ENV)
    if level is None:
        return
    log_file = os.environ.get(FILE_ENV)
    configure_logging(logging.getLevelName(level), Path(log_file) if log_file else None)
