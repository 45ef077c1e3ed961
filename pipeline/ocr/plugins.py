"""Which OCR engines there are: plugins, found as OCRmyPDF finds its plugins.

A package adds an engine by declaring an entry point in the group ``jixiao.ocr_engines``
(the name is what ``--engine`` and ``Settings.ocr_engine`` take, the value the
:class:`~pipeline.ocr.base.OcrEngine` subclass)::

    [project.entry-points."jixiao.ocr_engines"]
    myocr = "myocr_jixiao:MyOcrEngine"

The two engines shipped here are declared the same way, in this project's
``pyproject.toml``, and found like any other. An engine not installed as a package is
named by its class, ``"module:Class"`` (the tests' fault-injection engines come in so).

Entry points are read from the installed packages' metadata; in a source checkout run
without installing it (or whose installed metadata predates an engine), the checkout's
own ``pyproject.toml`` declares the engines its code has. Nothing here imports an engine,
nor cv2: the command line lists the names at start.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

GROUP = "jixiao.ocr_engines"
DISTRIBUTION = "jixiao-pipeline"
# pyproject.toml of a checkout: beside the package folder (absent in an installed copy).
CHECKOUT_PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def checkout_entry_points(pyproject: Path = CHECKOUT_PYPROJECT) -> dict[str, str]:
    """The engines this project's own pyproject.toml declares (none outside a checkout)."""
    if not pyproject.is_file():
        return {}
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    if project.get("name") != DISTRIBUTION:
        return {}
    return dict(project.get("entry-points", {}).get(GROUP, {}))


@cache
def engine_targets() -> dict[str, str]:
    """Engine name → ``"module:Class"``, of every registered engine (found once per process)."""
    targets = {ep.name: ep.value for ep in entry_points(group=GROUP)}
    # The running checkout's declaration wins for its own engines: its code is what runs.
    targets.update(checkout_entry_points())
    return targets


def available_engines() -> list[str]:
    """The names of the registered engines."""
    return sorted(engine_targets())


def load_engine_class(name: str) -> type:
    """The class registered under ``name``, or named by ``name`` as ``"module:Class"``.

    Raises ValueError naming the registered engines for an unknown name. The class is
    imported now (with the engine's heavy libraries)."""
    target = engine_targets().get(name) if isinstance(name, str) else None
    if target is None and isinstance(name, str) and ":" in name:
        target = name
    if target is None:
        raise ValueError(f"unknown OCR engine {name!r}: choose one of {', '.join(available_engines())}, "
                         f"or name a class as 'module:Class'")
    return EntryPoint(name=str(name), value=target, group=GROUP).load()
