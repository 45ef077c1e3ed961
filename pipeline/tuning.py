"""The tuning numbers of the scanned path's stages, one settings object per stage, each
number named with a line on its basis (as pdfplumber's ``TableSettings`` names every
tolerance): straightening (``pipeline/image/straighten.py``), ruling lines
(``pipeline/image/lines.py``), text lines of a cell
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
    # A component this wide for its height or wider is a glyph (a rule's remnant is
    # thinner): one reaching from a band into the next joins them.
    bridge_width_share: float = Field(default=0.25, ge=0)
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


class StraightenSettings(BaseModel):
    """The tuning numbers of straightening a page image (pipeline/image/straighten.py),
    one line each on where they come from. Lengths in inches scale with the page's dpi;
    "corpus" is the fixture and bench corpora (clean and degraded scans, photos, copier
    scans) they were measured on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # -- measuring copy and ink ----------------------------------------------------------
    # Resolution of the reduced copy everything is measured on: a 9 pt glyph is ~12 px.
    analysis_dpi: float = 100.0
    # Paper covers most of a form page, ink a few percent: their gray levels are these
    # percentiles of the page's histogram.
    paper_percentile: float = 0.90
    ink_percentile: float = 0.003
    # Ink mask of the reduced copy: local mean over 31 px (0.3 in at 100 dpi), offset by
    # this share of the paper-ink contrast, at least 8 gray levels.
    binarize_block: int = 31
    binarize_offset: float = 0.12
    binarize_min_offset: float = 8.0

    # -- perspective (photos) ------------------------------------------------------------
    # A photographed page is taken for A4 within this share of A4's proportions (a real
    # camera's corners give a few %; our fixtures' corner jitter up to 9 %).
    a4_tolerance: float = 0.12
    # A phone's main camera, in image diagonals (26-28 mm equivalent), when a photo does
    # not tell its own focal length.
    phone_focal_diagonals: float = 0.8
    # A scan is paper up to its edges: beyond this share of bright border it is no photo.
    photo_max_border_bright: float = 0.25
    # Paper against desk is a big step (our photos: 107-146 levels; dim scans 10-20).
    photo_min_contrast: float = 50.0
    # The page covers this range of a photo's area.
    photo_min_page_fraction: float = 0.15
    photo_max_page_fraction: float = 0.97
    # Margin cut off a warped photo, share of its long side: corners are found to a few
    # px, and a sliver of desk would look like a ruling line.
    photo_margin_cut: float = 0.006
    # A corner refined by line fits may move at most this share of the page's size.
    corner_max_move: float = 0.05

    # -- contrast ------------------------------------------------------------------------
    # Paper minus ink (gray levels) below which a page is faded and is stretched: clean
    # scans 160-235, degraded 93-151, clean scans at 30 % contrast 48-71.
    min_contrast: float = 80.0
    # Below this there is no ink to restore (a blank page): stretching blows up noise.
    min_ink: float = 20.0
    # The paper background is the brightest value within this window (wider than a glyph).
    background_window_in: float = 0.2
    # The gray a faded page's ink is stretched to (its paper to 255).
    stretched_ink_level: float = 20.0

    # -- orientation ---------------------------------------------------------------------
    # Runs of ink this long are ruling lines, not text (a glyph is under 0.25 in).
    line_run_in: float = 0.3
    # |text direction| (mean log width/height of text blobs) below this: no direction
    # (blank page); upright pages of the corpus score 1.1-2.0.
    min_text_direction: float = 0.3
    # Text lines the classifier judges: at most this many, one line high (6-22 pt text)
    # and at least this many times as wide; the first few settle most pages, the rest are
    # read when those do not all vote at least ``classifier_clear_vote``.
    classifier_lines: int = 12
    classifier_first_lines: int = 4
    classifier_clear_vote: float = 0.8
    line_min_height_in: float = 0.08
    line_max_height_in: float = 0.3
    line_min_aspect: float = 2.5
    # The classifier decides with at least this many lines and a mean vote (-1..1) at
    # least this far from 0 (the corpus: beyond ±0.5 on every page); else the layout does.
    classifier_min_lines: int = 3
    classifier_min_vote: float = 0.3
    # The layout's upright score must be below minus this to turn a page by 180°.
    min_upright_score: float = 0.1

    # -- skew ----------------------------------------------------------------------------
    # Skews beyond this are not believed (no page lies that crooked on a scanner glass);
    # under the other, not worth a resampling (half the precision asked for).
    max_skew_deg: float = 5.0
    min_skew_deg: float = 0.05
    # Worst/best projection profile above this: no direction stands out (a blank page).
    blank_flatness: float = 0.97
    # A ruling line's angle counts when within this of the projection profile's.
    line_agreement_deg: float = 0.5
    # Ruling lines measured for skew: at least this long, at most this thick; found by an
    # opening this long.
    min_line_in: float = 1.5
    max_line_thickness_in: float = 0.05
    line_open_in: float = 0.4
    # Ink pixels sampled for the projection profiles (page; text lines only).
    profile_points: int = 10_000
    text_profile_points: int = 25_000


class Tuning(BaseModel):
    """``config/tuning.yaml``: the settings of each stage."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    straighten: StraightenSettings = StraightenSettings()
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
