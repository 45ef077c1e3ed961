"""The label catalogue of config/templates.yaml as typed models."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.config_files import load_validated


class FieldSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    labels: list[str] = Field(default_factory=list)
    variants: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    value: Literal["right", "below"] | None = None
    pattern: str | None = None
    type: Literal["text", "number", "percent", "year"] = "text"
    # Printed on some forms only (a pattern field): not found, and no free line above the
    # first table matching `printed_hint`, means the form does not print it: null, no flag.
    optional: bool = False
    printed_hint: str | None = None

    @property
    def all_labels(self) -> list[str]:
        return [*self.labels, *self.variants]


class FundsBlock(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rows: dict[str, list[str]]
    columns: dict[str, list[str]]
    fields: dict[str, dict[str, str]]


class IndicatorSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    header: list[str]
    columns: dict[str, list[list[str]]]
    total_labels: list[str]
    weight_in_name: bool


class NarrativeSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    spending: list[str]
    problems: list[str]
    improvements: list[str]
    other: list[str] = Field(default_factory=list)


class WeightingRule(BaseModel):
    """One way a form's weights and scores add up (config/templates.yaml `weighting`).

    Terms are `level1` (each level-1 group's weight), `indicators` (each indicator row's
    score) or a field name (`funds_weight`, `funds_score`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weights: list[str]          # they sum to weights_total
    weights_total: float = 100
    scores: list[str]           # they sum to the field total_score


class TemplateSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    markers: list[str]
    fields: dict[str, FieldSpec]
    funds_block: FundsBlock | None = None
    indicators: IndicatorSpec
    narrative: NarrativeSpec
    # The form's weighting rules, by name, in the order they are tried.
    weighting: dict[str, WeightingRule] = Field(default_factory=dict)

    def field_names(self) -> list[str]:
        names = list(self.fields)
        if self.funds_block:
            names += [n for cols in self.funds_block.fields.values() for n in cols.values()]
        return [*names, "total_score"]


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_label_score: float
    exact_label_score: float
    min_template_score: float
    templates: dict[str, TemplateSpec]


@cache
def load_catalogue(config_dir: Path | None = None) -> Catalogue:
    """The shipped templates.yaml, with ``config_dir``'s laid over it (pipeline/config_files.py)."""
    return load_validated("templates.yaml", config_dir, Catalogue.model_validate)
