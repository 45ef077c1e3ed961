"""Which form is this: fuzzy match of each template's title and labels."""

from __future__ import annotations

from rapidfuzz import fuzz

from pipeline.layout import DocumentLayout
from pipeline.template.catalogue import Catalogue
from pipeline.text.normalize import compact


def document_texts(layout: DocumentLayout) -> list[str]:
    texts = [compact(c.text) for t in layout.tables for c in t.cells if c.text]
    texts += [compact(line.text) for line in layout.lines]
    return [t for t in texts if t]


def marker_found(marker: str, texts: list[str], min_score: float) -> bool:
    target = compact(marker)
    return any(fuzz.partial_ratio(target, t) >= min_score for t in texts if len(t) >= len(target) * 0.6)


def score_templates(layout: DocumentLayout, catalogue: Catalogue) -> dict[str, float]:
    texts = document_texts(layout)
    scores = {}
    for name, spec in catalogue.templates.items():
        found = sum(marker_found(m, texts, catalogue.min_label_score + 5) for m in spec.markers)
        scores[name] = found / len(spec.markers)
    return scores


def detect_template(layout: DocumentLayout, catalogue: Catalogue) -> tuple[str, float]:
    """The best template and its score; ("unknown", score) below the catalogue's bar."""
    scores = score_templates(layout, catalogue)
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < catalogue.min_template_score:
        return "unknown", scores[best]
    return best, scores[best]
