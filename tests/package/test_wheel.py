"""The package as a user installs it: the wheel built from this checkout, installed in a
fresh temporary venv, run as `jixiao extract` outside the checkout, gives the same records
as the checkout's `python -m pipeline extract` (what `make extract` runs).

The venv gets the wheel alone (--no-deps); its dependencies come from the test's own
environment through a path file, so the test needs no download and stays well under two
minutes. JIXIAO_WHEEL_FULL_INSTALL=1 installs them from the index instead, as a user's
`pip install` does (minutes; needs the index)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "fixtures" / "corpus" / "docs"
# A digital PDF and a text file: the OCR samples would take minutes.
SAMPLES = [DOCS / "gd_fund-00003" / "digital.pdf", DOCS / "mof_project-00010" / "text.txt"]
# What the wheel is built from: the installed package's sources and its metadata files.
BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "pipeline", "config")
FULL_INSTALL = os.environ.get("JIXIAO_WHEEL_FULL_INSTALL") == "1"


def clean_env() -> dict[str, str]:
    """The environment without anything that would import the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JIXIAO_LOG", "VIRTUAL_ENV"))}
    return env


def run(*args: str | Path, cwd: Path, timeout: float = 300,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env or clean_env(), capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary venv with the built wheel installed: its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                           if (ROOT / name).is_dir() else {}))
    dist = work / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source, cwd=work)
    (wheel,) = dist.glob("jixiao_pipeline-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "-q"]
    if FULL_INSTALL:
        run(*pip, wheel, cwd=work, timeout=1800)
    else:
        run(*pip, "--no-deps", wheel, cwd=work)
        site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                        cwd=work).stdout.strip())
        # Dependencies from this environment, after the venv's own site-packages (a path
        # file line adds a folder; the folder's own path files, e.g. an editable install of
        # this checkout, are not run).
        (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def records(out: Path) -> list[dict]:
    """The records, without what differs between two runs of the same documents."""
    out_records = []
    for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("timings", None)
        out_records.append(record)
    return out_records


def test_the_installed_command_gives_the_records_of_the_checkout(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing of it is importable there
    elsewhere.mkdir()
    where = run(installed / "python", "-c", "import pipeline; print(pipeline.__file__)", cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)
    version = run(installed / "jixiao", "--version", cwd=elsewhere)
    assert version.stdout.strip() == "jixiao (jixiao-pipeline) 0.1.0"
    missing = subprocess.run([installed / "python", "-c", "import bench"], cwd=elsewhere,
                             env=clean_env(), capture_output=True, text=True)
    assert missing.returncode != 0  # measurement code stays in the repository
    # The shipped OCR engines are found as plugins, through the wheel's entry points
    # (no pyproject.toml out here to read them from).
    engines = run(installed / "python", "-c", "from pipeline.ocr.plugins import available_engines, "
                  "engine_targets; print(available_engines(), engine_targets()['tesseract'])", cwd=elsewhere)
    assert engines.stdout.strip() == "['rapidocr', 'tesseract'] pipeline.ocr.tesseract_engine:TesseractEngine"
    samples = [str(p) for p in SAMPLES]
    run(installed / "jixiao", "extract", *samples, "--out", tmp_path / "installed", "-q",
        "--workers", "1", cwd=elsewhere)
    # The checkout's own code, as `make extract` runs it (whatever else is installed).
    run(sys.executable, "-m", "pipeline", "extract", *samples, "--out", tmp_path / "checkout", "-q",
        "--workers", "1", cwd=ROOT, env={**clean_env(), "PYTHONPATH": str(ROOT)})
    assert records(tmp_path / "installed") == records(tmp_path / "checkout")
    assert len(records(tmp_path / "installed")) == 2
    assert all(r["status"] != "failed" and r["template"] != "unknown" for r in records(tmp_path / "installed"))
    made_with = [json.loads((tmp_path / o / "run.json").read_text(encoding="utf-8"))["made_with"]
                 for o in ("installed", "checkout")]
    # The package data is the repository's config/: the same form knowledge, same digest.
    assert made_with[0]["config"] == made_with[1]["config"]


def test_the_installed_command_reads_a_users_config(installed: Path, tmp_path: Path) -> None:
    text = SAMPLES[1].read_text(encoding="utf-8").replace("项目名称", "项目全称")
    report = tmp_path / "county.txt"
    report.write_text(text, encoding="utf-8")
    config = tmp_path / "my-config"
    config.mkdir()
    (config / "templates.yaml").write_text(
        "templates:\n  mof_project:\n    fields:\n      project_name:\n        variants: [项目全称]\n",
        encoding="utf-8")
    run(installed / "jixiao", "extract", report, "--out", tmp_path / "out", "-q", "--workers", "1",
        "--config", config, cwd=tmp_path)
    (record,) = records(tmp_path / "out")
    assert record["fields"]["project_name"]["value"] == "赣州市农村人居环境整治专项资金"
