"""`python -m pipeline export OUT --format csv|xlsx|parquet`: every table read back with
pandas and openpyxl, its numbers still numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.output.sqlite import open_db, write_record
from pipeline.output.tables import DOCUMENTS, TABLES
from pipeline.settings import Settings
from pipeline.document import extract_document
from tests.conftest import committed_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    conn = open_db(folder / "records.db")
    for doc in ("gd_fund-00010", "mof_project-00010"):
        write_record(conn, extract_document(committed_file(doc, "digital.pdf"), Settings()))
    conn.close()
    return folder


def export(out: Path, fmt: str, *extra: str) -> list[Path]:
    done = subprocess.run([sys.executable, "-m", "pipeline", "export", str(out), "--format", fmt,
                           *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [Path(line) for line in done.stdout.split()]


def check_gd_document(docs: pd.DataFrame, unit: str = "reporting_unit", budget: str = "budget",
                      year: str = "evaluation_year") -> None:
    gd = docs[docs[unit] == "赣州市交通运输局"].iloc[0]
    assert gd[budget] == 2104.0 and gd[year] == 2024


def test_csv_one_file_per_table(out: Path) -> None:
    written = export(out, "csv")
    assert sorted(p.name for p in written) == sorted(f"{t.name}.csv" for t in TABLES)
    assert (out / "export" / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    docs = pd.read_csv(out / "export" / "documents.csv", encoding="utf-8-sig")
    assert list(docs.columns) == ["doc_id", *DOCUMENTS.column_names]
    assert docs["budget"].dtype == "float64" and docs["evaluation_year"].dtype == "int64"
    check_gd_document(docs)
    fields = pd.read_csv(out / "export" / "fields.csv", encoding="utf-8-sig")
    assert fields["flagged"].dtype == "bool" and fields["confidence"].dtype == "float64"
    mismatch = fields[fields["path"] == "narrative.allocations[0].amount"].iloc[0]
    assert mismatch["flags"] == "unit_mismatch; check_failed:narrative_unit_matches_form"
    assert mismatch["value_number"] == 152.0


def test_parquet_keeps_lists_and_types(out: Path) -> None:
    export(out, "parquet")
    docs = pd.read_parquet(out / "export" / "documents.parquet")
    check_gd_document(docs)
    assert docs["n_flagged"].dtype == "int64"
    checks = pd.read_parquet(out / "export" / "checks.parquet")
    assert checks["ok"].dtype == "bool"
    allocations = pd.read_parquet(out / "export" / "allocations.parquet")
    first = allocations[allocations["district"] == "北山镇"].iloc[0]
    assert list(first["flags"]) == ["unit_mismatch", "check_failed:narrative_unit_matches_form"]
    assert first["amount"] == 152.0 and first["unit"] == "元"


def test_xlsx_a_sheet_per_table_with_chinese_headers(out: Path, tmp_path: Path) -> None:
    (path,) = export(out, "xlsx", "--lang", "zh", "--to", str(tmp_path))
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["文档", "字段", "绩效指标", "资金分配", "核对"]
    rows = list(book["文档"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("文档编号", "文件路径", "文件哈希")
    gd = next(r for r in rows[1:] if r[header.index("填报单位")] == "赣州市交通运输局")
    assert gd[header.index("预算数")] == 2104 and isinstance(gd[header.index("评价年度")], int)
    docs = pd.read_excel(path, sheet_name="文档")
    check_gd_document(docs, "填报单位", "预算数", "评价年度")
    assert docs["预算数"].dtype == "float64"


def test_no_records_db_is_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "export", str(tmp_path), "--format",
                           "csv"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no records.db" in done.stderr
