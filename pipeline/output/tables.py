"""The relational shape of records, one definition for every database (SQLite, PostgreSQL)
and every export (CSV, Excel, Parquet).

A record becomes one `documents` row (its header fields as typed columns, so a warehouse
joins and sums without unpacking JSON) and child rows in `fields` (every value, typed, with
its confidence and flags: the review queue), `indicators` (one row per 三级指标),
`allocations` (the narrative's per-district amounts) and `checks`. Column names, their
order, kinds, meaning and the rows of a record are defined here only, so the copies cannot
drift; each backend maps a column's kind to its own type (``text_list`` is PostgreSQL
``text[]``, a JSON array in SQLite; ``json`` is ``jsonb`` / JSON text) and adds its own key
(`doc_id`) in front of the child rows. ``docs/warehouse.md`` is this module's data
dictionary (:func:`data_dictionary`; a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pipeline.mapping.indicators import NUMERIC_KEYS
from pipeline.models import CORRECTED, INDICATOR_KEYS, FieldValue, Record

ColumnKind = Literal["text", "integer", "real", "boolean", "text_list", "json"]
Cell = str | int | float | bool | list[str] | dict[str, Any] | list[Any] | None

# Money units the forms print, as a factor to 万元 (the unit most forms use).
TO_WAN = {"万元": 1.0, "元": 1e-4, "千元": 0.1, "亿元": 1e4}


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    doc: str
    not_null: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    doc: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def col(name: str, kind: ColumnKind, doc: str) -> Column:
    """A column; a kind ending in ``!`` is NOT NULL."""
    return Column(name, kind.rstrip("!"), doc, kind.endswith("!"))  # type: ignore[arg-type]


DOCUMENTS = TableSpec("documents", "one row per form of an input file (per file content, "
                      "sha256, and form, part: most files hold one)", (
    col("path", "text!", "the input file as given"),
    col("sha256", "text", "sha256 of the file's bytes (null: the file could not be read)"),
    col("part", "text", "where in the file the form is, when it holds several or a workbook's: "
                        "the sheet's name, table 2 (a document's), pages 4–6 (a PDF's); "
                        "null for a file holding one form"),
    col("kind", "text", "digital_pdf, scanned_pdf, image, text, xlsx, xls, docx, html or unknown"),
    col("pages", "integer", "pages in the file"),
    col("engine", "text", "how it was read: text_layer, rapidocr, tesseract, text"),
    col("dpi", "integer", "pixels per inch of the values' boxes (72: PDF points)"),
    col("template", "text", "form family: mof_project, dept_overall, gd_fund, unknown"),
    col("status", "text!", "ok (nothing flagged), review (something flagged) or failed"),
    col("error", "text", "why a failed document could not be read"),
    col("schema_version", "text!", "record schema version"),
    col("reporting_unit", "text", "填报单位 / 部门（单位）名称"),
    col("project_name", "text", "项目名称 (null on the department-wide form)"),
    col("evaluation_year", "integer", "评价年度 / the form's year"),
    col("amount_unit", "text", "money unit of every amount of the form: 万元, 元, …"),
    col("budget", "real", "budget in amount_unit: 全年预算数 (national forms), 预算计划安排 (gd_fund)"),
    col("executed", "real", "spent in amount_unit: 全年执行数 (national forms), "
                            "实际支出金额 市本级 + 转移支付到下级 (gd_fund)"),
    col("budget_wan", "real", "budget in 万元 (null when the unit is unknown)"),
    col("executed_wan", "real", "executed in 万元 (null when the unit is unknown)"),
    col("total_score", "real", "总分 / 合计"),
    col("n_values", "integer!", "values in the record"),
    col("n_flagged", "integer!", "values with at least one flag"),
    col("n_checks_failed", "integer!", "checks that failed"),
    col("n_corrected", "integer!", "values a person corrected (apply-corrections)"),
))
FIELDS = TableSpec("fields", "every value of every document, typed, with its flags", (
    col("path", "text!", "where the value sits in the record: fields.project_name, "
                         "indicators[3].score, narrative.allocations[0].amount"),
    col("value_number", "real", "the value when it is a number (amounts in amount_unit, %, years)"),
    col("value_text", "text", "the value when it is text"),
    col("value_type", "text!", "number, text or null"),
    col("raw", "text", "what was read, before normalisation"),
    col("confidence", "real", "probability that the value is right (0–1)"),
    col("flags", "text_list!", "why to look: missing, low_ocr_confidence, check_failed:<rule>, …"),
    col("flagged", "boolean!", "has at least one flag other than corrected: the review queue"),
    col("page", "integer", "1-based page it was read on"),
    col("bbox", "json", "[x0, top, x1, bottom] on the page, in dpi units"),
    col("alternatives", "json", "other readings of the value (a correction keeps the one it replaced)"),
))
INDICATORS = TableSpec("indicators", "one row per 三级指标, merged group cells carried down", (
    col("position", "integer!", "0-based row of the indicator table"),
    *(col(k, "real" if k in NUMERIC_KEYS else "text",
          f"indicators[].{k} ({'number' if k in NUMERIC_KEYS else 'text'})")
      for k in INDICATOR_KEYS),
    col("flagged", "boolean!", "any value of the row is flagged"),
))
ALLOCATIONS = TableSpec("allocations", "the narrative's per-district amounts (资金支出情况)", (
    col("position", "integer!", "0-based order in the narrative"),
    col("district", "text!", "the district, town or unit named"),
    col("amount", "real", "the amount as the narrative prints it, in unit"),
    col("unit", "text", "the narrative's money unit for it (may differ from amount_unit: flag unit_mismatch)"),
    col("raw", "text", "the text it was read from"),
    col("flags", "text_list!", "flags of the amount"),
))
CHECKS = TableSpec("checks", "every arithmetic check run on a document", (
    col("rule", "text!", "the check's name, e.g. level1_weights_sum_100"),
    col("ok", "boolean!", "whether it passed"),
    col("detail", "text", "what was added up, e.g. 15+20+35+30=100 (gd_100)"),
    col("fields", "text_list!", "paths of the values it involves"),
))
CHILD_TABLES: tuple[TableSpec, ...] = (FIELDS, INDICATORS, ALLOCATIONS, CHECKS)
TABLES: tuple[TableSpec, ...] = (DOCUMENTS, *CHILD_TABLES)
# Kept by the databases beside the documents' columns (not exported: records.jsonl has it).
LEDGER_COLUMNS = (
    col("finished_at", "text!", "when the document was written (timestamptz in PostgreSQL)"),
    col("record_json", "json!", "the whole record (jsonb in PostgreSQL)"),
)


def _number(value: FieldValue | None) -> float | int | None:
    if value is None or isinstance(value.value, bool):
        return None
    return value.value if isinstance(value.value, (int, float)) else None


def _text(value: FieldValue | None) -> str | None:
    return None if value is None or value.value is None else str(value.value)


def header_amounts(record: Record) -> tuple[float | int | None, float | int | None]:
    """(budget, executed) in the form's unit, as the form family prints them."""
    f = record.fields
    if record.template == "gd_fund":
        city, transfer = _number(f.get("spent_city")), _number(f.get("spent_transfer"))
        spent = None if city is None and transfer is None else (city or 0) + (transfer or 0)
        return _number(f.get("budget_planned")), spent
    return _number(f.get("budget_annual")), _number(f.get("executed"))


def in_wan(amount: float | int | None, unit: str | None) -> float | None:
    factor = TO_WAN.get(unit or "")
    return None if amount is None or factor is None else round(amount * factor, 6)


def is_flagged(value: FieldValue) -> bool:
    return any(f != CORRECTED for f in value.flags)


def document_row(record: Record) -> tuple[Cell, ...]:
    s, f = record.source, record.fields
    values = [v for _, v in record.iter_values()] if record.status != "failed" else []
    budget, executed = header_amounts(record)
    unit = _text(f.get("amount_unit"))
    year = _number(f.get("evaluation_year"))
    return (s.path, s.sha256, s.part, s.kind, s.pages, s.engine, s.dpi, record.template, record.status,
            record.error, record.schema_version, _text(f.get("reporting_unit")),
            _text(f.get("project_name")), None if year is None else int(year), unit,
            budget, executed, in_wan(budget, unit), in_wan(executed, unit),
            _number(f.get("total_score")), len(values), sum(is_flagged(v) for v in values),
            sum(not c.ok for c in record.checks), sum(CORRECTED in v.flags for v in values))


def field_rows(record: Record) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for path, v in record.iter_values():
        number = _number(v)
        kind = "null" if v.value is None else "number" if number is not None else "text"
        rows.append((path, number, None if number is not None else _text(v), kind, v.raw,
                     v.confidence, list(v.flags), is_flagged(v), v.page,
                     list(v.bbox) if v.bbox else None, list(v.alternatives) or None))
    return rows


def indicator_rows(record: Record) -> list[tuple[Cell, ...]]:
    # The model allows text in a numeric column; such a value stays whole in `fields`.
    return [(i, *[_number(getattr(ind, k)) if k in NUMERIC_KEYS else _text(getattr(ind, k))
                  for k in INDICATOR_KEYS],
             any(is_flagged(getattr(ind, k)) for k in INDICATOR_KEYS))
            for i, ind in enumerate(record.indicators)]


def allocation_unit(raw: str | None, form_unit: str | None) -> str | None:
    """The unit printed after the amount (北山镇152元 → 元), else the form's."""
    if raw:
        for unit in sorted(TO_WAN, key=len, reverse=True):
            if raw.rstrip().endswith(unit):
                return unit
    return form_unit


def allocation_rows(record: Record) -> list[tuple[Cell, ...]]:
    unit = _text(record.fields.get("amount_unit"))
    return [(i, a.name, _number(a.amount), allocation_unit(a.amount.raw, unit), a.amount.raw,
             list(a.amount.flags)) for i, a in enumerate(record.narrative.allocations)]


def check_rows(record: Record) -> list[tuple[Cell, ...]]:
    return [(c.rule, c.ok, c.detail, list(c.fields)) for c in record.checks]


def child_rows(record: Record) -> dict[str, list[tuple[Cell, ...]]]:
    """The rows of each child table, without `doc_id` (the backend adds it)."""
    return {FIELDS.name: field_rows(record), INDICATORS.name: indicator_rows(record),
            ALLOCATIONS.name: allocation_rows(record), CHECKS.name: check_rows(record)}


def data_dictionary() -> str:
    """The tables as Markdown (the body of docs/warehouse.md's dictionary)."""
    out = []
    for table in TABLES:
        columns = ([] if table is DOCUMENTS else
                   [Column("doc_id", "integer", "the document (documents.doc_id)", True)])
        columns += list(table.columns) + (list(LEDGER_COLUMNS) if table is DOCUMENTS else [])
        head = "`doc_id` (key), " if table is DOCUMENTS else ""
        out.append(f"### `{table.name}`\n\n{table.doc[0].upper()}{table.doc[1:]}; {head}"
                   f"{len(columns)} columns.\n\n| column | kind | meaning |\n| --- | --- | --- |")
        out += [f"| `{c.name}` | {c.kind}{' not null' if c.not_null else ''} | {c.doc} |"
                for c in columns]
        out.append("")
    return "\n".join(out)
