"""Indicator rows whose cells are already named (the text path) → indicators.

A text reader knows which piece is which column; what is left is the form's own logic:
merged group cells (一级指标, 二级指标 and their weights) carried down the rows they cover,
a weight printed inside a name (产出指标（50分）) split off, and, where the reading of
the groups is in doubt, the arithmetic that decides it (`regroup_by_weights`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Protocol

from pipeline.mapping.fields import joined_value, typed_value
from pipeline.models import INDICATOR_KEYS, FieldValue, Indicator, Record
from pipeline.template.catalogue import IndicatorSpec, Vocabulary
from pipeline.text.normalize import compact, join_cell_lines
from pipeline.text.values import BARE_NUMBER, EMPTY_MARKS, split_weight_in_name

CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# A group's weight left after its name (效益指标20, 产出指标30分), compact.
WEIGHT_NOTE = re.compile(r"\d+(?:\.\d+)?分?$")

NUMERIC_KEYS = {"level1_weight", "level2_weight", "level3_weight", "score"}
OPTIONAL_TEXT = {"deviation_reason", "scoring_standard", "evidence"}
TOLERANCE = 0.011


class NamedPiece(Protocol):
    text: str
    raw: str
    confidence: float


class NamedRow(Protocol):
    cells: dict[str, list[NamedPiece]]


def cell_value(pieces: Sequence[NamedPiece], key: str, wrap_confidence: float) -> FieldValue:
    if not pieces:
        if key in OPTIONAL_TEXT:
            return FieldValue(value=None, raw="", confidence=1.0)
        return FieldValue.missing()
    text = join_cell_lines([p.text for p in pieces])
    raw = "\n".join(p.raw for p in pieces)
    if text.strip() in EMPTY_MARKS:
        return FieldValue(value=None, raw=raw, confidence=1.0)
    value = typed_value(text, "number" if key in NUMERIC_KEYS else "text")
    confidence = min(p.confidence for p in pieces)
    if len(pieces) > 1:
        confidence = min(confidence, wrap_confidence)
    flags = [] if value is not None else ["missing"]
    return FieldValue(value=value, raw=raw, confidence=round(confidence, 4), flags=flags, page=1)


def rows_to_indicators(rows: Sequence[NamedRow], spec: IndicatorSpec, wrap_confidence: float
                       ) -> list[Indicator]:
    """One indicator per row; group cells carried down from the row that printed them."""
    parts = spec.part_keys() | set(spec.joined)
    keys = [k for k in spec.columns if k not in parts]
    out: list[Indicator] = []
    previous: Indicator | None = None
    for row in rows:
        ind = Indicator()
        for key in keys:
            setattr(ind, key, cell_value(row.cells.get(key, []), key, wrap_confidence))
        for key, part_keys in spec.joined.items():
            # 指标性质 | 指标值 | 度量单位: one value joined as printed.
            setattr(ind, key, joined_value([cell_value(row.cells.get(k, []), k, wrap_confidence)
                                            for k in part_keys], key in spec.blank_allowed))
        if spec.weight_in_name:
            split_weights(ind)
        if previous is not None:
            for name_key, weight_key in (("level1", "level1_weight"), ("level2", "level2_weight")):
                if not row.cells.get(name_key):
                    setattr(ind, name_key, getattr(previous, name_key).model_copy(deep=True))
                    if not row.cells.get(weight_key):
                        setattr(ind, weight_key, getattr(previous, weight_key).model_copy(deep=True))
        out.append(ind)
        previous = ind
    return out


def split_weights(ind: Indicator) -> None:
    """产出指标（50分）: the name, and the level-1 weight printed inside it."""
    for name_key, weight_key in (("level1", "level1_weight"), ("level2", "level2_weight")):
        fv: FieldValue = getattr(ind, name_key)
        if not isinstance(fv.value, str):
            continue
        name, weight = split_weight_in_name(fv.value)
        if weight is not None:
            fv.value = typed_value(name, "text")
            setattr(ind, weight_key, fv.model_copy(update={"value": weight, "flags": list(fv.flags)}))


def consecutive_partition(weights: list[float], sums: list[float], short_last: bool = False
                          ) -> list[int] | None:
    """Where consecutive rows must be cut for their weights to make each sum in turn
    (the start of each group), or None when they cannot. With ``short_last`` the last
    group may fall short of its sum (rows of it were not read)."""
    starts, i = [], 0
    for k, target in enumerate(sums):
        starts.append(i)
        acc = 0.0
        while i < len(weights) and acc < target - TOLERANCE:
            acc += weights[i]
            i += 1
        last_and_short = short_last and k == len(sums) - 1 and i == len(weights) and acc < target
        if abs(acc - target) > TOLERANCE and not last_and_short:
            return None
    return starts if i == len(weights) else None


def regroup_by_weights(indicators: list[Indicator], names: list[tuple[FieldValue, FieldValue]]) -> bool:
    """Level-1 groups given to the rows whose level-3 weights make the group's weight.

    ``names`` are the level-1 names and weights in the order the form prints them. A text
    tool may print a merged name beside any row it covers (or all of them apart), so the
    rows it was read beside prove nothing; the sums do. Returns whether they fitted (the
    groups are then set), else the reading is left as it was."""
    weights = [ind.level3_weight.value for ind in indicators]
    sums = [w.value for _n, w in names]
    if not names or not all(isinstance(x, (int, float)) for x in [*weights, *sums]):
        return False
    starts = consecutive_partition([float(w) for w in weights], [float(s) for s in sums])  # type: ignore[arg-type]
    if starts is None:
        return False
    bounds = [*starts, len(indicators)]
    for (name, weight), a, b in zip(names, bounds, bounds[1:]):
        for ind in indicators[a:b]:
            ind.level1 = name.model_copy(deep=True)
            ind.level1_weight = weight.model_copy(deep=True)
    return True


def level1_groups(indicators: list[Indicator]) -> list[tuple[FieldValue, FieldValue]]:
    """Each level-1 name with its weight, in the order the rows first give them."""
    out: list[tuple[FieldValue, FieldValue]] = []
    seen: set[str] = set()
    for ind in indicators:
        name = ind.level1.value
        if isinstance(name, str) and name not in seen and isinstance(ind.level1_weight.value, (int, float)):
            seen.add(name)
            out.append((ind.level1, ind.level1_weight))
    return out


def scores_make_total(record: Record) -> bool:
    """The rows' scores add up to the total, with or without the funds block's score
    (the national forms' 90 + 10 and all-in-100 weightings)."""
    total = record.fields.get("total_score")
    scores = [ind.score.value for ind in record.indicators]
    if total is None or not isinstance(total.value, (int, float)) or \
            not all(isinstance(x, (int, float)) for x in scores):
        return False
    funds = record.fields.get("funds_score")
    return scores_add_up([float(x) for x in scores], float(total.value),  # type: ignore[arg-type]
                         float(funds.value) if funds is not None and isinstance(funds.value, (int, float))
                         else None)


def scores_add_up(scores: list[float], total: float, funds_score: float | None) -> bool:
    """Scores that make the total, alone or with the funds block's score."""
    acc = sum(scores)
    options = [acc] if funds_score is None else [acc, acc + funds_score]
    return any(abs(x - total) <= TOLERANCE * max(1, len(scores)) for x in options)


def confirm_text_table(record: Record, groups_in_doubt: bool, unconfirmed: float, fits: bool = True,
                       rows_whole: bool = False) -> None:
    """A text's table reading is believed when the form's arithmetic confirms it: the
    level-3 weights make the level-1 groups' weights in turn and the scores make the
    total. A tool that prints merged names between the rows they cover leaves the groups
    in doubt (``groups_in_doubt``) until the weights settle them. An unconfirmed reading
    is not silently trusted: its values' confidence is capped at ``unconfirmed``; so is a
    reading of a text that fits the form's rows badly throughout (``fits`` false: a tool
    that printed the table column by column), whatever its sums say. A reading whose rows
    were each taken whole, its own guesses flagged already (``rows_whole``: the cell
    stream), is left in doubt only in its scores and sentences when its weights make the
    groups' weights but its scores miss the total."""
    inds = record.indicators
    regrouped = regroup_by_weights(inds, level1_groups(inds)) if inds else False
    # A total read in doubt (a number glued to the next text) confirms nothing.
    total = record.fields.get("total_score")
    total_sure = total is not None and total.confidence > unconfirmed
    rows_confirmed = fits and bool(inds) and total_sure and scores_make_total(record)
    if rows_confirmed and (regrouped or not groups_in_doubt):
        return
    # Scores that make the total are believed whatever else is in doubt; level-3 weights
    # that make every level-1 weight in turn say each row is there, in its group.
    if rows_confirmed:
        keys = [k for k in INDICATOR_KEYS if k != "score"]
    elif rows_whole and fits and regrouped:
        keys = ["score", *sorted(OPTIONAL_TEXT)]  # sentences beside a row: no sum places them
    else:
        keys = list(INDICATOR_KEYS)
    for ind in inds:
        for key in keys:
            fv = getattr(ind, key)
            fv.confidence = min(fv.confidence, unconfirmed)
            if fv.value is None and "missing" not in fv.flags:
                # A cell read as blank is as much a guess as one read with a value, and a
                # blank is never flagged by its confidence (an empty cell says nothing).
                fv.flag("low_ocr_confidence")


def marks_beside(value: str, term: str) -> bool:
    """Whether ``value`` is ``term`` with only punctuation marks around it (。产出)."""
    at = value.find(term)
    rest = value[:at] + value[at + len(term):] if at >= 0 else ""
    return bool(rest) and not any(c.isalnum() for c in rest)


def doubt_groups_off_vocabulary(record: Record, vocabulary: Vocabulary, cap: float) -> None:
    """A row whose level-2 name the form lists under other level-1 names than the row's
    (生态效益指标 in 产出指标's rows; config templates.yaml vocabulary level2): a group cell
    was placed over rows not its own, and which of the two is unknown. Both values are
    read with their confidence capped at ``cap``. A name no list holds says nothing. So are
    an indicator's name and a reason holding a group cell's text (below)."""
    parents = {term: {compact(n) for n in names} for term, names in vocabulary.level2_parents().items()}
    level1_names = {compact(n) for n in (*vocabulary.level1, *vocabulary.level2)}
    groups = level1_names | set(parents)
    for ind in record.indicators:
        name = WEIGHT_NOTE.sub("", compact(str(ind.level1.value or "")))
        child = WEIGHT_NOTE.sub("", compact(str(ind.level2.value or "")))
        if name in level1_names and child in parents and name not in parents[child]:
            for fv in (ind.level1, ind.level2):
                fv.confidence = min(fv.confidence, cap)
        # A group name with a stray mark beside it (。产出: a sentence's last mark read into
        # the merged cell's text) is no name the form prints as it stands.
        for fv in (ind.level1, ind.level2):
            value = "".join(str(fv.value or "").split())
            if value not in groups and any(marks_beside(value, g) for g in groups):
                fv.confidence = min(fv.confidence, cap)
        # A name opening with a group's name but its last character (数量指开展督导检查次数):
        # the group cell's wrapped lines read into the name's; a name that is a value or
        # group names only: another column's cells read as the name.
        level3 = compact(str(ind.level3.value or ""))
        if any(len(g) >= 4 and level3.startswith(g[:-1]) and not level3.startswith(g) for g in groups) \
                or is_value_not_name(level3) or is_group_names(level3, groups):
            ind.level3.confidence = min(ind.level3.confidence, cap)
        # A reason ending in a group's name and weight (…将完善项目储备效益指标(30)): the
        # group's cell, printed in the rows below, read into the sentence.
        reason = compact(str(ind.deviation_reason.value or ""))
        if any(re.search(re.escape(n) + r"\d", reason) for n in level1_names):
            ind.deviation_reason.confidence = min(ind.deviation_reason.confidence, cap)


def level2_cue_terms(row_words: dict[str, Sequence[str]], target_forms: dict[str, str]
                     ) -> tuple[dict[str, tuple[str, ...]], dict[str, re.Pattern[str]]]:
    """config text.yaml cell_stream.level2_row_words and level2_target_forms, compact and
    compiled, for `level2_named_by`."""
    return ({compact(k): tuple(compact(w) for w in v) for k, v in row_words.items()},
            {compact(k): re.compile(v) for k, v in target_forms.items()})


def level2_named_by(name: str, target: str, row_words: dict[str, tuple[str, ...]],
                    target_forms: dict[str, re.Pattern[str]]) -> set[str]:
    """The level-2 names an indicator's own cells (compact) point to: words of its name (及时
    → 时效指标, 验收 → 质量指标) and its target's form (≤90万元 → 成本指标, 12月31日前 →
    时效指标): what the row measures (`level2_cue_terms`)."""
    said = {group for group, words in row_words.items() if any(w in name for w in words)}
    said |= {group for group, form in target_forms.items() if target and form.search(target)}
    return said


def doubt_groups_against_row_words(record: Record, row_words: dict[str, Sequence[str]],
                                   target_forms: dict[str, str], cap: float) -> None:
    """A row at the edge of its level-2 group whose own words point to the neighbouring
    group's name, not its own (资金拨付及时率 read as the last row of 质量指标, the row
    below opening 时效指标): a merged group cell is printed once, centred on rows of
    any height, and where one group ends and the next begins is read off the lines; a row
    whose measure names the group over the border says that border may be a row off. No
    sum confirms a level-2 name, so the row's level-2 value is read with its confidence
    capped at ``cap``, not moved. A row whose words point nowhere or to its own group,
    or to a group no neighbour holds, says nothing (real forms file rows loosely)."""
    words, forms = level2_cue_terms(row_words, target_forms)
    rows = record.indicators
    groups = [compact(str(ind.level2.value or "")) for ind in rows]
    parents = [compact(str(ind.level1.value or "")) for ind in rows]
    for j, ind in enumerate(rows):
        own = groups[j]
        if own not in words:
            continue
        said = level2_named_by(compact(str(ind.level3.value or "")), compact(str(ind.target.value or "")),
                               words, forms)
        if not said or own in said:
            continue
        beside = {groups[k] for k in (j - 1, j + 1)
                  if 0 <= k < len(rows) and parents[k] == parents[j] and groups[k] != own}
        if beside & said:
            ind.level2.confidence = min(ind.level2.confidence, cap)


def doubt_level1_border_against_row_words(record: Record, row_words: dict[str, Sequence[str]],
                                          cap: float) -> None:
    """The rows next to a border between level-1 groups whose names hold the words of the
    group across it, not of their own (群众满意度, 服务对象满意度 read as 效益指标's last
    rows, 满意度指标 opening below): a merged level-1 cell is printed once, and a tool
    that prints it apart from its rows leaves where one group ends to be read off the
    lines, so the border may be rows off. The run of such rows from the border has its
    level-1 and level-2 names read with their confidence capped at ``cap``, not moved.
    ``row_words``: level-1 name → the words of its rows (config ``level1_row_words``)."""
    rows = record.indicators
    parents = [compact(str(ind.level1.value or "")) for ind in rows]

    def says(j: int, group: str) -> bool:
        name = compact(str(rows[j].level3.value or ""))
        return any(w in name for w in row_words.get(group, ()))

    for j in range(len(rows) - 1):
        above, below = parents[j], parents[j + 1]
        if not above or not below or above == below:
            continue
        for run, across in ((range(j, -1, -1), below), (range(j + 1, len(rows)), above)):
            own = parents[run[0]]
            for k in run:
                if parents[k] != own or not says(k, across) or says(k, own):
                    break
                for value in (rows[k].level1, rows[k].level2):
                    value.confidence = min(value.confidence, cap)


# A target that bounds a number in a unit (≤90万元, ≥6人次, ≥95%).
UNIT_BOUND = re.compile(r"\d\s*(%|[^\d\s.%]+)$")


def doubt_actuals_without_target_unit(record: Record, cap: float) -> None:
    """An actual read as a bare number beside a target that bounds a number in a unit
    (≤90万元 | 86.48): the unit of a value wrapped in a narrow cell (86.48 | 万元) stands on
    a line of its own, and a tool's lines may lose it to another cell or to none; a form
    states what it measured in the target's unit. The number may be all the form printed,
    so it is kept, read with its confidence capped at ``cap``."""
    for ind in record.indicators:
        target = str(ind.target.value or "").strip()
        actual = str(ind.actual.value or "").strip()
        if actual and BARE_NUMBER.fullmatch(actual) and UNIT_BOUND.search(target):
            ind.actual.confidence = min(ind.actual.confidence, cap)


def is_value_not_name(text: str) -> bool:
    """An indicator's name with no Chinese character (86%, ≥90%, 100): a target's or an
    actual's cell read into the name's column. A dash or a slash alone is one too: a name
    is never left empty on these forms."""
    return bool(text) and not CHINESE.search(text)


def is_group_names(text: str, groups: set[str]) -> bool:
    """An indicator's name that is two group names or more one after the other (产出指标时效指标):
    the level-1 and level-2 cells a tool glued (their gap narrow) read as the row's name.
    Names of four characters or more only: two of the fund form's (决策, 过程) may make one."""
    ends = {0: 0}  # where a run of group names ends: how many names
    for start in range(len(text)):
        if start in ends:
            for g in groups:
                if len(g) >= 4 and text.startswith(g, start):
                    ends[start + len(g)] = max(ends.get(start + len(g), 0), ends[start] + 1)
    return ends.get(len(text), 0) >= 2


# A header label this long is no words a value's own text holds (一级指标, 评分标准): shorter
# ones (分值, 得分, 权重) are.
TABLE_LABEL_LEAST = 4


def doubt_values_holding_table_labels(record: Record, spec: IndicatorSpec, cap: float) -> None:
    """A head field's or an indicator's text holding a label of the indicator table's header
    (一级指标, 三级指标, 评分标准, 参考佐证材料…) took the header's cells with its own: a goal's
    paragraph read across the table, an evidence cell with its column's label. Which of
    its words are its own is not known: read with its confidence capped at ``cap``."""
    labels = {compact(part) for paths in spec.columns.values() for path in paths for part in path}
    labels = {label for label in labels if len(label) >= TABLE_LABEL_LEAST}
    values = [*record.fields.values(), *(getattr(ind, key) for ind in record.indicators for key in INDICATOR_KEYS)]
    for fv in values:
        if isinstance(fv.value, str) and any(label in compact(fv.value) for label in labels):
            fv.confidence = min(fv.confidence, cap)


# A number leading a name, before its first Chinese character (50高标准农田建设完成率), compact.
LEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)分?(?=[\u3400-\u4dbf\u4e00-\u9fff])")
# A name, a number, then a value (分配办法合规性10符合规范, 培训人次5≥100人次), compact.
NAME_NUMBER_VALUE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2}(\d+(?:\.\d+)?)(.+)$")
COMPARATOR_START = re.compile(r"^[≥≤><=＞＜＝]")
# One character before a comparator (值≥85%: 指标值's last character, its label torn into
# the row), compact.
CHARACTER_BEFORE_COMPARATOR = re.compile(r"^([\u3400-\u4dbf\u4e00-\u9fff])[≥≤><=＞＜＝]")
# A name this long, found inside a target or an actual, is that row's name, not a word of
# the value (任务完成时间年底前完成); shorter ones (完成率, 覆盖率) are words of values too.
NAME_IN_VALUE_LEAST = 4


def number_of(fv: FieldValue) -> float | None:
    v = fv.value
    return round(float(v), 2) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def name_and_weight_before(text: str, weight: float | None, qualitative: tuple[str, ...]) -> bool:
    """A target or actual (compact) that is a name, the row's own weight, then a value as
    targets are printed (a comparator first, or a word of ``qualitative``): the row's
    name and weight cells read into it (分配办法合规性10符合规范)."""
    found = NAME_NUMBER_VALUE.search(text)
    if found is None or weight is None or round(float(found.group(1)), 2) != weight:
        return False
    rest = found.group(2)
    return bool(COMPARATOR_START.match(rest)) or rest in qualitative


def doubt_cells_holding_row_parts(record: Record, qualitative: Sequence[str], cap: float) -> None:
    """An indicator's cell that took a neighbouring cell of its row, read whole with no
    flag where a tool wrote the row's cells with no gap between them: a name led by a
    weight the table prints (50高标准农田年度计划完成率, 30水质达标率: the group's weight cell
    before it); a target or an actual holding a level-3 name of the table
    (任务完成时间年底前完成: the name's cell before it), or a name and the row's own weight
    (分配办法合规性10符合规范: the row's cells one column off, its name column holding
    another cell, which is in doubt too), a character of a word the cell beside it holds
    (12月31日前按期完 | 成), or a label's last character (值≥85% | 值86%). Which part is the
    cell's own is not known: read with the confidence capped at ``cap``."""
    words = tuple(compact(q) for q in qualitative)
    weights = {w for ind in record.indicators
               for fv in (ind.level1_weight, ind.level2_weight, ind.level3_weight)
               if (w := number_of(fv)) is not None}
    names = {key for ind in record.indicators
             if len(key := compact(str(ind.level3.value or ""))) >= NAME_IN_VALUE_LEAST}
    for ind in record.indicators:
        lead = LEADING_NUMBER.match(compact(str(ind.level3.value or "")))
        if lead and round(float(lead.group(1)), 2) in weights:
            ind.level3.confidence = min(ind.level3.confidence, cap)
        for fv in (ind.target, ind.actual):
            key = compact(str(fv.value or ""))
            if not key:
                continue
            if any(name in key and name != key for name in names):
                fv.confidence = min(fv.confidence, cap)
            if name_and_weight_before(key, number_of(ind.level3_weight), words):
                fv.confidence = min(fv.confidence, cap)
                ind.level3.confidence = min(ind.level3.confidence, cap)
            if len(key) == 1 and CHINESE.match(key) and key not in words:
                # One character, no answer the forms write (是, 好): the last of a word
                # the cell beside it holds (12月31日前按期完 | 成), both in doubt.
                ind.target.confidence = min(ind.target.confidence, cap)
                ind.actual.confidence = min(ind.actual.confidence, cap)
        stray = CHARACTER_BEFORE_COMPARATOR.match(compact(str(ind.target.value or "")))
        if stray:
            # The same character before the actual's number too (值86%): torn off alike.
            ind.target.confidence = min(ind.target.confidence, cap)
            if compact(str(ind.actual.value or "")).startswith(stray.group(1)):
                ind.actual.confidence = min(ind.actual.confidence, cap)
        if CHARACTER_BEFORE_COMPARATOR.match(compact(str(ind.actual.value or ""))):
            # An actual so printed on its own (率≥95%): a character torn off a label or name.
            ind.actual.confidence = min(ind.actual.confidence, cap)


SENTENCE_KEYS = ("deviation_reason", "scoring_standard", "evidence")
SENTENCE_END = "。；;"
# A sentence cell's words: at most this many Chinese characters before its full stop is no
# sentence the forms write (分。, 值。), but a wrapped sentence's last line.
TAIL_MOST = 2


def doubt_sentence_tails(record: Record, answers: Collection[str], cap: float) -> None:
    """A sentence cell (偏差原因, 评分标准, 佐证材料) that is a full stop and a character or two
    (分。 for …扣一半分值。's last line): the end of a wrapped sentence a tool gave a row of
    its own, or another row's, while that row's sentence lost it; not one of ``answers``
    the forms write whole (无。, 满分。). Read with the confidence capped at ``cap``: the
    cell's words are not its own sentence."""
    for ind in record.indicators:
        for key in SENTENCE_KEYS:
            fv = getattr(ind, key)
            text = str(fv.value or "").strip()
            if text and text[-1] in SENTENCE_END and len(CHINESE.findall(text)) <= TAIL_MOST \
                    and compact(text.rstrip(SENTENCE_END)) not in answers:
                fv.confidence = min(fv.confidence, cap)


def doubt_rows_of_cut_sentences(record: Record, marks: str, cap: float) -> None:
    """A row whose sentence cell (评分标准, 佐证材料, 偏差原因) ends with a mark that
    stands inside a sentence (项目申请、设立、研究、) holds a sentence cut at a line's end:
    where a tool prints two sentence columns side by side, a wrapped line of one column
    is taken for the other's, and the rest of the sentence went to another cell of the
    row. Every sentence cell of the row is read with its confidence capped at ``cap``.
    ``marks``: the marks inside a sentence, never at its end (config text.yaml
    ``mid_sentence_marks``)."""
    for ind in record.indicators:
        cells = [getattr(ind, key) for key in SENTENCE_KEYS]
        if any(str(fv.value or "").rstrip().endswith(tuple(marks)) for fv in cells):
            for fv in cells:
                if fv.value is not None:
                    fv.confidence = min(fv.confidence, cap)


def doubt_doubled_sentences(record: Record, least: int, cap: float) -> None:
    """A sentence cell that says the same run of words twice (部分镇街资金拨付进度偏慢…
    部分镇街资金拨付进度偏慢): a neighbouring row's cell of the column, the same sentence
    (units write one reason on many rows), read into it, which that row lost. A real
    sentence does not repeat itself over ``least`` characters (compacted; config text.yaml
    ``doubled_line_min_chars``, a line said again). The cell is read with its confidence
    capped at ``cap``."""
    n = least
    for ind in record.indicators:
        for key in SENTENCE_KEYS:
            fv = getattr(ind, key)
            text = compact(str(fv.value or ""))
            if any(text.find(text[i:i + n], i + n) >= 0 for i in range(len(text) - 2 * n + 1)):
                fv.confidence = min(fv.confidence, cap)


def doubt_rows_of_sentences_out_of_column(record: Record, cues: dict[str, Sequence[str]], cap: float) -> None:
    """A row whose sentence cell speaks only of another sentence column (佐证材料's
    …的通知及检查报告。 as 评分标准, a cause and its remedy as 佐证材料): the row's
    sentences were put in each other's cells (columns side by side whose borders a text
    lost). Which is whose is unknown, so every sentence cell of the row is read with its
    confidence capped at ``cap``. ``cues``: column → the words its sentences hold
    (config text.yaml ``prose_cues``); a cell holding its own column's words, or none of
    any, says nothing."""
    for ind in record.indicators:
        cells = {key: getattr(ind, key) for key in SENTENCE_KEYS if key in cues}
        texts = {key: compact(str(fv.value or "")) for key, fv in cells.items()}

        def speaks(text: str, column: str) -> bool:
            return any(w in text for w in cues[column])

        if any(text and not speaks(text, key) and any(speaks(text, other) for other in cells if other != key)
               for key, text in texts.items()):
            for fv in cells.values():
                if fv.value is not None:
                    fv.confidence = min(fv.confidence, cap)

