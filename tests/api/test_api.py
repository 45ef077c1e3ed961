"""The Python API (pipeline/api.py): pipeline.extract and pipeline.extract_batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipeline
from pipeline import Record, RunSummary

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"
PDF = DOCS / "gd_fund-00003" / "digital.pdf"
TEXT = DOCS / "mof_project-00010" / "text.txt"


def same(a: Record, b: Record) -> bool:
    """Equal but for where the document was and how long it took."""
    def strip(r: Record) -> dict:
        data = r.model_dump(mode="json")
        data.pop("timings")
        data["source"].pop("path")
        return data
    return strip(a) == strip(b)


@pytest.mark.parametrize("sample", [PDF, TEXT], ids=["pdf", "text"])
def test_a_path_as_str_or_path_bytes_or_a_file_give_the_same_record(sample: Path) -> None:
    by_path = pipeline.extract(sample)
    assert isinstance(by_path, Record) and by_path.status != "failed" and by_path.template != "unknown"
    by_str = pipeline.extract(str(sample))
    assert same(by_str, by_path) and by_str.source.path == str(sample)
    by_bytes = pipeline.extract(sample.read_bytes())
    assert same(by_bytes, by_path) and by_bytes.source.path == f"<bytes>{sample.suffix}"
    with open(sample, "rb") as fh:
        by_file = pipeline.extract(fh)
    assert same(by_file, by_path) and by_file.source.path == sample.name
    assert pipeline.extract(bytearray(sample.read_bytes()), name="a" + sample.suffix).source.path == "a" + sample.suffix


def test_options_are_settings_with_short_names(tmp_path: Path) -> None:
    config = tmp_path / "my-config"
    config.mkdir()
    (config / "templates.yaml").write_text(
        "templates:\n  mof_project:\n    fields:\n      project_name:\n        variants: [项目全称]\n",
        encoding="utf-8")
    county = TEXT.read_text(encoding="utf-8").replace("项目名称", "项目全称").encode("utf-8")
    assert pipeline.extract(county).fields["project_name"].value is None
    record = pipeline.extract(county, name="county.txt", config=str(config), engine="tesseract")
    assert record.fields["project_name"].value == "赣州市农村人居环境整治专项资金"
    with pytest.raises(TypeError, match="unknown option enigne"):
        pipeline.extract(TEXT, enigne="tesseract")
    with pytest.raises(TypeError, match="binary mode"):
        with open(TEXT, encoding="utf-8") as fh:
            pipeline.extract(fh)  # type: ignore[arg-type]
    missing = pipeline.extract(tmp_path / "nope.pdf")
    assert missing.status == "failed" and missing.error


def test_extract_batch_writes_the_output_folder(tmp_path: Path) -> None:
    summary = pipeline.extract_batch([str(PDF), TEXT], out=tmp_path / "out", workers=1)
    assert isinstance(summary, RunSummary) and summary.documents == 2 and summary.extracted == 2
    lines = (tmp_path / "out" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["source"]["path"] for line in lines] == [str(PDF), str(TEXT)]
    assert pipeline.extract_batch([PDF, TEXT], out=str(tmp_path / "out"), workers=1).skipped == 2
