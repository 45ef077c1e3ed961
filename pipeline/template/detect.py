"""Which form is this: its labels and its structure together, the title one label among many.

Each form (a family of config/templates.yaml, or a province's version of it) is known by
its markers: the title, the head table's labels, the funds block's rows and columns, the
indicator table's columns. A form is recognised when enough of its own markers are found
(``min_template_score``, or ``min_titled_template_score`` when its family's title is printed:
the title names the form where a poor OCR lost most labels), and chosen by how well its
markers match the labels the document holds: a label of another form that this form never prints counts against it. So a
province's title (部门预算项目支出绩效自评表 says 部门) cannot make a project form a
department one, and a title covered by a seal or misread loses one marker, not the family.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.layout import DocumentLayout
from pipeline.template.catalogue import Catalogue, Marker, TemplateSpec
from pipeline.text.normalize import compact


@dataclass(frozen=True)
class FormMatch:
    """The form recognised: its family (the record's template), the version (None: the
    family's own form), the share of its markers found and how well it fits."""

    template: str
    version: str | None
    found: float
    fit: float
    titled: bool = False  # the family's own title is printed


def document_texts(layout: DocumentLayout) -> list[str]:
    texts = [compact(c.text) for t in layout.tables for c in t.cells if c.text]
    texts += [compact(line.text) for line in layout.lines]
    return [t for t in texts if t]


def alternatives(marker: Marker) -> tuple[str, ...]:
    return (marker,) if isinstance(marker, str) else tuple(marker)


def marker_key(marker: Marker) -> tuple[str, ...]:
    return tuple(compact(m) for m in alternatives(marker))


def marker_found(marker: Marker, texts: list[str], min_score: float) -> bool:
    """One of the marker's wordings is in one of the texts (fuzzily)."""
    for wording in alternatives(marker):
        target = compact(wording)
        if target and any(target in t for t in texts):
            return True  # printed exactly: no fuzzy search over every line
        if any(fuzz.partial_ratio(target, t) >= min_score for t in texts if len(t) >= len(target) * 0.6):
            return True
    return False


# A title's year before it (2022年度项目支出绩效自评表) or beside it in brackets (…自评表（2022
# 年度）); a line is the title when what is left is the title, give or take a misread
# character, or the title after the place or level it is of (XX县…, 省级…).
YEAR_BEFORE = re.compile(r"^(?:19|20)\d\d年度?")
YEAR_BRACKETED = re.compile(r"[(（]?(?:19|20)\d\d年度?[)）]?$")
PLACE_BEFORE = re.compile(r"(?:省|市|县|区|州|旗|级|年度)$")
TITLE_SLACK = 1  # a character a line may hold beyond the title (a stray mark); 附件：… is a sentence
PLACE_SLACK = 10  # the characters of a place or level before the title (广州市本级, XX县2023年度)


def title_printed(title: str, texts: list[str], min_score: float) -> bool:
    """The form's title on a line of its own: not a report's sentence that names the form
    (附件：项目支出绩效自评表 in a narrative), which ``marker_found`` would take."""
    target = compact(title)
    for text in texts:
        line = YEAR_BRACKETED.sub("", YEAR_BEFORE.sub("", text))
        if len(line) <= len(target) + TITLE_SLACK and fuzz.ratio(target, line) >= min_score:
            return True
        before = line[:-len(target)]
        if 0 < len(before) <= PLACE_SLACK and PLACE_BEFORE.search(before) \
                and fuzz.ratio(target, line[-len(target):]) >= min_score:
            return True
    return False


def match_forms(layout: DocumentLayout, catalogue: Catalogue) -> list[FormMatch]:
    """Every form scored on this document, best fitting first.

    ``found``: the share of the form's markers the document holds. ``fit``: those found
    over the form's markers plus the other forms' markers found that this form does not
    print (the Jaccard index of the form's labels and the labels found)."""
    texts = document_texts(layout)
    threshold = catalogue.min_label_score + 5
    forms = catalogue.forms()
    found: dict[tuple[str, ...], bool] = {}
    for _family, _version, spec in forms:
        for marker in spec.markers:
            key = marker_key(marker)
            if key not in found:
                found[key] = marker_found(marker, texts, threshold)
    # A wording shared by two markers (项目支出绩效自评表 is the national title and one of a
    # province's) is no evidence against a form printing it.
    titles = {family: title_printed(spec.title, texts, threshold) for family, spec in catalogue.templates.items()}
    matches = []
    for family, version, spec in forms:
        own = {marker_key(m) for m in spec.markers}
        own_words = {w for key in own for w in key}
        hits = sum(found[k] for k in own)
        foreign = sum(hit for k, hit in found.items() if k not in own and not set(k) & own_words)
        matches.append(FormMatch(family, version, hits / len(own), hits / (len(own) + foreign), titles[family]))
    return sorted(matches, key=lambda m: (-m.fit, -m.found))


def detect_form(layout: DocumentLayout, catalogue: Catalogue) -> FormMatch | None:
    """The form that fits best among those with enough of their markers found (fewer when
    the family's title is printed); None when no form has (the template is then unknown)."""
    recognised = [m for m in match_forms(layout, catalogue)
                  if m.found >= (catalogue.min_titled_template_score if m.titled else catalogue.min_template_score)]
    return recognised[0] if recognised else None


def closest_form(layout: DocumentLayout, catalogue: Catalogue) -> str:
    """The form nearest to being recognised and the share of its markers found, said to a
    user whose document none was recognised in ("mof_project, 4 of 13 labels")."""
    matches = match_forms(layout, catalogue)
    if not matches:
        return "no form in config/templates.yaml"
    best = max(matches, key=lambda m: m.found)
    markers = len(form_spec(best, catalogue).markers)
    return f"{best.template}, {round(best.found * markers)} of {markers} labels"


def form_spec(match: FormMatch, catalogue: Catalogue) -> TemplateSpec:
    """What the recognised form prints: its family's spec, or its version's."""
    return catalogue.templates[match.template].version(match.version)


def score_templates(layout: DocumentLayout, catalogue: Catalogue) -> dict[str, float]:
    """Each family's best share of markers found (any of its versions)."""
    scores: dict[str, float] = {}
    for m in match_forms(layout, catalogue):
        scores[m.template] = max(scores.get(m.template, 0.0), m.found)
    return scores


def detect_template(layout: DocumentLayout, catalogue: Catalogue) -> tuple[str, float]:
    """The best family and its share of markers found; ("unknown", best share) when no
    form is recognised."""
    match = detect_form(layout, catalogue)
    if match is None:
        return "unknown", max(score_templates(layout, catalogue).values(), default=0.0)
    return match.template, match.found
