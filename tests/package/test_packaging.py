"""What the distribution holds and what a plain install lacks (pyproject.toml)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config_files import CONFIG_FILES

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SAMPLE = ROOT / "fixtures" / "corpus" / "docs" / "mof_project-00010" / "text.txt"


def test_every_subpackage_and_config_file_is_in_the_wheel() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "pipeline").rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"pipeline.config": "config"}
    assert {p.name for p in (ROOT / "config").iterdir()} == set(CONFIG_FILES)


def test_metadata_has_ranges_extras_and_the_command() -> None:
    project = PYPROJECT["project"]
    assert not [d for d in project["dependencies"] if "==" in d]
    assert not [d for d in project["dependencies"] if d.startswith(("psycopg", "dask", "distributed"))]
    assert set(project["optional-dependencies"]) >= {"postgres", "dask", "dev"}
    assert project["scripts"] == {"jixiao": "pipeline.cli:main"}
    opencv = [d for d in project["dependencies"] if d.startswith("opencv")]
    assert opencv == ["opencv-python-headless>=5.0,<6"]


def test_the_environment_has_one_opencv_the_headless_build() -> None:
    """`make setup` leaves out rapidocr-onnxruntime's opencv-python (scripts/install-python-deps.sh):
    the cv2 imported is opencv-python-headless's, built without a GUI (no libGL)."""
    import re
    from importlib.metadata import PackageNotFoundError, distribution, version

    import cv2

    for gui_build in ("opencv-python", "opencv-contrib-python"):
        with pytest.raises(PackageNotFoundError):
            distribution(gui_build)
    assert version("opencv-python-headless").startswith(cv2.__version__)
    assert re.search(r"GUI:\s+NONE", cv2.getBuildInformation())


@pytest.mark.parametrize(("module", "options", "extra"), [
    ("psycopg", ["--db", "postgresql://user@127.0.0.1:1/db"], "postgres"),
    ("distributed", ["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"], "dask"),
    ("rapidocr", ["--engine", "rapidocr3"], "rapidocr3"),
])
def test_an_option_whose_extra_is_missing_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path,
        module: str, options: list[str], extra: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    monkeypatch.delitem(sys.modules, "pipeline.output.postgres", raising=False)
    code = main(["extract", str(SAMPLE), "--out", str(tmp_path / "out"), "-q", "--workers", "1", *options])
    assert code == 2
    assert f"pip install 'jixiao-pipeline[{extra}]'" in caplog.text
