"""Damaged PDF text layers: the text path's repairs applied to a digital PDF's layout.

A text layer written by an earlier OCR pass or a poor converter carries the damage of the
seed's text (``shared/seeds/``): traditional characters, labels torn by a space or a junk
character (实施文 C件依据), sentences and paragraphs said twice, noise tokens (XXXIIII III,
•), garbled narrative headings (政金刃用趣饮用成效). The ruling lines still give the
tables, so only the text of each cell and free line needs repair, and it gets the text
path's own functions (`repair`, `narrative.repair_paragraphs`), in the same order.

One step is the PDF's own: noise glued to a cell's text (质量指标III). A text extraction
puts noise in a slot of its own; a PDF has no tabs, so it sticks to its neighbour.

Trust follows the text path (``config/text.yaml``, `confidence:`):

* a layer where no repair changes anything is returned as it was: a clean PDF reads
  exactly as before, with the text layer's confidence;
* a layer shown damaged is read as a repaired extraction: characters converted cap a
  cell at ``simplified``, a misread digit at ``digits``, running text at ``prose``
  (look-alike characters such as 己/已 cannot be ruled out), a rewritten heading at
  ``heading``; values under the review threshold are then flagged
  (`checks.confidence`), so a repair that could be wrong is shown, not trusted.

A cell keeps what the layer said in ``raw`` (and a free line in ``TextLine.raw``): a
repaired value still shows its raw text.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.layout import BBox, DocumentLayout, TextLine
from pipeline.mapping.narrative import narrative_lines
from pipeline.template.catalogue import Catalogue
from pipeline.text.normalize import join_cell_lines
from pipeline.textform import repair
from pipeline.textform.narrative import (
    BULLET,
    is_heading_line,
    looks_like_heading,
    ordinal,
    repair_paragraphs,
)
from pipeline.textform.vocab import LabelIndex, TextConfig, label_index, load_text_config


@dataclass
class RepairedText:
    text: str
    changed: bool  # the text differs from the layer's, or characters were converted
    confidence: float = 1.0  # the cap the repairs put on the reading's confidence


def repair_cell_text(text: str, labels: LabelIndex, config: TextConfig) -> RepairedText:
    """One cell's (or free line's) text through the text path's fragment repairs: noise
    dropped, traditional → simplified, comparators as printed, torn labels rejoined, a
    sentence said twice once, misread digits of a number fixed."""
    cleaned, repairs, confidence = repair.clean_fragment(text, config)
    cleaned, glued = repair.strip_noise(cleaned, config)
    if glued:
        repairs.add("noise")
    joined, rejoined = repair.rejoin_tokens(cleaned, labels)
    if rejoined:
        repairs.add("rejoined")
        confidence = min(confidence, config.confidence.rejoined)
    deduped, repeated = repair.remove_repeated_sentences(joined, config.repeat_min_chars)
    if repeated:
        repairs.add("repeat")
    fixed, misread = repair.fix_number(deduped, config.digit_lookalikes)
    if fixed != deduped and any(ch.isdigit() for ch in deduped):
        repairs.add("digits")
        deduped = fixed
        if misread:
            confidence = min(confidence, config.confidence.digits)
    if repair.is_prose(deduped):
        confidence = min(confidence, config.confidence.prose)
    return RepairedText(deduped, bool(repairs) or deduped != text, confidence)


@dataclass
class NarrativeUnit:
    """A heading line, or the body lines between two headings joined."""

    lines: list[TextLine]
    text: str
    heading: bool


def narrative_units(lines: list[TextLine], labels: LabelIndex, config: TextConfig
                    ) -> tuple[list[NarrativeUnit], bool]:
    """The narrative's headings and paragraphs, each line's text cleaned like a fragment
    first; True when that cleaning changed anything."""
    units: list[NarrativeUnit] = []
    changed = False
    body: list[TextLine] = []
    texts: list[str] = []

    def close_body() -> None:
        if body:
            units.append(NarrativeUnit(list(body), join_cell_lines(texts), heading=False))
            body.clear()
            texts.clear()

    for line in lines:
        cleaned, repairs, _ = repair.clean_fragment(line.text, config)
        cleaned, glued = repair.strip_noise(cleaned, config)
        cleaned = BULLET.sub("", cleaned)
        changed |= bool(repairs) or glued or cleaned != line.text.strip()
        if not cleaned:
            continue
        if is_pdf_heading(cleaned, units[-1] if units and not body else None):
            close_body()
            units.append(NarrativeUnit([line], cleaned, heading=True))
        else:
            body.append(line)
            texts.append(cleaned)
    close_body()
    return units, changed


def is_pdf_heading(text: str, heading_before: NarrativeUnit | None) -> bool:
    """A numbered heading alone on its line. Stricter than the text path's test, as a
    PDF line may be a paragraph's short tail: a comma makes it running text, and a line
    opening with the ordinal of the heading right above it is that heading's garbled
    copy glued to its paragraph (二、资金支出情况 / 二、资未支出情王赣州市…)."""
    if not (is_heading_line(text) and looks_like_heading(text)):
        return False
    return heading_before is None or not heading_before.heading or \
        ordinal(text) != ordinal(heading_before.text)


def union_bbox(lines: list[TextLine]) -> BBox:
    return (min(ln.bbox[0] for ln in lines), lines[0].bbox[1],
            max(ln.bbox[2] for ln in lines), lines[-1].bbox[3])


def repair_narrative(lines: list[TextLine], labels: LabelIndex, config: TextConfig
                     ) -> tuple[list[TextLine], bool]:
    """The narrative lines repaired (one line per heading and per paragraph block), and
    whether any repair changed its text."""
    units, changed = narrative_units(lines, labels, config)
    repaired = repair_paragraphs(
        [(u.text, min(ln.confidence for ln in u.lines)) for u in units], labels, config,
        headings={i for i, u in enumerate(units) if u.heading})
    kept = {i for i, _, _ in repaired}
    changed |= len(kept) != len(units) or any(text != units[i].text for i, text, _ in repaired)
    out = []
    for i, text, confidence in repaired:
        unit = units[i]
        out.append(TextLine(page=unit.lines[0].page, bbox=union_bbox(unit.lines), text=text,
                            raw="\n".join(ln.raw or ln.text for ln in unit.lines),
                            confidence=round(confidence, 4)))
    return out, changed


def repair_text_layer(layout: DocumentLayout, catalogue: Catalogue, config: TextConfig | None = None
                      ) -> DocumentLayout:
    """The layout of a digital PDF with its text layer's damage repaired; the layout
    itself when nothing needed repair (see the module's docstring for the trust)."""
    config = config or load_text_config()
    labels = label_index(catalogue, config)
    damaged = False
    cells = {}
    for t, table in enumerate(layout.tables):
        for c, cell in enumerate(table.cells):
            if cell.text:
                fixed = repair_cell_text(cell.text, labels, config)
                cells[(t, c)] = fixed
                damaged |= fixed.changed
    narrative = narrative_lines(layout)
    in_narrative = {id(ln) for ln in narrative}
    others = {i: repair_cell_text(ln.text, labels, config)
              for i, ln in enumerate(layout.lines) if id(ln) not in in_narrative}
    damaged |= any(fixed.changed for fixed in others.values())
    repaired_narrative, narrative_changed = repair_narrative(narrative, labels, config)
    if not (damaged or narrative_changed):
        return layout
    out = layout.model_copy(deep=True)
    for (t, c), fixed in cells.items():
        cell = out.tables[t].cells[c]
        cell.raw = cell.raw or cell.text
        cell.text = fixed.text
        cell.confidence = round(min(cell.confidence, fixed.confidence), 4)
    lines = [ln.model_copy(update={"text": others[i].text, "raw": ln.raw or ln.text,
                                   "confidence": round(min(ln.confidence, others[i].confidence), 4)})
             for i, ln in enumerate(layout.lines) if i in others and others[i].text]
    out.lines = lines + repaired_narrative
    return out
