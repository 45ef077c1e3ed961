"""--config DIR: a user's config files laid over the shipped ones (pipeline/config_files.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from pipeline.checks.calibration import load_calibration
from pipeline.cli import main
from pipeline.config_files import ConfigError, config_digest, merge, Replace
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.vocab import load_text_config

SAMPLE = PROJECT_ROOT / "fixtures" / "corpus" / "docs" / "mof_project-00010" / "text.txt"
# The README's worked example: a county's form prints 项目全称 where the others print 项目名称.
COUNTY_TEMPLATES = """\
templates:
  mof_project:
    fields:
      project_name:
        variants: [项目全称]
"""


def county_report(tmp_path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert "项目名称" in text
    path = tmp_path / "county" / "report.txt"
    path.parent.mkdir()
    path.write_text(text.replace("项目名称", "项目全称"), encoding="utf-8")
    return path


def project_name(out: Path) -> dict:
    record = json.loads((out / "records.jsonl").read_text(encoding="utf-8").splitlines()[0])
    return record["fields"]["project_name"]


def test_an_added_label_variant_is_read_with_config(tmp_path: Path) -> None:
    report = county_report(tmp_path)
    assert main(["extract", str(report), "--out", str(tmp_path / "plain"), "-q", "--workers", "1"]) == 0
    assert project_name(tmp_path / "plain")["value"] is None  # the shipped forms do not know it
    config = tmp_path / "my-config"
    config.mkdir()
    (config / "templates.yaml").write_text(COUNTY_TEMPLATES, encoding="utf-8")
    assert main(["extract", str(report), "--out", str(tmp_path / "mine"), "-q", "--workers", "1",
                 "--config", str(config)]) == 0
    found = project_name(tmp_path / "mine")
    assert found["value"] == "赣州市农村人居环境整治专项资金" and found["flags"] == []
    run = json.loads((tmp_path / "mine" / "run.json").read_text(encoding="utf-8"))
    assert run["settings"]["config_dir"] == str(config)


def test_the_overlay_extends_lists_merges_mappings_and_replaces_scalars(tmp_path: Path) -> None:
    config = tmp_path / "c"
    config.mkdir()
    (config / "templates.yaml").write_text(COUNTY_TEMPLATES + "min_label_score: 85\n", encoding="utf-8")
    (config / "text.yaml").write_text("row_margin: 2.5\nvalue_words: !replace [年底]\n"
                                      "confidence: {clean: 0.9}\n", encoding="utf-8")
    (config / "calibration.yaml").write_text("second_opinion: {below: 0.5}\n", encoding="utf-8")
    shipped, mine = load_catalogue(None), load_catalogue(config)
    field = mine.templates["mof_project"].fields["project_name"]
    assert field.variants == [*shipped.templates["mof_project"].fields["project_name"].variants, "项目全称"]
    assert field.labels == ["项目名称"] and mine.min_label_score == 85
    assert mine.templates["gd_fund"] == shipped.templates["gd_fund"]
    text = load_text_config(config)
    assert text.row_margin == 2.5 and text.value_words == ("年底",)
    assert text.confidence.clean == 0.9 and text.confidence.split == load_text_config().confidence.split
    assert text.group_names == load_text_config().group_names
    assert load_calibration(config).config.second_opinion.below == 0.5
    assert config_digest(config) != config_digest(None)
    assert merge({"a": [1, 2], "b": {"c": 1}}, {"a": [2, 3], "b": {"d": 2}}) == {"a": [1, 2, 3],
                                                                             "b": {"c": 1, "d": 2}}
    assert merge({"a": {"c": 1}}, {"a": Replace({"d": 2})}) == {"a": {"d": 2}}


def test_every_config_file_is_read_from_the_chosen_folder(tmp_path: Path) -> None:
    config = tmp_path / "c"
    config.mkdir()
    model = json.loads((PROJECT_ROOT / "config" / "calibration-model.json").read_text(encoding="utf-8"))
    model["version"] = "my-fit"
    (config / "calibration-model.json").write_text(json.dumps(model), encoding="utf-8")
    assert load_calibration(config).version == "my-fit"
    summary = Settings(config_dir=config).calibration
    assert summary["version"] == "my-fit" and summary["file"] == str(config / "calibration-model.json")


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("templates.yaml", "templates:\n  mof_project:\n    fields:\n      project_name:\n        variant: [x]\n",
     "templates.yaml: key templates.mof_project.fields.project_name.variant: Extra inputs"),
    ("templates.yaml", "min_label_score: high\n", "templates.yaml: key min_label_score: Input should be"),
    ("text.yaml", "row_margn: 2\n", "text.yaml: key row_margn"),
    ("text.yaml", "confidence: {clean: [1]}\n", "text.yaml: key confidence.clean"),
    ("text.yaml", "cell_stream: {target_words: ['(前']}\n", "'(前' is no valid pattern"),
    ("calibration.yaml", "second_opinion: {engin: tesseract}\n", "calibration.yaml: key second_opinion.engin"),
    ("text.yaml", "row_margin: [\n", "text.yaml: not valid YAML"),
    ("text.yaml", "- a list\n", "text.yaml: must be a mapping"),
    ("template.yaml", "templates: {}\n", "template.yaml: not a config file this tool reads"),
])
def test_a_mistake_names_the_file_and_the_key(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                              name: str, text: str, expected: str) -> None:
    config = tmp_path / "c"
    config.mkdir()
    (config / name).write_text(text, encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        code = main(["extract", str(SAMPLE), "--out", str(tmp_path / "out"), "-q", "--config", str(config)])
    assert code == 2
    assert f"{config / name}: " in caplog.text and expected in caplog.text
    assert not (tmp_path / "out" / "records.jsonl").exists()


def test_a_missing_config_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such folder"):
        load_catalogue(tmp_path / "nowhere")
