"""Data flows down the stages: no module of the product imports one of a later stage.

The stage order is stated here, once; every ``import pipeline.…`` / ``from pipeline…
import`` in ``pipeline/`` (at module level or inside a function, typing-only imports
included: they are a dependency of the code's meaning all the same) is checked against
it. A module may import its own stage's modules and any earlier stage's.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pipeline"

# Earliest first. A name is a module or a package (its modules all in that stage).
STAGES: list[tuple[str, ...]] = [
    # What every stage shares: the contracts between stages, settings, errors, helpers.
    ("pipeline.models", "pipeline.layout", "pipeline.errors", "pipeline.limits",
     "pipeline.settings", "pipeline.timings", "pipeline.hashing", "pipeline.pdf_file",
     "pipeline.text", "pipeline.config_files", "pipeline.logs", "pipeline.tuning"),
    ("pipeline.image",),            # rasterize → straighten → ruling lines
    ("pipeline.ocr",),              # engines, text lines of a cell
    ("pipeline.grid",),             # ruling lines → tables, text → cells
    ("pipeline.read",),             # a file to page layouts (text layer, scans)
    ("pipeline.template",),         # which form
    ("pipeline.mapping",),          # labels → values
    ("pipeline.checks",),           # arithmetic, calibration, flags
    ("pipeline.boxes",),            # a scan's boxes onto the source page
    ("pipeline.textform",),         # text reports: their own reader, then mapping and checks
    ("pipeline.document",),          # one document: the stages in order
    ("pipeline.output",),           # records → files, databases, the review page
    ("pipeline.executors",),        # where documents are extracted
    ("pipeline.run", "pipeline.review_command", "pipeline.warehouse_command",
     "pipeline.corrections_command"),  # a batch; commands on OUT
    ("pipeline.cli", "pipeline.__main__"),
    # The Python API, and the package that re-exports it.
    ("pipeline.api", "pipeline"),
]


def stage_of(module: str) -> int:
    best, found = -1, None
    for index, names in enumerate(STAGES):
        for name in names:
            if (module == name or (name != "pipeline" and module.startswith(name + "."))) \
                    and len(name) > best:
                best, found = len(name), index
    assert found is not None, f"{module} is in no stage: add it to STAGES"
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return [(line, name) for line, name in out if name == "pipeline" or name.startswith("pipeline.")]


def test_every_module_has_a_stage() -> None:
    for path in PACKAGE.rglob("*.py"):
        stage_of(module_name(path))


def test_no_import_runs_up_the_stages() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        here = stage_of(module)
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8"))):
            if target == "pipeline":
                continue
            if stage_of(target) > here:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not upward, "imports from a later stage:\n" + "\n".join(upward)


def test_the_walk_sees_an_upward_import(tmp_path: Path) -> None:
    """The check itself: a checks module importing document is caught."""
    tree = ast.parse("def f():\n    from pipeline.document import DocumentExtractor\n")
    [(line, target)] = imported(tree)
    assert stage_of(target) > stage_of("pipeline.checks.rules") and line == 2
