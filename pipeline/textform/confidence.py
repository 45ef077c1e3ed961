"""How far a value read from a repaired text extraction is trusted.

The rule (numbers in ``config/text.yaml``, `confidence:`): a fragment no repair touched
gets ``clean`` (0.95, below a clean PDF text layer's 0.99: the extraction lost the
geometry the PDF had). Each repair that could have gone wrong caps it lower:
traditional characters converted inside a value (0.92), a value cut off a label it
was glued to or a label rejoined (0.9), a cell joined from wrapped lines (0.9, 0.75 when
its lines do not balance around their row), a misread digit replaced (0.8), running text
where look-alike characters cannot be excluded (0.8), a merged group whose rows are a
weak guess (0.75), a weight equal to its parent's while the parent has other children
(0.5). A cell's confidence is the lowest of its fragments'; the mapping multiplies a
header field's by its label match.

`pipeline.checks.confidence.flag_low_confidence` turns this into the `low_ocr_confidence`
flag for values under the review threshold (`Settings.review_threshold`), as it does for
OCR readings, so that an uncertain reading is shown to a person rather than trusted.
"""
