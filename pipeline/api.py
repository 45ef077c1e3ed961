"""The Python API: one document to a record, or a batch into an output folder.

    import pipeline

    record = pipeline.extract("reports/a.pdf")                  # str or Path
    record = pipeline.extract(pdf_bytes, name="a.pdf")          # bytes or a binary file
    record = pipeline.extract("b.txt", config="my-config", engine="tesseract")
    records = pipeline.extract_all("two-projects.xlsx")         # a record per form of the file
    summary = pipeline.extract_batch(["reports/", "c.xlsx"], out="out")

Options are the fields of :class:`pipeline.settings.Settings` (``engine`` and ``config``
are short for ``ocr_engine`` and ``config_dir``). A document that cannot be read gives a
record with ``status == "failed"`` and an ``error`` saying why, as the command does; a
wrong option or a config folder that does not validate raises (TypeError, ConfigError).
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from pipeline.document import DocumentExtractor
from pipeline.models import Record
from pipeline.run import RunSummary, check_config, discover_inputs, run_batch
from pipeline.settings import Settings

PathLike = str | os.PathLike[str]
Document = PathLike | bytes | bytearray | memoryview | IO[bytes]
# Short names of the options people give most.
OPTION_ALIASES = {"engine": "ocr_engine", "config": "config_dir"}
# What bytes with no name are, by their first bytes (office zips by their parts).
MAGIC_SUFFIXES = ((b"%PDF", ".pdf"), (b"\x89PNG", ".png"), (b"\xff\xd8\xff", ".jpg"),
                  (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"), (b"\xd0\xcf\x11\xe0", ".xls"))


def settings_from(options: dict[str, Any]) -> Settings:
    """Settings from keyword options; an unknown name is a TypeError naming the known ones."""
    fields = {OPTION_ALIASES.get(k, k): v for k, v in options.items()}
    unknown = sorted(set(fields) - set(Settings.model_fields))
    if unknown:
        raise TypeError(f"unknown option {', '.join(unknown)}; options are "
                        f"{', '.join([*OPTION_ALIASES, *Settings.model_fields])}")
    if fields.get("config_dir") is not None:
        fields["config_dir"] = Path(fields["config_dir"])
    return Settings(**fields)


@lru_cache(maxsize=4)
def extractor_for(settings: Settings) -> DocumentExtractor:
    """One extractor per settings, kept: its OCR engine and form knowledge load once."""
    check_config(settings.config_dir)
    return DocumentExtractor(settings)


def suffix_of(data: bytes) -> str:
    """The file type of unnamed bytes: PDF, image, Excel/Word (by the zip's parts), HTML, else text."""
    for magic, suffix in MAGIC_SUFFIXES:
        if data.startswith(magic):
            return suffix
    if data.startswith(b"PK"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return ".zip"
        return ".docx" if any(n.startswith("word/") for n in names) else ".xlsx"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return ".html"
    return ".txt"


def extract(document: Document, *, name: str | None = None, **options: Any) -> Record:
    """The record of one document: a path (``str`` or ``Path``), its bytes, or a binary
    file object. ``name`` (for bytes and file objects) gives the file's name, whose
    suffix says its type (else it is told from the bytes) and which ``source.path`` shows.
    A file holding several forms (a workbook's sheets…) gives its first form's record,
    with a failing ``one_form_per_file`` check naming the others: :func:`extract_all`
    gives them all."""
    from pipeline.document import one_of_several
    return one_of_several(extract_all(document, name=name, **options))


def extract_all(document: Document, *, name: str | None = None, **options: Any) -> list[Record]:
    """A record per form of one document (as :func:`extract` takes it): one for most
    files, several for a workbook or document holding several forms, each naming its part
    (``source.part``)."""
    extractor = extractor_for(settings_from(options))
    if isinstance(document, (str, os.PathLike)):
        return extractor.extract_all(Path(document))
    if isinstance(document, (bytes, bytearray, memoryview)):
        data = bytes(document)
    elif hasattr(document, "read"):
        data = document.read()
        if not isinstance(data, bytes):
            raise TypeError("give a file opened in binary mode ('rb'), not text mode")
        name = name or os.path.basename(str(getattr(document, "name", ""))) or None
    else:
        raise TypeError(f"give a path (str or Path), bytes or a binary file, not {type(document).__name__}")
    shown = name or f"<bytes>{suffix_of(data)}"
    with tempfile.TemporaryDirectory(prefix="jixiao-") as folder:
        # The extractor reads files (and sniffs type by name): the bytes go to one, named
        # as given, in a private folder removed afterwards.
        path = Path(folder) / ("document" + (Path(name).suffix if name else suffix_of(data)))
        path.write_bytes(data)
        records = extractor.extract_all(path)
    for record in records:
        record.source.path = shown
    return records


def extract_batch(paths: Iterable[PathLike], out: PathLike, *, progress: bool = False,
                  **options: Any) -> RunSummary:
    """Every file in ``paths`` (folders searched recursively) into the folder ``out``:
    records.jsonl, records.db, run.json, review.html, as ``jixiao extract`` writes them
    (a re-run skips what is done with the same settings). Returns the run's counts."""
    settings = settings_from(options)
    inputs = discover_inputs([Path(p) for p in paths], follow_symlinks=settings.follow_symlinks,
                             exclude=Path(out))
    return run_batch(inputs, Path(out), settings, progress=progress)
