"""atheris harness: the PDF entry point (a PDF's bytes → PDFium / pdfminer → record).
`make fuzz` runs it through fuzz/run.py; by hand:
`python -m fuzz.fuzz_pdf CORPUS_DIR -max_total_time=60`. PDFium is C and uninstrumented:
coverage guidance comes from our readers and from pdfminer (the fallback reader)."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["pipeline", "pdfminer", "pdfplumber"]):
    from fuzz.targets import pdf_document


def test_one_input(data: bytes) -> None:
    pdf_document(data)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
