"""Closed vocabularies: a reading close to one of its form's terms becomes that term.

Some cells can hold only a few values (the national form's 一级指标 names 产出指标 /
效益指标 / 满意度指标 / 成本指标, the 二级指标 names under each, 是/否, 万元/元), listed
per template in config/templates.yaml (`vocabulary`). On a font the OCR was not trained
on, such a name is often read right with a low confidence, or with one character wrong.
What the form's list adds to the reading:

* a reading that is a term exactly is more likely right than the OCR says (a misread
  rarely lands on another term), unless another term is one edit away (数量指标 and
  质量指标), where it is less sure;
* a reading a few edits from one term, and clearly nearer it than any other, whose own
  confidence is low (the OCR doubted it), is that term misread: it becomes the term, with
  a confidence from the match, and the reading is kept in ``alternatives``;
* anything else keeps its value, confidence and flags: a form may extend a list or
  shorten its names (社会效益 for 社会效益指标 is two edits off a six-character term,
  服务对象满意度 the whole of 服务对象满意度指标 but its end: both left as printed), and a
  reading the OCR is sure of is what the form prints, term or not.

Units (the 度量单位 column of a provincial form, the end of a target: ≥95人次, ≤90万元)
are matched by rules of their own: from two characters, and only by readings of the same
length (a character more or fewer is another unit: 人 / 人次).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from pipeline.models import FieldValue, Record
from pipeline.template.catalogue import Vocabulary, VocabularyMatch
from pipeline.text.normalize import compact

# Sources read by OCR: a text layer's or a text file's > is what the form prints.
SCANNED = ("scanned_pdf", "image")


@dataclass(frozen=True)
class TermMatch:
    term: str
    edits: int          # Levenshtein distance from the reading (compact forms)
    quality: float      # 1 - edits / the term's length
    near_term: bool     # another term is one edit from this one


def allowed_edits(term: str, rules: VocabularyMatch) -> int:
    """How far a reading may be from a term to be snapped to it."""
    n = len(compact(term))
    if n < rules.min_length:
        return 0
    return 2 if n >= rules.long_from else 1


def match_term(reading: str, terms: Sequence[str], rules: VocabularyMatch,
               same_length: bool = False) -> TermMatch | None:
    """The term this reading is, or is a misreading of; None when it is near none, or as
    near two of them (within ``rules.margin`` edits). ``same_length``: only terms as long
    as the reading count (units)."""
    key = compact(reading)
    keyed = {compact(t): t for t in terms if compact(t)}
    if same_length:
        keyed = {k: t for k, t in keyed.items() if len(k) == len(key)}
    if not key or not keyed:
        return None
    ranked = sorted((Levenshtein.distance(key, k), k) for k in keyed)
    edits, best = ranked[0]
    if edits > allowed_edits(best, rules):
        return None
    if edits > 0 and len(ranked) > 1 and ranked[1][0] - edits < rules.margin:
        return None  # as near another term: which one is a guess
    if edits > 1 and (key in best or best in key):
        return None  # whole characters more or fewer (服务对象满意度): a form's own wording
    near = any(Levenshtein.distance(best, k) <= 1 for k in keyed if k != best)
    return TermMatch(keyed[best], edits, 1.0 - edits / len(best), near)


def snapped(fv: FieldValue, terms: Sequence[str], rules: VocabularyMatch,
            characters_in_doubt: bool = True, same_length: bool = False) -> FieldValue:
    """The value as its vocabulary makes it (see the module doc); a new FieldValue, or
    ``fv`` itself when the vocabulary says nothing about it. ``characters_in_doubt``:
    the confidence is doubt about the characters read (OCR, a repaired text layer), which
    a term read exactly lifts; a text report's characters are given, its confidence is
    doubt about which cell a piece belongs to, on which the vocabulary says nothing."""
    if not isinstance(fv.value, str) or "inferred" in fv.flags:
        return fv
    found = match_term(fv.value, terms, rules, same_length)
    if found is None:
        return fv
    if found.edits == 0 and not characters_in_doubt:
        return fv
    if found.edits == 0:
        doubt = rules.near_term_doubt if found.near_term else rules.exact_doubt
        confidence = 1.0 - (1.0 - fv.confidence) * doubt
        return fv.model_copy(update={"value": found.term, "confidence": round(max(confidence, fv.confidence), 4)})
    if fv.confidence >= rules.snap_below:
        return fv  # the OCR is sure of what it read: the form prints something else
    return fv.model_copy(update={
        "value": found.term,
        "confidence": round(found.quality * rules.snap_trust, 4),
        "alternatives": [*fv.alternatives, fv.value]})


def unit_rules(rules: VocabularyMatch) -> VocabularyMatch:
    return rules.model_copy(update={"min_length": rules.unit_min_length})


def snapped_unit(fv: FieldValue, units: Sequence[str], rules: VocabularyMatch) -> FieldValue:
    """A cell that holds a unit alone (度量单位), snapped to the units' list."""
    return snapped(fv, units, unit_rules(rules), same_length=True)


# A measured value and the unit it ends in: ≥95 | 人次, ≤90 | 万元, 100 | %.
VALUE_WITH_UNIT = re.compile(r"^(.*\d)\s*([^\d\s.,，、]{1,6})$")


def snapped_value_unit(fv: FieldValue, units: Sequence[str], rules: VocabularyMatch) -> FieldValue:
    """A target or actual whose unit was misread (≥95人欠) with the unit snapped to the
    term (≥95人次), when the OCR doubted the reading. A unit read as a term changes
    nothing: the whole value's confidence is also the number's, which the unit does not
    vouch for."""
    if not isinstance(fv.value, str) or "inferred" in fv.flags or fv.confidence >= rules.snap_below:
        return fv
    parts = VALUE_WITH_UNIT.match(fv.value)
    if parts is None:
        return fv
    found = match_term(parts.group(2), units, unit_rules(rules), same_length=True)
    if found is None or found.edits == 0:
        return fv
    return fv.model_copy(update={
        "value": parts.group(1) + found.term,
        "confidence": min(fv.confidence, round(found.quality * rules.snap_trust, 4)),
        "alternatives": [*fv.alternatives, fv.value]})


def signed_by_prior(fv: FieldValue, rules: VocabularyMatch) -> FieldValue:
    """A measure read with a sign the forms seldom print (>95%) as the one they print
    (≥95%), flagged ``ambiguous`` with the reading in ``alternatives``: a person confirms
    which (config/templates.yaml `vocabulary_match.sign_prior`)."""
    if not isinstance(fv.value, str) or fv.value[:1] not in rules.sign_prior or not fv.value[1:2].isdigit():
        return fv  # a sign before a number only (《实施方案》印发 is a title)
    out = fv.model_copy(update={"value": rules.sign_prior[fv.value[0]] + fv.value[1:],
                                "alternatives": [*fv.alternatives, fv.value],
                                "flags": list(fv.flags)})
    out.flag("ambiguous")
    return out


def snap_record(record: Record, vocabulary: Vocabulary, rules: VocabularyMatch,
                characters_in_doubt: bool = True) -> None:
    """Every value of the record that a closed vocabulary of its form covers, snapped:
    header fields, then each row's level-1 name and the level-2 name under it, and the
    unit its target and actual end in; a scan's measures given the sign the forms print
    (:func:`signed_by_prior`)."""
    def snap(fv: FieldValue, terms: Sequence[str]) -> FieldValue:
        return snapped(fv, terms, rules, characters_in_doubt)

    if record.source.kind in SCANNED:
        for ind in record.indicators:
            for key in rules.sign_prior_keys:
                setattr(ind, key, signed_by_prior(getattr(ind, key), rules))

    for name, terms in vocabulary.fields.items():
        if name in record.fields:
            record.fields[name] = snap(record.fields[name], terms)
    for ind in record.indicators:
        if vocabulary.level1:
            ind.level1 = snap(ind.level1, vocabulary.level1)
        terms = vocabulary.level2_terms(ind.level1.value)
        if terms:
            ind.level2 = snap(ind.level2, terms)
        if vocabulary.units and characters_in_doubt:  # a text's units are as printed
            ind.target = snapped_value_unit(ind.target, vocabulary.units, rules)
            ind.actual = snapped_value_unit(ind.actual, vocabulary.units, rules)
