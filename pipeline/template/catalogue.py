"""The label catalogue of config/templates.yaml as typed models."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.config_files import load_validated
from pipeline.text.normalize import compact


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
    # Fields a unit may leave blank (得分 on provincial forms): null without flag.
    blank_allowed: list[str] = Field(default_factory=list)


class IndicatorSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    header: list[str]
    columns: dict[str, list[list[str]]]
    total_labels: list[str]
    weight_in_name: bool
    # A value printed over several columns (指标性质 | 指标值 | 度量单位): the field and
    # its part columns in print order; their texts are joined as printed (＝ 100 % → =100%).
    # The parts are keys of `columns`; a part other than the field itself is no field.
    joined: dict[str, list[str]] = Field(default_factory=dict)
    # A part column's closed vocabulary (指标性质: ≥ ≤ = > <): a reading outside it is
    # not trusted (a lone sign in its cell is read without context: 》, ＞_ …).
    part_vocabulary: dict[str, list[str]] = Field(default_factory=dict)
    # A part column whose cells hold a catalogue's terms (度量单位: 人次, 个, %, 万元…): a
    # reading that is a term is trusted more than its OCR says, one a character off
    # becomes the term (pipeline/mapping/vocabulary.py, units' rules); a reading near
    # none keeps its value and confidence (forms use units no list holds).
    part_units: dict[str, list[str]] = Field(default_factory=dict)
    # Columns a unit may leave blank (完成值, 得分 on provincial forms): a blank cell there
    # is the form saying nothing, a null without flag, not a value missing.
    blank_allowed: list[str] = Field(default_factory=list)

    def part_keys(self) -> set[str]:
        """The columns that are parts of a joined field, not fields of their own."""
        return {part for field, parts in self.joined.items() for part in parts if part != field}


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
    # The level-1 groups a form of this rule has at least, each with a row of its own:
    # fewer rows read are rows not found (the total row read as the one row, 100 | 95).
    least_level1_groups: int = 1


class Vocabulary(BaseModel):
    """A form's closed vocabularies (config/templates.yaml `vocabulary`): the values some
    of its cells can only take. A reading close to one of them is snapped to it
    (pipeline/mapping/vocabulary.py); the text path takes its group names from here."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level1: list[str] = Field(default_factory=list)
    # The level-2 names under each level-1 name (one not listed: its level 2 is open).
    level2: dict[str, list[str]] = Field(default_factory=dict)
    # Header fields with a closed set of values (是/否, 项目级次, the money unit).
    fields: dict[str, list[str]] = Field(default_factory=dict)
    # The units a target ends in (≥95人次, ≤90万元): a misread unit at the end of a target
    # is snapped to the term under the units' rules (VocabularyMatch.unit_min_length).
    units: list[str] = Field(default_factory=list)

    def level2_parents(self) -> dict[str, list[str]]:
        """Each level-2 name (compact) and the level-1 names it is listed under."""
        parents: dict[str, list[str]] = {}
        for level1, terms in self.level2.items():
            for term in terms:
                parents.setdefault(compact(term), []).append(level1)
        return parents

    def level2_terms(self, level1: object) -> list[str]:
        """The level-2 names under this level-1 name; every level-2 name of the form when
        the level-1 name is not one it lists (misread, or a form's own)."""
        if isinstance(level1, str) and level1 in self.level2:
            return self.level2[level1]
        return sorted({t for terms in self.level2.values() for t in terms})


class VocabularyMatch(BaseModel):
    """When a reading is snapped to a vocabulary term, and the confidence it then gets
    (config/templates.yaml `vocabulary_match`; pipeline/mapping/vocabulary.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Edits (Levenshtein, on compact text) a reading may be from a term to be snapped to
    # it: none below min_length characters (一级 and 二级 are one edit apart), one, and
    # two from long_from characters (服务对象满意度指标).
    min_length: int = 3
    long_from: int = 8
    # The best term must be this many edits closer than the next best.
    margin: int = 1
    # A reading the OCR is at least this sure of is what the form prints: not snapped.
    snap_below: float = 0.95
    # A snapped value's confidence: its match quality (1 - edits / length) times this.
    snap_trust: float = 0.9
    # A reading that is a term exactly: its doubt (1 - confidence) is multiplied by
    # `exact_doubt`, by `near_term_doubt` when another term is one edit away (数量指标 and
    # 质量指标: one misread character makes the other term).
    exact_doubt: float = 0.1
    near_term_doubt: float = 0.5
    # Units (人次, 万元, 平方米) are short: snapped to from this many characters, and only
    # by a reading of the same length (OCR misreads a character of a unit; a character
    # more or fewer is another unit: 人 / 人次, 元 / 万元).
    unit_min_length: int = 2
    # A scan's measure read starting with one of these signs (key) is read with the sign the
    # forms print (value), `ambiguous`, the reading kept in `alternatives` (≥ whose bar a
    # poor scan lost reads >); only in the keys `sign_prior_keys` names.
    sign_prior: dict[str, str] = Field(default_factory=dict)
    sign_prior_keys: list[str] = Field(default_factory=list)


# A marker is a label, or alternatives of which one is printed (a province's titles).
Marker = str | list[str]  # a label, or its alternative wordings


def marker_words(markers: list[Marker]) -> list[str]:
    """Every wording of a template's markers, alternatives spread out."""
    return [w for m in markers for w in ([m] if isinstance(m, str) else m)]


class TemplateVersion(BaseModel):
    """A version of a family printed by some provinces (config `versions`): its own
    markers, and what it prints otherwise (fields laid over the family's key by key, its
    own funds block and indicator table). Its records are the family's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    markers: list[Marker]
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    funds_block: FundsBlock | None = None
    indicators: IndicatorSpec | None = None


class TemplateSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    markers: list[Marker]
    fields: dict[str, FieldSpec]
    funds_block: FundsBlock | None = None
    indicators: IndicatorSpec
    narrative: NarrativeSpec
    # The form's weighting rules, by name, in the order they are tried.
    weighting: dict[str, WeightingRule] = Field(default_factory=dict)
    vocabulary: Vocabulary = Vocabulary()

    versions: dict[str, TemplateVersion] = Field(default_factory=dict)

    def version(self, name: str | None) -> TemplateSpec:
        """The spec of one of the family's versions (None: the family's own form)."""
        if name is None:
            return self
        v = self.versions[name]
        return self.model_copy(update={
            "markers": v.markers, "fields": {**self.fields, **v.fields},
            "funds_block": v.funds_block or self.funds_block,
            "indicators": v.indicators or self.indicators, "versions": {}})

    def field_names(self) -> list[str]:
        names = list(self.fields)
        if self.funds_block:
            names += [n for cols in self.funds_block.fields.values() for n in cols.values()]
        return [*names, "total_score"]


class DocumentNumbers(BaseModel):
    """Which header fields are document numbers (文号) and how their year is bracketed
    (config/templates.yaml `document_numbers`; pipeline/mapping/document_numbers.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # A catalogue without `document_numbers` mends nothing: no fields, no brackets.
    fields: list[str] = Field(default_factory=list)
    # The form's brackets around the year: 财预〔2020〕10号.
    year_brackets: tuple[str, str] = ("〔", "〕")
    # Brackets a reading may hold in their place, as opening/closing pairs in a row.
    misread_as: str = ""

    @model_validator(mode="after")
    def pairs(self) -> DocumentNumbers:
        if len(self.misread_as) % 2:
            raise ValueError("document_numbers.misread_as: brackets come in opening/closing pairs")
        return self


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    min_label_score: float
    exact_label_score: float
    min_template_score: float
    min_titled_template_score: float
    vocabulary_match: VocabularyMatch = VocabularyMatch()
    document_numbers: DocumentNumbers = DocumentNumbers()
    templates: dict[str, TemplateSpec]

    def forms(self) -> list[tuple[str, str | None, TemplateSpec]]:
        """Every form to recognise: (family, version or None, its spec)."""
        return [(name, version, spec.version(version))
                for name, spec in self.templates.items() for version in [None, *spec.versions]]


@cache
def load_catalogue(config_dir: Path | None = None) -> Catalogue:
    """The shipped templates.yaml, with ``config_dir``'s laid over it (pipeline/config_files.py)."""
    return load_validated("templates.yaml", config_dir, Catalogue.model_validate)
