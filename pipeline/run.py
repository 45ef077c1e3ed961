"""A batch: every input file to a record, each failure contained, resumable.

The runner hashes each input (sha256), skips what the ledger in records.db says is done
with the same record-making settings (``made_with``: engine, dpi, the form knowledge's
digest, the code's version…; a document done with other ones is read again, and run.json
says how many and why; ``settings.force`` redoes all, ``settings.retry_failed`` the failed
ones), hands the
rest to an executor (worker processes by default, see ``pipeline/executors``), writes each
record to records.db as it arrives (one transaction per document) and, at the end, writes
records.jsonl (one line per input, in input order) and run.json.

A file holding several forms (a workbook's sheets, a document's forms one after the other)
gives a record per form, each naming its part (``source.part``): the file is the unit of
work (read, skipped, redone as a whole), its records are written together in one
transaction, each a row of records.db keyed by (sha256, part), each a line of records.jsonl.

The same content at two paths (identical files) is extracted once: both inputs get their
lines in records.jsonl, each under its own path; records.db keeps one copy per sha256.
(Same bytes under two types, a PDF renamed .txt, are read as the first path's type.)
A file refused before it is read (unsupported type, empty, not a regular file, not
readable, a link out of the input folder) has no sha256: its record is keyed by path and
it is looked at again by every run, which costs nothing.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import platform
import resource
import stat
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel
from tqdm import tqdm

from pipeline.checks.calibration import load_calibration, load_calibration_config
from pipeline.config_files import config_digest
from pipeline.errors import DocumentError
from pipeline.executors import Task, make_executor
from pipeline.document import unsupported_reason
from pipeline.hashing import sha256_of
from pipeline.limits import check_file
from pipeline.logs import package_version
from pipeline.models import SCHEMA_VERSION, Record, Source, failed_record
from pipeline.output.corrections import carry_corrections
from pipeline.output.writers import OutputFolder
from pipeline.settings import Limits, Settings
from pipeline.template.catalogue import Catalogue, load_catalogue
from pipeline.textform.vocab import load_text_config
from pipeline.tuning import load_tuning

log = logging.getLogger(__name__)

SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
# Files that mark a folder as an earlier run's OUT (pipeline/output/writers.py).
OUTPUT_MARKERS = ("records.db", "run.json")
STDIN = Path("-")  # text pasted on standard input
FILE_KINDS = {stat.S_ISFIFO: "a named pipe", stat.S_ISSOCK: "a socket",
              stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
              stat.S_ISDIR: "a folder"}


@dataclass(frozen=True)
class InputFile:
    """One input: where it is, and why it will not be read when discovery already knows."""

    path: Path
    problem: str | None = None

    @property
    def shown(self) -> str:
        """The path as records show it (``source.path``): see :func:`shown_path`."""
        return shown_path(self.path)


def shown_path(path: Path) -> str:
    """``path`` as text that UTF-8 can hold. A name that is not valid UTF-8 (a GBK name
    from a Windows zip) reaches Python as lone surrogates, which no UTF-8 writer (SQLite,
    records.jsonl) accepts; its undecodable bytes are shown as ``\\xNN`` instead."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


class RecordSink(Protocol):
    """Another place every record of the run goes to (e.g. PostgreSQL, ``--db``): a
    file's records (a record per form) together, replacing what it held of the file."""

    def write_file(self, records: Sequence[Record]) -> Any: ...

    def close(self) -> None: ...


class RunSummary(BaseModel):
    documents: int
    # Records by status: a file holding several forms has a record each.
    status: dict[str, int]
    records: int = 0
    extracted: int
    skipped: int
    # Of the skipped documents, those that had failed (--retry-failed redoes them).
    skipped_failed: int
    duplicates: int
    # Documents the ledger held that were read again, and the settings that differed.
    redone: int = 0
    redone_because: dict[str, int] = {}


# --------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------


def is_inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def is_output_folder(path: str) -> bool:
    """A folder an earlier run wrote (records.db and run.json): its files are not reports."""
    return all(os.path.isfile(os.path.join(path, name)) for name in OUTPUT_MARKERS)


def unreadable_folder(error: OSError) -> InputFile:
    """A folder that cannot be listed: an input with a problem, so that its files' absence
    is said in a record rather than silent."""
    reason = ("permission denied; check its permissions or run as a user who may read it"
              if isinstance(error, PermissionError) else (error.strerror or str(error)))
    return InputFile(Path(error.filename), f"cannot read the folder ({reason}): the files in "
                                           "it were not read")


def walk_folder(root: Path, follow_symlinks: bool, exclude: Path | None) -> list[InputFile]:
    """Every file under ``root`` (hidden files and folders, ``exclude`` and earlier output
    folders left out).

    A symbolic link found here (to a file or a folder) that leads out of ``root`` is not
    followed unless ``follow_symlinks``: it becomes an input with a problem, so the record
    says why; so does a folder that cannot be listed."""
    root_real = os.path.realpath(root)
    excluded = os.path.realpath(exclude) if exclude is not None else None
    found: list[InputFile] = []
    seen: set[tuple[int, int]] = set()  # folders already walked: links may make cycles
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_symlinks,
                                                onerror=lambda e: found.append(unreadable_folder(e))):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        kept = []
        for name in dirnames:
            path = os.path.join(dirpath, name)
            real = os.path.realpath(path)
            if name.startswith(".") or real == excluded or is_output_folder(path):
                continue
            if os.path.islink(path) and not follow_symlinks:
                # os.walk does not enter it; a link inside root leads to files walked anyway.
                if not is_inside(real, root_real):
                    found.append(InputFile(Path(path), (
                        f"symbolic link to the folder {real}, outside the input folder: not "
                        "followed; give --follow-symlinks to read the files in it")))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if name in SKIPPED_NAMES or name.startswith("."):
                continue
            path = Path(dirpath, name)
            problem = None
            if path.is_symlink():
                target = os.path.realpath(path)
                if not os.path.exists(target):
                    problem = (f"broken symbolic link (it points to {os.readlink(path)}, which "
                               "does not exist)")
                elif not follow_symlinks and not is_inside(target, root_real):
                    problem = (f"symbolic link to {target}, outside the input folder: not followed; "
                               "give --follow-symlinks to read it")
            found.append(InputFile(path, problem))
    return sorted(found, key=lambda f: f.path)


def discover_inputs(paths: Iterable[Path], follow_symlinks: bool = False,
                    exclude: Path | None = None) -> list[InputFile]:
    """Files given, and every file under folders given, in a stable (sorted) order.
    A file named explicitly is read as given, even a link; ``exclude`` (the output folder)
    is never read as input, nor is a folder an earlier run wrote to."""
    found: list[InputFile] = []
    for path in paths:
        if path != STDIN and path.is_dir() and is_output_folder(str(path)):
            continue
        if path != STDIN and path.is_dir():
            found += walk_folder(path, follow_symlinks, exclude)
        else:
            found.append(InputFile(path))
    return found


def fingerprint(path: Path, limits: Limits | None = None) -> tuple[str | None, str | None]:
    """(sha256, None), or (None, why the file cannot be read): missing, not a regular
    file (never opened: a named pipe would block), empty, over ``limits.max_file_bytes``
    (by its size: an 8 GB file is refused without being read), or not readable."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None, "file not found (was it moved or deleted during the run?)"
    except OSError as exc:
        return None, f"cannot read the file ({exc.strerror or exc}); check its permissions"
    for is_kind, kind in FILE_KINDS.items():
        if is_kind(st.st_mode):
            return None, f"not a regular file ({kind}): nothing to read"
    if st.st_size == 0:
        return None, "empty file (0 bytes): nothing to read; check how it was copied"
    if limits is not None:
        try:
            check_file(path, limits)
        except DocumentError as exc:
            return None, str(exc)
    try:
        return sha256_of(path), None
    except PermissionError:
        return None, ("cannot read the file (permission denied); check its permissions or run "
                      "as a user who may read it")
    except OSError as exc:
        return None, f"cannot read the file ({exc.strerror or exc})"


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("pdfplumber", "pypdfium2", "rapidfuzz", "pydantic", "opencc", "pebble"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def batch_settings(settings: Settings, documents: int) -> Settings:
    """OCR threads per engine so that workers × threads ≈ the machine's cores."""
    workers = min(settings.workers, max(documents, 1))
    # On a Dask cluster the workers' machines are not this one: engines keep their default.
    if settings.ocr_threads is not None or workers <= 1 or settings.executor == "dask":
        return settings
    return settings.model_copy(update={"ocr_threads": max(1, (os.cpu_count() or 1) // workers)})


def redo(status: str | None, settings: Settings) -> bool:
    """Whether a document the ledger holds (with this status) is extracted again."""
    return status is None or settings.force or (settings.retry_failed and status == "failed")


def made_with(settings: Settings) -> dict[str, Any]:
    """The settings a record depends on, as the ledger keeps them beside it: a document
    done with other ones is read again. (Workers, timeouts and limits change whether a
    document finishes, not what its record says, and so does a --password: --retry-failed
    is for those.)"""
    return {"engine": settings.ocr_engine, "dpi": settings.dpi,
            "config": config_digest(settings.config_dir)[:16],
            "code": f"{package_version()} schema {SCHEMA_VERSION}",
            **settings.model_dump(include={"max_garbage_ratio", "text_layer_confidence",
                                           "review_threshold", "calibrate", "second_opinion"})}


def settings_changed(stored: str | None, current: dict[str, Any]) -> list[str]:
    """The settings that differ between a stored record's ``made_with`` and this run's
    (``["unrecorded"]``: a record from a version that did not keep them)."""
    if stored is None:
        return ["unrecorded"]
    before = json.loads(stored)
    return sorted(k for k in current.keys() | before.keys() if before.get(k) != current.get(k))


class Batch:
    """The state of one run: what each input became, counts, worker memory."""

    def __init__(self, inputs: list[InputFile], folder: OutputFolder, settings: Settings,
                 sinks: Sequence[RecordSink], bar: tqdm, stdin_dir: Path) -> None:
        self.inputs = inputs
        self.folder = folder
        self.settings = settings
        self.sinks = sinks
        self.bar = bar
        self.stdin_dir = stdin_dir
        self.done = folder.ledger()
        self.made_with = made_with(settings)
        self.made_with_json = json.dumps(self.made_with, sort_keys=True)
        # Documents of the ledger read again, and why (a changed setting, --force…).
        self.redone = 0
        self.redone_because: Counter[str] = Counter()
        # Per input, the key of its record in the ledger: (path shown, sha256).
        self.entries: list[tuple[str, str | None] | None] = [None] * len(inputs)
        self.first_with: dict[str, int] = {}     # sha256 → first input with that content
        self.waiting: dict[str, list[int]] = {}  # sha256 → later inputs awaiting its record
        # sha256 hashed by the runner → (sha256 of the stored records, their statuses, pages).
        self.made: dict[str, tuple[str | None, tuple[str, ...], int]] = {}
        self.status: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.stage_seconds: Counter[str] = Counter()
        self.pages = 0
        self.worker_peaks: dict[str, float] = {}
        self.in_flight: dict[int, str | None] = {}  # input index → sha256 hashed by the runner
        self.executor: dict[str, Any] | None = None   # none started when nothing needed it

    def read_path(self, item: InputFile) -> Path:
        if item.path != STDIN:
            return item.path
        path = self.stdin_dir / "stdin.txt"
        # One byte past the text limit is enough for the reader to refuse it; the rest of
        # an endless or huge stream is never held.
        path.write_bytes(sys.stdin.buffer.read(self.settings.limits.max_text_bytes + 1))
        return path

    def settle(self, index: int, sha256: str | None, statuses: tuple[str, ...], pages: int,
               how: str) -> None:
        """Input ``index`` has its records in the ledger, under ``sha256`` (or its path)."""
        self.entries[index] = (self.inputs[index].shown, sha256)
        self.status.update(statuses)
        self.counts["records"] += len(statuses)
        self.counts[how] += 1
        if how == "skipped" and "failed" in statuses:
            self.counts["skipped_failed"] += 1
        self.pages += pages
        self.bar.update(1)
        self.bar.set_postfix_str(f"failed {self.status['failed']}, skipped {self.counts['skipped']}",
                                 refresh=False)

    def to_sinks(self, records: Sequence[Record]) -> None:
        for sink in self.sinks:
            sink.write_file(records)

    def settle_copies(self, sha256: str) -> None:
        """Inputs with the same content as one already settled share its records."""
        stored_sha256, statuses, pages = self.made[sha256]
        for index in self.waiting.pop(sha256, []):
            self.settle(index, stored_sha256, statuses, pages, "duplicates")

    def tasks(self) -> Iterator[Task]:
        """The inputs that need extracting; the others are settled on the way."""
        for index, item in enumerate(self.inputs):
            path = self.read_path(item)
            # Refused before hashing: such files are keyed by path, never shared as copies
            # (the same bytes as x.txt and x.dat are not the same document).
            problem = item.problem or unsupported_reason(path)
            sha256, problem = (None, problem) if problem else fingerprint(path, self.settings.limits)
            if sha256 is not None and sha256 in self.first_with:
                self.waiting.setdefault(sha256, []).append(index)
                if sha256 in self.made:  # else: settled when the first one's record comes
                    self.settle_copies(sha256)
                continue
            if sha256 is not None:
                self.first_with[sha256] = index
                done = self.done.get(sha256)
                changed = settings_changed(done.made_with, self.made_with) if done is not None else []
                if done is not None and not changed and not redo(done.status, self.settings):
                    self.settle(index, sha256, done.statuses, done.pages, "skipped")
                    self.made[sha256] = (sha256, done.statuses, done.pages)
                    if self.sinks:  # the other databases may lack what an earlier run did
                        self.to_sinks(self.folder.stored_all(sha256, item.shown))
                    continue
                if done is not None:
                    self.count_redone(index, changed or ["force" if self.settings.force else "retry_failed"])
            if problem:  # refused without a worker: nothing to extract
                self.record_done(index, [failed_record(Source(path=item.shown, sha256=sha256), problem)])
                continue
            self.in_flight[index] = sha256
            yield Task(index=index, path=str(path), sha256=sha256)

    def count_redone(self, index: int, because: list[str]) -> None:
        self.redone += 1
        self.redone_because.update(because)
        log.debug("%s: done in an earlier run, read again (%s)", self.inputs[index].shown,
                  ", ".join(because))

    def record_done(self, index: int, records: list[Record]) -> None:
        """A file's records made in this run (a record per form): into the ledger
        together, then settled with its copies."""
        hashed = self.in_flight.get(index)
        for record in records:
            record.source.path = self.inputs[index].shown
            if record.source.sha256 is None and hashed is not None:
                # Refused by its worker before it hashed the file (a limit it checks first):
                # keyed by the runner's hash, where the copies of this content look for it.
                record.source.sha256 = hashed
        first = records[0].source
        started = time.perf_counter()
        if not self.settings.force and first.sha256 is not None:
            # Read again (other settings): a person's corrections of each earlier record
            # stay, on the record of the same form (part).
            knowledge: tuple[Catalogue, list[str]] | None = None  # the config's, read once
            for record in records:
                if record.status == "failed":
                    continue
                earlier = self.folder.stored(first.sha256, first.path, record.source.part)
                if earlier is not None and earlier.corrections:
                    if knowledge is None:
                        config_dir = self.settings.config_dir
                        equations = load_calibration_config(config_dir).equations
                        knowledge = (load_catalogue(config_dir), equations)
                    carry_corrections(earlier, record, *knowledge)
        self.to_sinks(records)
        self.folder.write_file(records, self.made_with_json)  # the ledger last: done only once everywhere
        self.stage_seconds["output"] += time.perf_counter() - started
        for record in records:
            self.stage_seconds.update(record.timings)
        statuses = tuple(r.status for r in records)
        self.settle(index, first.sha256, statuses, first.pages, "extracted")
        # Copies wait under the sha256 the runner hashed (the file may have changed since).
        sha256 = self.in_flight.pop(index, None) or first.sha256
        if sha256 is not None:
            self.made[sha256] = (first.sha256, statuses, first.pages)
            self.settle_copies(sha256)

    def run(self) -> None:
        """Extract what needs it; settle every input."""
        stream = self.tasks()
        first = next(stream, None)  # inputs before it are settled; maybe all of them
        if first is None:
            return
        remaining = len(self.inputs) - first.index
        self.settings = batch_settings(self.settings, remaining)
        with make_executor(self.settings, remaining) as executor:
            self.executor = {"name": executor.name, "workers": executor.workers}
            for outcome in executor.run(itertools.chain([first], stream)):
                if outcome.worker_peak_rss_mb is not None:
                    self.worker_peaks[outcome.worker] = max(
                        outcome.worker_peak_rss_mb, self.worker_peaks.get(outcome.worker, 0.0))
                if outcome.worker_start_seconds is not None:
                    self.stage_seconds["start"] += outcome.worker_start_seconds
                self.record_done(outcome.index, outcome.records)


def run_info(batch: Batch, settings: Settings, seconds: float) -> dict[str, Any]:
    peaks = batch.worker_peaks
    return {
        "schema_version": SCHEMA_VERSION,
        "documents": len(batch.inputs),
        # A record per form: a file holding several gives several (status counts records).
        "records": batch.counts["records"],
        "status": dict(batch.status),
        "extracted": batch.counts["extracted"],
        "skipped": batch.counts["skipped"],
        "duplicates": batch.counts["duplicates"],
        # Documents the ledger held that were read again: the settings that differed from
        # the ones that made their records (or force / retry_failed), each with its count.
        "redone": {"documents": batch.redone, "because": dict(sorted(batch.redone_because.items()))},
        "made_with": batch.made_with,
        "pages": batch.pages,
        "seconds": round(seconds, 3),
        "stage_seconds": {k: round(v, 3) for k, v in batch.stage_seconds.items()},
        "executor": batch.executor,
        "worker_peak_rss_mb": {"max": max(peaks.values(), default=None), "per_worker": peaks},
        "runner_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "limits": {"timeout_s": settings.timeout, "max_worker_memory_mb": settings.max_worker_memory_mb,
                   **settings.limits.model_dump(mode="json")},
        "engine": settings.ocr_engine,
        # Secrets are never written: run.json is shared with whoever checks the results.
        "settings": {**settings.model_dump(mode="json", exclude={"password"}),
                     "password": "(given, not written)" if settings.password else None},
        "versions": package_versions(),
    }


def run_batch(inputs: list[InputFile], out: Path, settings: Settings, progress: bool = True,
              sinks: Sequence[RecordSink] = ()) -> RunSummary:
    """Extract every input into ``out``; a re-run over the same ``out`` skips what is done."""
    started = time.perf_counter()
    check_config(settings.config_dir)
    with OutputFolder(out) as folder, tempfile.TemporaryDirectory() as stdin_dir, \
            tqdm(total=len(inputs), desc="extract", unit="doc", disable=not progress) as bar:
        batch = Batch(inputs, folder, settings, sinks, bar, Path(stdin_dir))
        batch.run()
        entries = [e for e in batch.entries if e is not None]
        assert len(entries) == len(inputs), "every input is settled before the run ends"
        folder.finish(entries, run_info(batch, batch.settings, time.perf_counter() - started))
    changed = set(batch.redone_because) - {"force", "retry_failed"}
    if changed:
        log.info(f"{batch.redone} documents done in an earlier run with other settings "
                 f"({', '.join(sorted(changed))}) were read again")
    write_review(out, settings)
    return RunSummary(documents=len(inputs), status=dict(batch.status),
                      records=batch.counts["records"],
                      extracted=batch.counts["extracted"], skipped=batch.counts["skipped"],
                      skipped_failed=batch.counts["skipped_failed"],
                      duplicates=batch.counts["duplicates"], redone=batch.redone,
                      redone_because=dict(batch.redone_because))


def check_config(config_dir: Path | None) -> None:
    """Every config file read and validated now, so that a mistake in a user's --config
    folder stops the run with a message naming the file and key (ConfigError, a RunError)
    rather than failing each document in its worker."""
    load_catalogue(config_dir)
    load_text_config(config_dir)
    load_calibration(config_dir)
    load_tuning(config_dir)


def write_review(out: Path, settings: Settings) -> None:
    """review.html from the run's records.jsonl (pipeline/output/review_page.py)."""
    # --- review page hook: built from the final records.jsonl, after the ledger is complete.
    from pipeline.output.review_page import write_review_page_from_folder

    write_review_page_from_folder(out, settings.password, settings.workers)
