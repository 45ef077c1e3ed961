"""Shrink a crashing input to commit it as a small regression case.

    python -m fuzz.minimize {text,pdf} CRASH_FILE OUT_FILE [--seconds 300]

Deletes chunks (halving their size) while the target still raises the same exception
type from the same place (file and line of the innermost frame). libFuzzer's own
-minimize_crash needs to re-run the target binary, which atheris does not support.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from fuzz.targets import pdf_document, text_document

TARGETS: dict[str, Callable[[bytes], object]] = {"text": text_document, "pdf": pdf_document}


def signature(target: Callable[[bytes], object], data: bytes) -> tuple[str, str, int] | None:
    """(exception type, file, line) of what the input raises; None if it passes."""
    try:
        target(data)
    except Exception as exc:  # noqa: BLE001 - any escape is the crash being minimised
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return type(exc).__name__, frame.filename, frame.lineno or 0
    return None


def minimize(target: Callable[[bytes], object], data: bytes, seconds: float) -> bytes:
    wanted = signature(target, data)
    if wanted is None:
        raise SystemExit("the input does not crash the target")
    deadline = time.monotonic() + seconds
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        start, shrunk = 0, False
        while start < len(data) and time.monotonic() < deadline:
            candidate = data[:start] + data[start + chunk:]
            if candidate and signature(target, candidate) == wanted:
                data, shrunk = candidate, True
            else:
                start += chunk
        if not shrunk:
            chunk //= 2
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("crash", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seconds", type=float, default=300)
    args = parser.parse_args(argv)
    data = args.crash.read_bytes()
    small = minimize(TARGETS[args.target], data, args.seconds)
    args.out.write_bytes(small)
    print(f"{len(data)} → {len(small)} bytes: {signature(TARGETS[args.target], small)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
