"""A scanned record's boxes put on the source page.

The OCR measures a scan on its straightened page (turned upright, skew and a photo's
perspective undone); a user, and the review page, have the page as the file holds it.
Each value's box is taken back through its page's straightening
(:class:`~pipeline.models.PageTransform`): the box around where it lies on the source page.
"""

from __future__ import annotations

from pipeline.models import Record


def boxes_on_source_page(record: Record) -> Record:
    """The record with every value's ``bbox`` on the source page (a new record; the one
    handed in is not edited). A record without page transforms (text layers, text) comes
    back as it is."""
    transforms = {t.page: t for t in record.source.page_transforms}
    if not transforms:
        return record
    out = record.model_copy(deep=True)
    for _, value in out.iter_values():
        if value.bbox is not None and value.page in transforms:
            value.bbox = transforms[value.page].box_on_source(value.bbox)
    return out
