"""A write that fails half-way (a full disk) leaves the previous complete file and no
partial temporary file beside it (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.output.writers import replace_atomically


def test_a_failed_write_leaves_no_partial_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "records.jsonl"
    target.write_text("previous\n")

    def lines() -> Iterator[str]:
        yield "one\n"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        replace_atomically(target, lines())
    assert target.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.jsonl"]
