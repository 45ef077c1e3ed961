"""The recogniser's fused graph (``rec_graph``) kept on disk, made once per machine.

Every worker process loads the OCR engine, and making the fused graph there costs about
1 s of CPU each time: ``import onnx`` alone is 0.85 s (it pulls in ml_dtypes), the
rewrites 0.2 s. The result depends only on the model file and on the rewrite code, so it
is written once to a cache folder and read back (a 10 MB read) by every later worker.

The cache key is the sha256 of the model file, of ``rec_graph.py``'s source and the onnx
version: a changed model or rewrite makes a new entry, never a stale one. The cache is
an optimisation only: a folder that cannot be written or an entry that cannot be read
means the graph is made in memory, as before. Entries are written under a temporary name
and renamed, so two workers starting together never read a torn file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

# Where the fused graph is kept: this variable, else $XDG_CACHE_HOME/jixiao-pipeline, else
# ~/.cache/jixiao-pipeline. An empty value switches the cache off.
CACHE_ENV = "JIXIAO_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache folder in use (not created yet), or None when switched off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jixiao-pipeline"


def cache_key(model_path: Path) -> str:
    """sha256 over the model's bytes, the rewrite code and the onnx version."""
    digest = hashlib.sha256()
    digest.update(model_path.read_bytes())
    digest.update((Path(__file__).parent / "rec_graph.py").read_bytes())
    try:
        digest.update(package_version("onnx").encode())
    except PackageNotFoundError:
        pass
    return digest.hexdigest()[:32]


def fused_recognizer(model_path: Path, folder: Path | None = None) -> tuple[bytes, dict[str, int]]:
    """The recogniser at ``model_path`` with ``rec_graph``'s rewrites, serialised, and the
    rewrites made: from the cache in ``folder`` (default :func:`cache_dir`) when there,
    else made now and stored there."""
    folder = cache_dir() if folder is None else folder
    entry = None
    if folder is not None:
        stem = folder / f"{model_path.stem}-fused-{cache_key(model_path)}"
        entry = (stem.with_suffix(".onnx"), stem.with_suffix(".json"))
        try:
            return entry[0].read_bytes(), json.loads(entry[1].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # not made yet (or unreadable): make it
    from pipeline.ocr.rec_graph import simplified_model_bytes  # imports onnx: ~0.85 s

    model, rewrites = simplified_model_bytes(model_path)
    if entry is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # The counts first: the model file's presence says the entry is complete.
            _write_atomic(entry[1], json.dumps(rewrites).encode())
            _write_atomic(entry[0], model)
        except OSError:
            pass  # a read-only home: the graph is made in memory in each worker
    return model, rewrites


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
