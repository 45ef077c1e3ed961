"""The tuning numbers of the scanned path's stages, one settings object per stage, each
number named with a line on its basis (as pdfplumber's ``TableSettings`` names every
tolerance): ruling lines (``pipeline/image/lines.py``), text lines of a cell
(``pipeline/ocr/text_lines.py``), grid (``pipeline/grid/lattice.py``).

The defaults are the numbers the bench was run with. ``config/tuning.yaml`` (and a user's
``--config`` folder, laid over it as every config file is: ``pipeline/config_files.py``)
may change any of them; the merged file is validated here, an unknown key named with its
file. They reach the stages through the one :class:`pipeline.settings.Settings`
(``settings.tuning``); a stage called on its own takes its object's defaults.

These are facts about images (ink, strokes, scanner noise), not about forms: form
knowledge stays in ``templates.yaml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipeline.config_files import load_validated

CONFIG_FILE = "tuning.yaml"


class LineSettings(BaseModel):
    """Ruling lines of a straightened page (``pipeline/image/lines.py``, whose docstring
    gives the steps). Lengths in inches, multiplied by the page's dpi."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # A horizontal line needs one unbroken run this long: a 12 pt glyph is 0.17 in wide.
    h_strong: float = Field(default=0.20, gt=0)
    # ... and this total length (the narrowest form cell holding a number is wider).
    h_min: float = Field(default=0.35, gt=0)
    # A vertical line's run: a 9 pt glyph is 0.13 in tall, one table row 0.22 in.
    v_strong: float = Field(default=0.19, gt=0)
    # ... and its total length: one table row.
    v_min: float = Field(default=0.19, gt=0)
    # Shortest straight piece kept by the opening: glyph curves and dots are shorter.
    weak: float = Field(default=0.08, gt=0)
    # Top-hat height: lines thinner than this stand out of the paper (a rule is ~0.01 in).
    top_hat: float = Field(default=0.05, gt=0)
    # A piece thicker than this (mean) is a filled area, not a ruling line.
    max_thick: float = Field(default=0.06, gt=0)
    # A piece's rows at most this many times max_thick: a slightly skewed line spans a few more.
    max_thick_rows: float = Field(default=3.0, gt=0)
    # Pieces in line this close are one line: a faded or broken stretch of a rule.
    join_gap: float = Field(default=0.10, ge=0)
    # Two long (>= long_piece) pieces this close are one line.
    long_gap: float = Field(default=0.15, ge=0)
    # "Long": no cell is this narrow, no run of glyphs this straight.
    long_piece: float = Field(default=0.5, gt=0)
    # "In line": positions differ by at most this (a rule is ~0.01 in thick, deskewed to ~0.2°).
    join_offset: float = Field(default=0.02, ge=0)
    # Pieces bridged across a crossing line come this close to it (text 2 pt from a border does not).
    hug: float = Field(default=0.02, ge=0)
    # Each end is finally extended by this, so lines reach the crossings the grid looks for.
    extend: float = Field(default=0.02, ge=0)
    # A line with a strong core this long is kept unanchored: touching glyphs make ~0.33 in at most.
    trusted: float = Field(default=1.0, gt=0)
    # How near an end must be to the crossing line it ends on.
    anchor: float = Field(default=0.04, ge=0)
    # An end grown over weak pieces may stop this short of its crossing (glyphs stop >= 0.035 in short).
    grow_anchor: float = Field(default=0.02, ge=0)
    # Growth over weak pieces: at most this many steps (a rule broken in more places stays short).
    grow_rounds: int = Field(default=4, ge=0)
    # Darker than the paper by this share of the ink contrast: keeps lines faded to a fifth.
    contrast_share: float = Field(default=0.12, gt=0)
    # ... and by at least this many gray levels (paper noise stays below it).
    min_contrast: float = Field(default=10.0, ge=0)
    # Lines this close to the image border are a scanner lid or a desk, not the form's.
    edge: float = Field(default=0.05, ge=0)
    # The page is averaged over dpi / this pixels along a line (2 at 300 dpi): more would
    # run the strokes of neighbouring glyphs (~0.015 in apart) together.
    average_dpi: float = Field(default=150.0, gt=0)


class TextLineSettings(BaseModel):
    """Text lines inside a cell by ink projection (``pipeline/ocr/text_lines.py``). Shares
    of a character's height (``size``) unless said otherwise."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Padding around each line's ink, as a share of its height: the recognisers read a
    # glyph hard against the image edge worse.
    pad: float = Field(default=0.2, ge=0)
    # Gray levels between paper and ink below which nothing is ink: JPEG ripples and
    # paper texture stay under it, a faded dash does not.
    min_contrast: float = Field(default=30.0, ge=0)
    # Ink ignored at each edge of a crop (ruling-line slivers): this share of its short side...
    border_share: float = Field(default=0.01, ge=0)
    # ... and at least this many pixels.
    border_px: int = Field(default=2, ge=0)
    # No printed text line is lower than this, in points (a digit of 9 pt type is ~6.5 pt high).
    min_line_pt: float = Field(default=6.5, ge=0)
    # A component at least this share of a character is a glyph (not dust or punctuation).
    solid_share: float = Field(default=0.3, gt=0)
    # ... and at least this many pixels.
    solid_px: float = Field(default=3.0, ge=0)
    # A crop whose biggest component is under this many pixels holds only dust.
    dust_px: float = Field(default=4.0, ge=0)
    # Rows with ink under this share of the fullest row's are gaps (a glyph's tail, blur).
    gap_row_share: float = Field(default=0.02, ge=0)
    # The line height is the median band at least this share of the tallest band high.
    line_band_share: float = Field(default=0.5, gt=0)
    # ... and no more than this many characters high (bands merged by a touching stroke).
    max_line_chars: float = Field(default=1.5, gt=0)
    # Bands closer than this are one line (the gap under a roof stroke of 完).
    merge_gap: float = Field(default=0.12, ge=0)
    # A band lower than this is thin: a stroke (the bars of 二, a dash), not a line.
    thin: float = Field(default=0.6, gt=0)
    # A thin band and its neighbour together at most this high are one line.
    thin_union: float = Field(default=1.25, gt=0)
    # ... or this close and together at most close_union high.
    close_gap: float = Field(default=0.3, ge=0)
    close_union: float = Field(default=1.5, gt=0)
    # A band at most this share of its neighbour's height (of the neighbour, not of size)...
    hanging_share: float = Field(default=0.25, ge=0)
    # ... hanging at most this share of it off it, is its last stroke (small print's 位).
    hanging_gap: float = Field(default=0.15, ge=0)
    # A band whose biggest component is under this is specks, dropped when the cell has lines.
    speck: float = Field(default=0.45, ge=0)
    # A line lower than this (a dash, a row of 一) is given this height for the recogniser.
    min_height: float = Field(default=0.8, ge=0)


class GridSettings(BaseModel):
    """Ruling lines to tables (``pipeline/grid/lattice.py``). Tolerances in points at
    72 dpi, multiplied by dpi/72 for images (:meth:`scaled`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Line positions closer than this are one line (a rule is ~1 pt; scans blur it to ~2).
    snap: float = Field(default=2.0, ge=0)
    # Segment ends this close touch (lines.py extends each end by 0.02 in = 1.4 pt).
    join: float = Field(default=3.0, ge=0)
    # A line must cover this share of a cell side to separate two cells (broken scan lines pass).
    min_coverage: float = Field(default=0.6, ge=0, le=1)
    # Lattice rows or columns thinner than this are a double rule, counted as one line.
    min_cell: float = Field(default=4.0, ge=0)
    # Fewer distinct horizontal or vertical lines than this: not a table (a box, an underline).
    min_table_lines: int = Field(default=2, ge=2)
    # A separator is looked for within this many snaps of its lattice position.
    coverage_snap: float = Field(default=1.5, gt=0)

    def scaled(self, dpi: int) -> GridSettings:
        k = dpi / 72
        return self.model_copy(update={"snap": self.snap * k, "join": self.join * k,
                                       "min_cell": self.min_cell * k})


class Tuning(BaseModel):
    """``config/tuning.yaml``: the settings of each stage."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lines: LineSettings = LineSettings()
    text_lines: TextLineSettings = TextLineSettings()
    grid: GridSettings = GridSettings()


# The defaults, for a stage called on its own.
DEFAULT_TUNING = Tuning()


@cache
def load_tuning(config_dir: Path | None) -> Tuning:
    """The shipped tuning.yaml with a user's folder laid over it, validated (ConfigError
    naming the file and the key)."""
    return load_validated(CONFIG_FILE, config_dir, Tuning.model_validate)
