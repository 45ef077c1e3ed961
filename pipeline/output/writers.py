"""The output folder: records.jsonl, records.db, run.json (see shared/spec/record.md).

Files are written under temporary names and renamed when complete, so a run that dies
leaves no half-written file behind.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.errors import OutputNotWritable
from pipeline.models import Record
from pipeline.output.sqlite import insert_record, open_db


class OutputFolder:
    """Writes records as they come; `close` makes the files final."""

    def __init__(self, out: Path) -> None:
        try:
            out.mkdir(parents=True, exist_ok=True)
            self.out = out
            self.jsonl_tmp = out / ".records.jsonl.tmp"
            self.db_tmp = out / ".records.db.tmp"
            for tmp in (self.jsonl_tmp, self.db_tmp):
                tmp.unlink(missing_ok=True)
            self.jsonl = open(self.jsonl_tmp, "w", encoding="utf-8")
            self.db = open_db(self.db_tmp)
        except OSError as exc:
            raise OutputNotWritable(f"cannot write to {out}: {exc.strerror}; "
                                    "choose another folder with --out") from exc

    def write(self, record: Record) -> None:
        self.jsonl.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
        self.jsonl.flush()
        insert_record(self.db, record)

    def close(self, run_info: dict[str, Any]) -> None:
        self.jsonl.close()
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.close()
        os.replace(self.jsonl_tmp, self.out / "records.jsonl")
        os.replace(self.db_tmp, self.out / "records.db")
        run_tmp = self.out / ".run.json.tmp"
        run_tmp.write_text(json.dumps(run_info, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(run_tmp, self.out / "run.json")

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.jsonl.closed:
            self.jsonl.close()
