"""What the tests of texts that keep positions (pdftotext -layout) share: the default
config's forms and a text's pieces as the reader splits them."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.pieces import Piece, TextKind, text_to_pieces
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
CAP = CONFIG.confidence.ambiguous_cell
FUND = CATALOGUE.templates["gd_fund"].version(None)
INDEX = label_index(CATALOGUE, CONFIG)


def pieces_of(lines: list[str]) -> list[Piece]:
    """The pieces of a text that kept positions (its kind asserted: SPACED)."""
    kind, pieces, _lines = text_to_pieces("\n".join(lines), CONFIG, INDEX)
    assert kind is TextKind.SPACED
    return pieces
