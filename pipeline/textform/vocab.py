"""What the text path knows about the forms: the labels of every template (to rejoin and
split them in torn text) and the settings of ``config/text.yaml``."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, TypeAdapter
from rapidfuzz import fuzz, process

from pipeline.config_files import load_validated
from pipeline.template.catalogue import Catalogue, TemplateSpec, load_catalogue, marker_words
from pipeline.text.normalize import compact

if TYPE_CHECKING:
    from pipeline.textform.pieces import Piece


@dataclass(frozen=True)
class Confidence:
    # A misspelt key in text.yaml is an error naming it, not a setting silently ignored.
    __pydantic_config__ = ConfigDict(extra="forbid")

    clean: float = 0.95
    simplified: float = 0.92
    split: float = 0.9
    rejoined: float = 0.9
    wrapped: float = 0.9
    unbalanced: float = 0.75
    digits: float = 0.8
    prose: float = 0.8
    group_guess: float = 0.75
    merged_weight: float = 0.5
    heading: float = 0.8
    unconfirmed_table: float = 0.6
    ambiguous_cell: float = 0.6
    cut_number: float = 0.3
    ocr_read: float = 0.6


@dataclass(frozen=True)
class Lookalike:
    """A character that damaged text and OCR put for a look-alike in running text (己 for
    已), and the neighbours that decide: with `after`/`before` given, it is the look-alike
    only next to one of those (拔付, 划拔 are 拨付, 划拨; 选拔 stays); a neighbour in
    `unless_after`/`unless_before` keeps it (自己, 年末, 投入大量)."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    read: str
    printed: str
    after: str = ""          # characters that may follow it for the repair
    before: str = ""         # characters that may precede it for the repair
    unless_after: str = ""
    unless_before: str = ""


@dataclass(frozen=True)
class NameValueKind:
    """A kind of measure: the 三级指标 names that take it and the values written in it
    (patterns)."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    names: tuple[str, ...] = ()
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellStreamConfig:
    """How a text of one cell per block is read (config/text.yaml `cell_stream`)."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    start_labels: tuple[str, ...] = ()
    value_tails: tuple[str, ...] = ()
    # What each such tail completes (a pattern the value before it ends with: 12月31日 | 前).
    value_tail_after: dict[str, str] = field(default_factory=dict)
    # What a unit writes in 偏差原因 when there is nothing to explain: an answer, not a name.
    no_deviation: tuple[str, ...] = ()
    min_lines: int = 30
    blank_share: float = 0.4
    # The stream reading set aside for the row reading when its torn text cells per row
    # exceed the rows' by more than this (form_reader.more_torn).
    torn_share: float = 1.0
    # The row reading whose scores make the total stands at this fit too when the stream
    # holds fewer rows than it.
    rows_fit_more: float = 0.14
    rows_fit: float = 0.14
    column_run: int = 6
    # Where no level-1 weight is printed: a level-1 group whose rows' names hold one of
    # its words, and the step level-1 weights are set in.
    level1_row_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    level1_weight_step: float = 5.0
    # What a row's 三级指标 words or its target's form say of its level-2 group (及时 →
    # 时效指标; ≤90万元 → 成本指标): `cell_stream.level2_cues`.
    level2_row_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    level2_target_forms: dict[str, str] = field(default_factory=dict)
    # The row label the national forms print beside their goals (年度总体目标).
    goal_row_labels: tuple[str, ...] = ()
    # The sentence columns a unit fills where a row lost points (偏差原因 explains a
    # deviation): sentences left over go to such rows in turn (`place_left_sentences`).
    lost_points_columns: tuple[str, ...] = ()
    # What ends or holds a target rather than an actual (12月31日前, 不低于90%): a value
    # either column could take, read by columns (`column_runs.py`), is a target with one.
    # Patterns (`indicator_rows.is_bound`).
    target_words: tuple[str, ...] = ()
    # What a year's cell may print after its four digits (2024年度): any other text around
    # a year (a document number, 粤财行〔2021〕38号) is no year cell.
    year_suffixes: tuple[str, ...] = ()
    # What a row's 三级指标 says its values are measured in (完成率 in %, 成本 in 元):
    # kind -> the name's patterns and the values' patterns (`cell_stream.name_value_kinds`).
    name_value_kinds: dict[str, NameValueKind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A pattern a user's --config got wrong is said once, at load, not on every document.
        for pattern in self.target_words:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"cell_stream.target_words: {pattern!r} is no valid pattern ({exc})") from exc


@dataclass(frozen=True)
class TextConfig:
    __pydantic_config__ = ConfigDict(extra="forbid")

    extra_labels: tuple[str, ...] = ()
    group_names: tuple[str, ...] = ()
    noise_chars: str = "XIl1|丨•·"
    noise_markers: str = "XI|丨•·l"
    digit_lookalikes: dict[str, str] = field(default_factory=dict)
    comparators: dict[str, str] = field(default_factory=dict)
    duplicate_window: int = 4
    duplicate_min_chars: int = 4
    doubled_line_min_chars: int = 8
    row_margin: float = 1.0
    # A row's line readings combined, at most (line_columns.capped).
    most_row_readings: int = 1024
    prose_margin: float = 1.0
    cell_order_gain: float = 0.1
    cell_order_split_lines: float = 0.3
    lopsided_rows: float = 0.05
    # The tab reader's cells centred in their rows or at their tops: the reading taken is
    # sure when the other misfits more than this many times its lines plus `_lines`.
    alignment_sure_ratio: float = 2.0
    alignment_sure_lines: float = 2.0
    table_fit_max: float = 0.35
    # A page's number in its margin, as whole lines (regular expressions).
    page_marks: tuple[str, ...] = ()
    # A tabbed text whose indicator lines hold whole rows this often is a spreadsheet's copy.
    spreadsheet_rows_whole: float = 0.75
    # A sheet's copy without its number formats: a percent cell's fraction (0.92 for 92%),
    # at most this (200%), and the row names that say a rate (`sheet_fractions`).
    sheet_fraction_max: float = 2.0
    rate_name_ends: tuple[str, ...] = ()
    # A text with a table's rules on this share of its lines is an OCR engine's reading.
    ocr_rule_lines: float = 0.15
    repeat_min_chars: int = 6
    # Words that tell a goal as done: an expected goal holding one is in doubt.
    goal_done_words: tuple[str, ...] = ()
    overlap_min_chars: int = 15
    confidence: Confidence = Confidence()
    review_threshold: float = 0.9
    level1_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each level-2 name any template's vocabulary lists, with the level-1 names it is
    # listed under (数量指标: 产出指标), compact: which groups a name can be of.
    level2_parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    qualitative_values: tuple[str, ...] = ()
    short_answers: tuple[str, ...] = ()
    value_words: tuple[str, ...] = ()
    unit_fields: tuple[str, ...] = ()
    unit_name_ends: tuple[str, ...] = ()
    unit_name_notes: tuple[str, ...] = ()
    table_row_labels: tuple[str, ...] = ()
    table_header_extras: tuple[str, ...] = ()
    indicator_costs: dict[str, float] = field(default_factory=dict)
    # A row-per-line text: how many column orders of each line a row's reading weighs, at
    # first and when a row is read again with its columns' widths (line_columns).
    line_readings: int = 4
    line_readings_again: int = 6
    # A row whose combinations of line readings were capped (most_row_readings): rounds of
    # a search a line at a time from its cheapest combination (line_columns).
    row_search_rounds: int = 3
    prose_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Words no sentence cell ends in: one that does lost its last lines (检查的通知及).
    dangling_ends: tuple[str, ...] = ()
    # Marks inside a sentence, never at its end: a cell that ends with one was cut.
    mid_sentence_marks: str = ""
    # The units targets and actuals are measured in (the templates' vocabulary: 万元, 人次).
    units: tuple[str, ...] = ()
    narrative_order: tuple[str, ...] = ()
    # The head's amounts the form adds up: a total field and the fields that make it (the
    # fund form's 预算计划安排 = 市本级 + 转移支付 of 实际分配下达).
    head_sums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lookalikes: tuple[Lookalike, ...] = ()
    # A text of one cell per block (pipeline/textform/cell_stream.py).
    cell_stream: CellStreamConfig = field(default_factory=CellStreamConfig)


def text_config_from(data: dict[str, Any]) -> TextConfig:
    """text.yaml's data validated (types, no unknown key), with names in compact form."""
    config = TypeAdapter(TextConfig).validate_python(data)
    return dataclasses.replace(
        config,
        group_names=tuple(compact(n) for n in config.group_names),
        qualitative_values=tuple(compact(n) for n in config.qualitative_values),
        short_answers=tuple(compact(n) for n in config.short_answers),
        level1_names={template: tuple(compact(n) for n in names)
                      for template, names in config.level1_names.items()})


def groups_of(config: TextConfig, template: str) -> tuple[str, ...]:
    """The group names a form's 一级/二级指标 cells take (compact): its vocabularies."""
    return (*config.group_names, *config.level1_names.get(template, ()))


@cache
def load_text_config(config_dir: Path | None = None) -> TextConfig:
    """The shipped text.yaml, with ``config_dir``'s laid over it (pipeline/config_files.py),
    its group names taken from the templates' vocabularies."""
    config = load_validated("text.yaml", config_dir, text_config_from)
    return with_vocabulary(config, load_catalogue(config_dir))


def with_vocabulary(config: TextConfig, catalogue: Catalogue) -> TextConfig:
    """The templates' closed vocabularies (config/templates.yaml `vocabulary`) as the text
    path's names: each template's level-1 names, every level-1 and level-2 name of any
    template as a group name, and each level-2 name's level-1 names; names text.yaml lists
    are kept too."""
    level1 = {name: spec.vocabulary.level1 for name, spec in catalogue.templates.items()}
    groups = [*config.group_names]
    units = [*config.units]
    parents: dict[str, list[str]] = {}
    for spec in catalogue.templates.values():
        units += spec.vocabulary.units
        groups += spec.vocabulary.level1
        groups += [t for terms in spec.vocabulary.level2.values() for t in terms]
        for term, names in spec.vocabulary.level2_parents().items():
            parents.setdefault(term, []).extend(names)
    for template, names in config.level1_names.items():
        level1[template] = [*level1.get(template, []), *names]
    return dataclasses.replace(
        config, group_names=unique_compact(groups), units=unique_compact(units),
        level1_names={template: unique_compact(names) for template, names in level1.items()},
        level2_parents={term: unique_compact(names) for term, names in parents.items()})


def unique_compact(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Names in compact form, each once, in their first order."""
    return tuple(dict.fromkeys(compact(n) for n in names))


def funds_block_labels(spec: TemplateSpec) -> list[str]:
    """The funds block's row and column labels (年度资金总额, 年初预算数, …), none without one."""
    block = spec.funds_block
    if block is None:
        return []
    return [label for labels in (*block.rows.values(), *block.columns.values()) for label in labels]


def template_labels(spec: TemplateSpec) -> list[str]:
    """Every printed label of one template: title, markers, field labels, the funds
    block's rows and columns, the indicator table's headers and total row."""
    out = [spec.title, *marker_words(spec.markers)]
    for f in spec.fields.values():
        out += [*f.labels, *f.variants, *f.after]
    out += funds_block_labels(spec)
    out += spec.indicators.header + spec.indicators.total_labels
    out += [part for paths in spec.indicators.columns.values() for path in paths for part in path]
    return out


# A note printed after a label, for whoever fills the form in: （说明：…）, （注：…）, whole
# (a note torn over lines by a tool is left to the header's own rules).
LABEL_NOTE = re.compile(r"\s*[（(]\s*(?:说明|注|備註|备注)\s*[:：][^（()）]*[）)]\s*$")


class LabelIndex:
    """The labels of all templates by their compact form, for exact and fuzzy look-ups."""

    def __init__(self, labels: list[str], right_labels: list[str], headings: list[str],
                 heading_sections: list[tuple[str, str]] | None = None) -> None:
        self.by_compact: dict[str, str] = {}
        for label in labels:
            key = compact(label)
            if len(key) >= 2:
                self.by_compact.setdefault(key, label)
        self.keys = list(self.by_compact)
        self.right = {compact(x) for x in right_labels}
        self.headings = sorted({compact(h) for h in headings if compact(h)})
        # Which narrative section each heading opens (spending, problems, improvements, other).
        self.heading_section = {compact(h): section for h, section in heading_sections or [] if compact(h)}
        # For rejoining a label torn across two fragments: its every proper prefix.
        self.prefixes: dict[str, list[str]] = {}
        for key in self.keys:
            if len(key) >= 3:
                for k in range(1, len(key)):
                    self.prefixes.setdefault(key[:k], []).append(key)
        self.max_len = max((len(k) for k in self.keys), default=0)

    def exact(self, text: str) -> str | None:
        """The label this text is, after normalisation (traditional, width, punctuation)."""
        key = compact(text)
        return key if key in self.by_compact else None

    def best(self, text: str) -> tuple[str | None, float]:
        key = compact(text)
        if not key:
            return None, 0.0
        if key in self.by_compact:
            return key, 100.0
        found = process.extractOne(key, self.keys, scorer=fuzz.ratio)
        return (found[0], float(found[1])) if found else (None, 0.0)

    def is_label(self, text: str, min_score: float = 90.0) -> bool:
        key = compact(text)
        if not key:
            return False
        if len(key) <= self.max_len + 4 and self.best(text)[1] >= min_score:
            return True
        # A header label followed by a note to the filler (参考佐证材料（说明：本栏…）).
        bare = LABEL_NOTE.sub("", text)
        return bare != text and self.is_label(bare, min_score)

    def is_right_label(self, text: str) -> bool:
        """A label whose value stands in the cell to its right (项目名称, 市本级 …)."""
        return compact(text) in self.right


@cache
def _index(labels: tuple[str, ...], right: tuple[str, ...], headings: tuple[str, ...],
           sections: tuple[tuple[str, str], ...] = ()) -> LabelIndex:
    return LabelIndex(list(labels), list(right), list(headings), list(sections))


def label_index(catalogue: Catalogue, config: TextConfig) -> LabelIndex:
    labels: list[str] = list(config.extra_labels)
    right: list[str] = []
    sections: list[tuple[str, str]] = []
    for _family, _version, spec in catalogue.forms():  # a province's version's labels too
        labels += template_labels(spec)
        right += [label for f in spec.fields.values() if f.value == "right"
                  for label in (*f.labels, *f.variants)]
        sections += [(h, key) for key in ("spending", "problems", "improvements", "other")
                     for h in getattr(spec.narrative, key)]
    headings = tuple(h for h, _section in sections)
    return _index(tuple(labels), tuple(right), headings, tuple(sections))


# --- labels among a text's pieces -------------------------------------------------------

LABEL_SCORE = 88.0  # a piece is a label when this close to one (rapidfuzz ratio, compact text)


def label_hit(piece: Piece, labels: list[str]) -> float:
    key = piece.key
    if not key:
        return 0.0
    return max((fuzz.ratio(key, compact(label)) for label in labels), default=0.0)


def find_piece(pieces: list[Piece], labels: list[str], start: int = 0, end: int | None = None,
               min_score: float = LABEL_SCORE) -> tuple[int, float] | None:
    end = len(pieces) if end is None else end
    for i in range(start, end):
        score = label_hit(pieces[i], labels)
        if score >= min_score:
            return i, score
    return None
