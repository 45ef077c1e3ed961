"""The output folder: records.db, records.jsonl, run.json (see docs/record-contract.md).

records.db is written as documents finish, one transaction each (see ``sqlite.py``): it is
the run's ledger and the one source of truth. records.jsonl and run.json are derived from
it at the end of a run, written under temporary names and renamed: a run killed at any
moment leaves the previous complete records.jsonl (or none) and a valid database holding
every document finished before the kill; the next run skips those and rebuilds
records.jsonl with one line per input, in input order. (Appending lines as documents
finish would show progress in the file, but a --force re-run or several workers finishing
out of order would then need the file rewritten anyway, and a kill could leave a torn
last line.)

One run at a time per folder: a second run on the same OUT is refused while the first
holds the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pipeline.errors import OutputNotWritable
from pipeline.models import Record
from pipeline.output.sqlite import (
    Done,
    ledger,
    open_db,
    stored_record_json,
    stored_record_jsons,
    write_file_records,
    write_record,
)

RECORDS_JSONL = "records.jsonl"
RECORDS_DB = "records.db"
RUN_JSON = "run.json"
LOCK_NAME = ".run.lock"


def not_writable(out: Path, exc: BaseException) -> OutputNotWritable:
    reason = getattr(exc, "strerror", None) or str(exc)
    return OutputNotWritable(f"cannot write to {out}: {reason}; choose another folder with --out")


def replace_atomically(target: Path, lines: Iterable[str]) -> None:
    """Write ``lines`` to a temporary name beside ``target``, flush to disk, rename."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        # A full disk (or Ctrl-C) leaves the previous complete file, not a partial one too.
        tmp.unlink(missing_ok=True)
        raise


class OutputFolder:
    """OUT for one run: the ledger now, records.jsonl and run.json at ``finish``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._lock: IO[str] | None = None
        try:
            out.mkdir(parents=True, exist_ok=True)
            self._lock = open(out / LOCK_NAME, "w", encoding="ascii")
        except OSError as exc:
            raise not_writable(out, exc) from exc
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._lock.close()
            raise OutputNotWritable(f"another run is writing to {out}; wait for it to finish "
                                    "or choose another folder with --out") from exc
        try:
            self.db = open_db(out / RECORDS_DB)
        except sqlite3.Error as exc:
            self.release()
            raise not_writable(out, exc) from exc
        except OutputNotWritable:
            self.release()
            raise

    def ledger(self) -> dict[str, Done]:
        """sha256 → (statuses, pages, settings) of every file already done in this folder."""
        return ledger(self.db)

    def write(self, record: Record, made_with: str | None = None) -> None:
        """One record's rows (its file's form ``source.part``), replacing earlier ones, in
        one transaction."""
        try:
            write_record(self.db, record, made_with)
        except sqlite3.Error as exc:
            raise not_writable(self.out, exc) from exc

    def write_file(self, records: Sequence[Record], made_with: str | None = None) -> None:
        """A file's records (a record per form), replacing all its earlier rows, in one
        transaction."""
        try:
            write_file_records(self.db, records, made_with)
        except sqlite3.Error as exc:
            raise not_writable(self.out, exc) from exc

    def stored(self, sha256: str | None, path: str, part: str | None = None) -> Record | None:
        """The stored record of the file's form ``part`` (None: its one form)."""
        text = stored_record_json(self.db, sha256, path, part)
        return None if text is None else Record.model_validate_json(text)

    def stored_all(self, sha256: str | None, path: str) -> list[Record]:
        """Every stored record of the file, a record per form, in the file's order."""
        return [Record.model_validate_json(t) for t in stored_record_jsons(self.db, sha256, path)]

    def record_lines(self, entries: Iterable[tuple[str, str | None]]) -> Iterable[str]:
        """A JSON line per record of each (path, sha256) entry (a record per form of the
        file, in the file's order), from the ledger, under that path."""
        for path, sha256 in entries:
            texts = stored_record_jsons(self.db, sha256, path)
            if not texts:  # cannot happen: every entry was written or found done
                raise RuntimeError(f"no record stored for {path} ({sha256})")
            for text in texts:
                data = json.loads(text)
                data["source"]["path"] = path  # the same content may have been read elsewhere
                yield json.dumps(data, ensure_ascii=False) + "\n"

    def finish(self, entries: Iterable[tuple[str, str | None]], run_info: dict[str, Any]) -> None:
        """records.jsonl (one line per entry, in order) and run.json, each renamed into
        place when complete; the database left as one self-contained file."""
        try:
            replace_atomically(self.out / RECORDS_JSONL, self.record_lines(entries))
            replace_atomically(self.out / RUN_JSON,
                               [json.dumps(run_info, ensure_ascii=False, indent=1) + "\n"])
        except (OSError, sqlite3.Error) as exc:
            raise not_writable(self.out, exc) from exc
        self.fold_wal()

    def fold_wal(self) -> None:
        """Leave records.db as one self-contained file (the next run reopens it in WAL
        mode). Not possible while another program has it open: it then stays in WAL
        mode, which is just as valid."""
        try:
            self.db.execute("PRAGMA busy_timeout=2000")
            self.db.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError:
            pass

    def release(self) -> None:
        if self._lock is not None and not self._lock.closed:
            self._lock.close()  # closing the file releases the lock

    def close(self) -> None:
        self.db.close()
        self.release()

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
