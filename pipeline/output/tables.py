"""The relational shape of records, one definition for every database (SQLite, PostgreSQL).

A record becomes one `documents` row and child rows in `fields` (every value with its
confidence and flags: the review queue), `indicators` (one row per 三级指标) and `checks`.
Column names, their order, their kinds and the rows of a record are defined here only, so
the SQLite and PostgreSQL copies cannot drift; each backend maps a column's kind to its
own type and adds its own key (`doc_id`) in front of the child rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from pipeline.mapping.indicators import NUMERIC_KEYS
from pipeline.models import INDICATOR_KEYS, Record

ColumnKind = Literal["text", "integer", "real"]
Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    not_null: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _columns(spec: str) -> tuple[Column, ...]:
    """`"path text!, pages integer"` → columns; `!` marks NOT NULL."""
    out = []
    for item in spec.split(","):
        name, kind = item.split()
        out.append(Column(name, kind.rstrip("!"), kind.endswith("!")))  # type: ignore[arg-type]
    return tuple(out)


DOCUMENTS = TableSpec("documents", _columns(
    "path text!, sha256 text, kind text, pages integer, engine text, dpi integer, template text,"
    " status text!, error text, schema_version text!"))
FIELDS = TableSpec("fields", _columns(
    "path text!, value text, value_type text, raw text, confidence real, flags text!,"
    " page integer, bbox text"))
INDICATORS = TableSpec("indicators", _columns(
    "position integer!, "
    + ", ".join(f"{k} {'real' if k in NUMERIC_KEYS else 'text'}" for k in INDICATOR_KEYS)
    + ", flagged integer!"))
CHECKS = TableSpec("checks", _columns("rule text!, ok integer!, detail text, fields text"))
CHILD_TABLES: tuple[TableSpec, ...] = (FIELDS, INDICATORS, CHECKS)


def document_row(record: Record) -> tuple[Cell, ...]:
    s = record.source
    return (s.path, s.sha256, s.kind, s.pages, s.engine, s.dpi, record.template, record.status,
            record.error, record.schema_version)


def field_rows(record: Record) -> list[tuple[Cell, ...]]:
    """Every value as text with its Python type name (`int`, `float`, `str`, `NoneType`)."""
    return [(path, None if v.value is None else str(v.value), type(v.value).__name__, v.raw,
             v.confidence, ",".join(v.flags), v.page, json.dumps(v.bbox) if v.bbox else None)
            for path, v in record.iter_values()]


def _number_or_none(value: str | float | int | None) -> float | int | None:
    # The model allows text in a numeric column; such a value stays whole in `fields`.
    return value if isinstance(value, (int, float)) else None


def indicator_rows(record: Record) -> list[tuple[Cell, ...]]:
    return [(i, *[_number_or_none(getattr(ind, k).value) if k in NUMERIC_KEYS
                  else getattr(ind, k).value for k in INDICATOR_KEYS],
             int(any(getattr(ind, k).flags for k in INDICATOR_KEYS)))
            for i, ind in enumerate(record.indicators)]


def check_rows(record: Record) -> list[tuple[Cell, ...]]:
    return [(c.rule, int(c.ok), c.detail, ",".join(c.fields)) for c in record.checks]


def child_rows(record: Record) -> dict[str, list[tuple[Cell, ...]]]:
    """The rows of each child table, without `doc_id` (the backend adds it)."""
    return {FIELDS.name: field_rows(record), INDICATORS.name: indicator_rows(record),
            CHECKS.name: check_rows(record)}
