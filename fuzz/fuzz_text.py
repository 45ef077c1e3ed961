"""atheris harness: the text parser (a .txt report's bytes → record). `make fuzz` runs it
through fuzz/run.py; by hand: `python -m fuzz.fuzz_text CORPUS_DIR -max_total_time=60`."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["pipeline"]):
    from fuzz.targets import text_document


def test_one_input(data: bytes) -> None:
    text_document(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
