"""Any plain-text extraction of a form → pieces: the cell texts in the order the tool wrote
them, each with its line and, where the tool kept it, its column position.

Extractors keep different things (issue 15): tab slots (copy-paste, the seed), column
positions as runs of spaces (``pdftotext -layout``), cells joined by one space on a line
(pdfplumber), or nothing but the order of the cells, one per line (pypdf, PyMuPDF,
``pdftotext``). A piece is what every one of them still separates: a run of text between
tabs, runs of spaces or line breaks. What the text kept is read off the text itself
(`TextKind`); nothing is asked of the user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import accumulate
from unicodedata import east_asian_width

from pipeline.text.normalize import compact
from pipeline.textform.repair import (
    DOUBT_MARK,
    PAGE_BREAK,
    blank_page_marks,
    blank_rules,
    clean_fragment,
    clean_line,
    kept_page_break,
    rejoin_pair,
)
from pipeline.textform.vocab import LabelIndex, TextConfig

# A comparator glued to the name before it (PyMuPDF: 农村人居完成数量≥120个), and a
# group's weight glued to the next cell (pdfplumber: 标（10分）意度指标).
GLUED_COMPARATOR = re.compile(r"(?<=[\u4e00-\u9fff）)])(?=[≥≤])|(?<=\d分[)）])(?=[\u4e00-\u9fff])")
# A percentage glued to the name before it (覆盖率100%).
GLUED_PERCENT = re.compile(r"(?<=[\u4e00-\u9fff])\d+(?:\.\d+)?%$")
# A number that starts a new cell: right after a unit or word, not inside a date (12月31日).
SECOND_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff%])(?<![年月日第号至])\d+(?:\.\d+)?[^\d]*$")
# A name glued to the number after it (PyMuPDF, a narrow gap: 任务完成时间30, 资金管理15):
# four Chinese characters at least, not ending in a word a bound or a scoring rule writes
# before its number (不低于90, 达到100, 每项扣2).
GLUED_NUMBER = re.compile(r"^([\u4e00-\u9fff]{4,})(?<![于到过为第约共计近超达扣减加])(\d+(?:\.\d+)?)$")
NUMBER_IN = re.compile(r"\d")
PROSE = re.compile(r"[，。；、,;]")
LONE_AMOUNT = re.compile(r"^[\d,.]+$")
WIDE_GAP = re.compile(r"\s{2,}|\t")


class TextKind(str, Enum):
    """What a text kept of the form's columns."""

    TABBED = "tabbed"      # cells in tab slots (one table row per line)
    SPACED = "spaced"      # cells at their columns, padded with spaces (pdftotext -layout)
    LINES = "lines"        # a table row per line, cells joined by one space (pdfplumber)
    CELLS = "cells"        # one cell (or one wrapped line of a cell) per line


@dataclass(frozen=True)
class Piece:
    """One cell text (or one wrapped line of a cell) as the extractor wrote it.

    ``line`` counts the text's lines after duplicates were dropped; ``x`` is the display
    column (the character offset, as pdftotext -layout sets its grid) where the piece
    starts, when the text kept positions (SPACED), else None. ``raw`` is the text as read; ``text`` is simplified,
    width-folded, its comparators normalised."""

    text: str
    raw: str
    line: int
    x: int | None
    confidence: float
    # A cell's wrapped lines joined into one piece (a group name down a narrow column):
    # the last of them; the piece stands at its first (``line``).
    end_line: int | None = None

    @property
    def key(self) -> str:
        return compact(self.text)

    @property
    def middle_line(self) -> float:
        """The middle of the lines the piece was printed on."""
        return (self.line + (self.line if self.end_line is None else self.end_line)) / 2


def share_column(a: Piece, b: Piece) -> bool:
    """Two pieces of a text that kept positions stand in one column: their printed spans
    overlap. A cell's lines start where it starts when left-aligned, but not when centred
    (a shorter last line starts further right); columns never overlap."""
    if a.x is None or b.x is None:
        return False
    return a.x < b.x + printed_width(b) and b.x < a.x + printed_width(a)


def wraps_in_column(a: Piece, b: Piece) -> bool:
    """Two lines of a text that kept positions that may be one cell's: they share a column,
    or start a character apart (a tool's grid places each line on its own: a narrow
    column's one-character line may stand a place left of the line above it, 项目 | 申)."""
    return share_column(a, b) or (a.x is not None and b.x is not None and abs(a.x - b.x) <= 1)


def display_width(text: str) -> int:
    """The columns a text covers in print: a wide (CJK) character two, any other one."""
    return sum(2 if east_asian_width(ch) in ("W", "F") else 1 for ch in text.strip())


def printed_width(piece: Piece) -> int:
    """How many columns of the extractor's grid a piece covers (one a character)."""
    return max(1, len(piece.raw.strip()))


def column_order(pieces: list[Piece]) -> dict[int, int]:
    """Each piece's column (by ``id``) among pieces of a text that kept positions: the
    groups of pieces whose printed spans overlap, numbered left to right."""
    out: dict[int, int] = {}
    column, left, right = -1, 0, None
    # At one place the widest piece first: a narrow one after it joins its column, and
    # pieces printed alike at one place get one column whatever their order.
    for p in sorted(pieces, key=lambda q: (q.x or 0, -printed_width(q))):
        start, width = p.x or 0, printed_width(p)
        # Overlapping by half the narrower of the piece and the column's span at least:
        # a long piece grazing the next column's start does not join the two.
        if right is None or min(right, start + width) - start < min(width, right - left) / 2:
            column, left, right = column + 1, start, start + width
        right = max(right, start + width)
        out[id(p)] = column
    return out


def straddling(pieces: list[Piece], least_lines: int = 3, valley_share: float = 0.4) -> dict[int, int]:
    """Pieces of a text that kept positions whose printed span crosses the gutter between
    two columns (by ``id``, with the gutter's position): a tool that leaves no space
    between neighbouring cells (pdfplumber's layout mode: 评分标准 and 佐证材料 side by side)
    prints them as one piece. No cell crosses its column's edge on the page, so where the
    table's other lines leave a gap (a valley in how many lines print at each position,
    at most ``valley_share`` of the columns on either side, each printed on
    ``least_lines`` lines at least) inside one piece, that piece may be two cells joined."""
    lines_at: dict[int, set[int]] = {}
    for p in pieces:
        if p.x is not None:
            for x in range(p.x, p.x + printed_width(p)):
                lines_at.setdefault(x, set()).add(p.line)
    out: dict[int, int] = {}
    for p in pieces:
        if p.x is None or printed_width(p) < 6:
            continue
        # How many other lines print at each position of the piece's span.
        others = [len(lines_at[x]) - 1 for x in range(p.x, p.x + printed_width(p))]
        left = list(accumulate(others, max))
        right = list(accumulate(reversed(others), max))[::-1]
        best: tuple[float, int] | None = None
        for k in range(2, len(others) - 2):  # a gutter inside the piece, not at its ends
            sides = min(left[k - 1], right[k + 1])
            if sides >= least_lines and others[k] <= valley_share * sides:
                share = others[k] / sides
                if best is None or share < best[0]:
                    best = (share, p.x + k)
        if best is not None:
            out[id(p)] = best[1]
    return out


def detect_kind(lines: list[str]) -> TextKind:
    """The kind of the text, by what its lines hold (tabs, wide gaps, one piece each)."""
    filled = [ln for ln in lines if ln.strip()]
    if not filled:
        return TextKind.CELLS
    tabbed = sum("\t" in ln.strip("\t ") for ln in filled)
    if tabbed >= 0.2 * len(filled):
        return TextKind.TABBED
    gapped = sum(bool(WIDE_GAP.search(ln.strip())) for ln in filled)
    if gapped >= 0.2 * len(filled):
        return TextKind.SPACED
    spaced = sum(" " in ln.strip() for ln in filled)
    if spaced >= 0.25 * len(filled):
        return TextKind.LINES
    return TextKind.CELLS


def text_kind(text: str) -> TextKind:
    return detect_kind(text.split("\n"))


def split_line(line: str, kind: TextKind) -> list[tuple[str, int | None]]:
    """A line's pieces with their display column (SPACED only)."""
    if kind is TextKind.TABBED:
        return [(p, None) for p in line.split("\t")]
    if kind is TextKind.SPACED:
        # pdftotext -layout sets every character, Chinese or not, in one column of its
        # grid: a piece's column is its character offset. Neighbouring cells may be one
        # space apart.
        return [(m.group(), m.start()) for m in re.finditer(r"\S+", line)]
    # One space separates cells on a line (pdfplumber, pdftotext's reading order) but
    # never splits Chinese prose, which has no spaces.
    return [(p, None) for p in line.split(" ") if p]


def split_group_weight(text: str, groups: tuple[str, ...]) -> list[str]:
    """A group name, its weight and the next cell glued (社会效益指标30代表联络站建设覆盖率)."""
    for name in groups:
        if text.startswith(name) and len(text) > len(name):
            found = re.match(r"(\d+(?:\.\d+)?)(?=[\u4e00-\u9fff])", text[len(name):])
            if found:
                return [name, found.group(1), text[len(name) + found.end():]]
            if re.fullmatch(r"\d+(?:\.\d+)?", text[len(name):]):
                return [name, text[len(name):]]
    return [text]


def split_group_names(text: str, groups: tuple[str, ...]) -> list[str]:
    """A group name and the next group's name (or its first wrapped line) glued as one
    piece (产出指标时效指 | 标: PyMuPDF joins a level-1 cell and the level-2 cell beside it
    when their texts share a line and the gap between the cells is narrow). Parted only
    where the whole is no group name nor the start of one and the rest begins a group
    name with three characters at least (``groups``: the vocabularies' names, longest
    first): two (产出数量 | 完成率, 决策过程) may as well be a row name's first line. Where
    the row's name is glued too, two whole group names part it from their rest."""
    if any(g.startswith(text) for g in groups):
        return [text]
    for name in groups:
        rest = text[len(name):]
        if text.startswith(name) and len(rest) >= 3 and any(g.startswith(rest) for g in groups):
            return [name, rest]
    # Both groups' cells glued to the row's name (效益指标社会效益指标社会公众知晓率): two whole
    # group names, then the rest.
    for name in groups:
        rest = text[len(name):]
        if text.startswith(name):
            second = next((g for g in groups if len(rest) > len(g) >= 3 and rest.startswith(g)), None)
            if second is not None:
                return [name, second, rest[len(second):]]
    return [text]


def split_glued(text: str, qualitative: tuple[str, ...], groups: tuple[str, ...] = ()) -> list[str]:
    """Cells a tool glued together when their gap was narrow (PyMuPDF): a name and its
    target (完成数量≥120个, 覆盖率100%, 经济增长逐步改善), a target and its actual
    (达成年度指标达成). Only where the second part is a whole value of its kind."""
    out: list[str] = []
    for part in GLUED_COMPARATOR.split(text):
        for piece in split_group_weight(part, groups) if part else []:
            for name in split_group_names(piece, groups):
                out.extend(split_value_suffix(name, qualitative))
    return out


def split_value_suffix(text: str, qualitative: tuple[str, ...]) -> list[str]:
    if PROSE.search(text) or len(text) > 24:
        return [text]  # a sentence (a scoring standard: 每低1个百分点扣0.5分) is one cell
    found = GLUED_PERCENT.search(text)
    if found and found.start() >= 2:
        return [text[:found.start()], text[found.start():]]
    found = SECOND_NUMBER.search(text)
    if found and (NUMBER_IN.search(text[:found.start()]) or all(
            part in qualitative for part in split_value_suffix(text[:found.start()], qualitative))):
        # A value and the next cell's number (24.29万元19, ≥120人次120人次).
        return [*split_value_suffix(text[:found.start()], qualitative),
                *split_value_suffix(text[found.start():], qualitative)]
    found = GLUED_NUMBER.match(text)
    if found:
        return [found.group(1), found.group(2)]
    for term in sorted(qualitative, key=len, reverse=True):
        if len(term) >= 2 and text.endswith(term) and len(text) > len(term):
            head = text[:-len(term)]
            # A name and a value worded in the vocabulary, or two such values.
            if head in qualitative or (len(term) >= 4 and len(head) >= 2
                                       and "\u4e00" <= head[-1] <= "\u9fff"):
                return [head, term]
    # A name and the first line of a wrapped worded value (经济增长达成预期 | 指标).
    for k in range(len(text) - 4, 1, -1):
        tail = text[k:]
        if len(tail) >= 4 and any(t.startswith(tail) and t != tail for t in qualitative) \
                and "\u4e00" <= text[k - 1] <= "\u9fff":
            return [text[:k], tail]
    return [text]


def placed_parts(text: str, x: int | None, qualitative: tuple[str, ...], groups: tuple[str, ...]
                 ) -> list[tuple[str, int | None]]:
    """A piece's glued cells (`split_glued`), each at its own position where the text kept
    positions: a part printed further along its piece starts further right
    (标（10分）意度指标: 意度指标 stands under the 服务对象满 it completes, not at 标)."""
    out: list[tuple[str, int | None]] = []
    at = 0
    for part in split_glued(text, qualitative, groups):
        found = text.find(part, at)
        if found >= 0:
            at = found + len(part)
        out.append((part, None if x is None else x + max(found, 0)))
    return out


def pages_of_lines(lines: list[str]) -> list[int]:
    """The page (from 0) each line stands on, where the text marks its pages (pdftotext's
    form feed before a page's first line); 0 throughout where it does not."""
    out: list[int] = []
    page = 0
    for line in lines:
        page += line.count(PAGE_BREAK)
        out.append(page)
    return out


def pieces_by_line(pieces: Iterable[Piece]) -> dict[int, list[Piece]]:
    """The pieces grouped by their line, each line's in the order given, lines in the
    order they first come."""
    lines: dict[int, list[Piece]] = {}
    for p in pieces:
        lines.setdefault(p.line, []).append(p)
    return lines


def page_of(line: float, pages: Sequence[int]) -> int:
    """The page of a line (`pages_of_lines`); 0 for a line past them (no page marks)."""
    return pages[int(line)] if 0 <= int(line) < len(pages) else 0


def drop_doubled_lines(lines: list[str], window: int, min_chars: int, rows_per_line: bool = False) -> list[str]:
    """A line said again within the last ``window`` lines (a page joined twice, a damaged
    copy) is dropped when it is long enough to be no coincidence: short lines repeat for
    real in these texts (a target equal to its actual, a weight equal to its score, one
    cell per line), and so does a line that is one amount however long (年初预算数 equal
    to 全年预算数: 10,789,200.00 twice)."""
    out: list[str] = []
    recent: list[tuple[str, bool]] = []  # the last lines' keys, and whether each opened a block
    page_break = False  # a dropped line started a page: the next line kept starts it instead
    for line in lines:
        if page_break and PAGE_BREAK not in line:
            line, page_break = PAGE_BREAK + line, False
        key = compact(line)
        opens = not out or not out[-1].strip()  # the first line after a blank one
        keys = [k for k, _ in recent]
        # Right after itself, or further back when it is a sentence: two cells may
        # legitimately say the same name a few lines apart (主管部门 X, 实施单位 X). In a
        # text of a row per line (``rows_per_line``) a line of several cells' wrapped lines
        # repeats for real where neighbouring rows share their sentences (评价年度实现值/…
        # 专项资金监督检查的通): there only a line of one cell is a sentence said again. In a
        # text of blocks, a sentence opening a block as its copy opened one is a cell said
        # again (two rows' one 评分标准, each a block of its own), no doubled line.
        opens_like_its_copy = opens and (key, True) in recent
        further = key in keys and len(key) >= 20 and not (rows_per_line and " " in line.strip()) \
            and not opens_like_its_copy
        if key and len(key) >= min_chars and (keys[-1:] == [key] or further) \
                and not LONE_AMOUNT.match(line.strip()) \
                and not (opens_like_its_copy and short_cells_box(line, min_chars, rows_per_line)):
            page_break = PAGE_BREAK in line
            continue
        page_break = False
        out.append(line)
        if key:
            recent = (recent + [(key, opens)])[-window:]
    return out


def short_cells_box(line: str, min_chars: int, rows_per_line: bool) -> bool:
    """A line of a text of blocks that holds several short cells side by side (a row's
    target and actual in one box: 符合规范 符合规范): neighbouring rows say the same short
    cells for real, as a line of one short cell may repeat, so where it opens a block as
    its copy did (each row's box) it is no doubled line however long the cells make it
    together; right after itself in one block it is (a page joined twice)."""
    parts = line.split()
    return not rows_per_line and len(parts) > 1 and all(len(compact(p)) < min_chars for p in parts)


def rejoin_torn(parts: list[tuple[str, int | None]], labels: LabelIndex | None, kind: TextKind
                ) -> list[tuple[str, int | None]]:
    """Neighbouring parts of a line that are one label torn by a space or a stray letter
    (实施文 C件依据): joined, at the first part's position."""
    if labels is None or len(parts) < 2:
        return parts
    out = [parts[0]]
    for text, x in parts[1:]:
        prev_text, prev_x = out[-1]
        near = kind is not TextKind.SPACED or (
            x is not None and prev_x is not None and x - (prev_x + len(prev_text)) <= 3)
        joined = rejoin_pair(prev_text, text, labels) if near else None
        if joined is not None:
            out[-1] = (joined, prev_x)
        else:
            out.append((text, x))
    return out


def rejoin_spaced_group_names(parts: list[tuple[str, int | None]], groups: tuple[str, ...],
                              next_first: tuple[str, ...] = ()) -> list[tuple[str, int | None]]:
    """Neighbouring parts of a line, with no positions, that make one group name together
    (生态效益 指标, 服务对象 满意度指 标): a tool that joins a cell's wrapped lines with a
    space (an HTML export's line breaks, a fixed-pitch grid) parts a narrow column's name
    where the cell wrapped it. Joined, the longest run that is a whole name, or the parts
    that end the line and start one (its last line on the next); a part that is a name
    alone stays apart (产出 | 效益 are two level-1 cells). Not where the first part of one
    of the next two lines (``next_first``) goes on from the run's first parts: the name
    wraps onto it (效益指 | 标（30; 服务对象满意 | 满意度指标 | 度指标, a level-1 name's line
    between), and the run's last part is another cell's tail (达成预期指 | 标) beside it."""
    names = set(groups)

    def goes_on(head: str) -> bool:
        return any((n.startswith(head + first) or (head + first).startswith(n)) and len(n) > len(head)
                   for first in next_first if first for n in names)

    out: list[tuple[str, int | None]] = []
    i = 0
    while i < len(parts):
        end = next((j for j in range(len(parts), i + 1, -1)
                    if all(x is None for _t, x in parts[i:j])
                    and "".join(t for t, _x in parts[i:j]) in names
                    and not all(t in names for t, _x in parts[i:j])
                    and not goes_on("".join(t for t, _x in parts[i:j - 1]))), None)
        tail = "".join(t for t, _x in parts[i:])
        if end is None and len(parts) - i >= 2 and all(x is None for _t, x in parts[i:]) \
                and any(n.startswith(tail) and n != tail for n in names) \
                and not goes_on("".join(t for t, _x in parts[i:-1])):
            # The line ends in a name's first lines, its rest on the next line (可持续 影响指 | 标).
            end = len(parts)
        if end is None:
            out.append(parts[i])
            i += 1
            continue
        # Its weight spaced out beside it (产 出 指 标 （ 50 分）) goes with it.
        end = next((k for k in range(len(parts), end, -1) if all(x is None for _t, x in parts[end:k])
                    and SPACED_WEIGHT.fullmatch("".join(t for t, _x in parts[end:k]))), end)
        out.append(("".join(t for t, _x in parts[i:end]), None))
        i = end
    return out


# A group's weight after its name (（50分）, （50 分）).
SPACED_WEIGHT = re.compile(r"[（(]\d+(?:\.\d+)?分[）)]")


def text_to_pieces(text: str, config: TextConfig, labels: LabelIndex | None = None
                   ) -> tuple[TextKind, list[Piece], list[str]]:
    """`text_to_marked_pieces` without the lines marked in doubt."""
    kind, pieces, lines, _marked = text_to_marked_pieces(text, config, labels)
    return kind, pieces, lines


def text_to_marked_pieces(text: str, config: TextConfig, labels: LabelIndex | None = None
                          ) -> tuple[TextKind, list[Piece], list[str], set[int]]:
    """The text's kind, its pieces, and its lines (deduplicated, markdown stripped) for the
    narrative, which is read as running text; and the lines (their indexes, the pieces'
    ``line``) a converter's Markdown reader marked in doubt (`repair.DOUBT_MARK`), the mark
    taken off."""
    lines = blank_page_marks([clean_line(blank_rules(kept_page_break(ln)), labels)
                              for ln in text.split("\n")], config.page_marks)
    rows_per_line = detect_kind(lines) in (TextKind.SPACED, TextKind.LINES)
    lines = drop_doubled_lines(lines, config.duplicate_window, config.doubled_line_min_chars, rows_per_line)
    # Read again without the doubled lines: a damaged copy's doubled lines can tip the
    # shares (-raw: LINES with them, CELLS, the clean copy's kind, without).
    kind = detect_kind(lines)
    # Group names, longest first (服务对象满意度指标 before 满意度指标).
    groups = tuple(sorted({*config.group_names, *(n for names in config.level1_names.values() for n in names)},
                          key=len, reverse=True))
    pieces: list[Piece] = []
    kept: list[str] = []
    marked: set[int] = set()
    for at, line in enumerate(lines):
        # A line the Markdown reader marked (a cell it placed by a guess): said, by its
        # index among the lines kept, for what is read from it to be doubted once read.
        doubted = DOUBT_MARK in line
        line = line.replace(DOUBT_MARK, "")
        cells = rejoin_torn(split_line(line, kind), labels, kind)
        if kind in (TextKind.CELLS, TextKind.LINES):  # cells parted by spaces, not tabs
            following = tuple(ln.split()[0] for ln in lines[at + 1:at + 3] if ln.split())
            cells = rejoin_spaced_group_names(cells, groups, following)
        # A row per line: a line of one cell and no number is a cell's wrapped line (a row's
        # own line holds its weight and score); a worded value it ends with is its words
        # (食品安全抽检项目按期完成 | 率), not a target glued on.
        alone = kind in (TextKind.SPACED, TextKind.LINES) and len(cells) == 1 and not any(
            ch.isdigit() for ch in line)
        values = () if alone else config.qualitative_values
        found = [Piece(cleaned.strip(), part, len(kept), part_x, confidence)
                 for raw, x in cells
                 for part, part_x in placed_parts(raw.strip(), x, values, groups)
                 for cleaned, _repairs, confidence in [clean_fragment(part, config)] if cleaned.strip()]
        if line.strip() and not found:
            continue  # a line of noise only (XXXIIII III) would part a cell's lines
        pieces.extend(found)
        if doubted:
            marked.add(len(kept))
        kept.append(line)
    return kind, pieces, kept, marked


def blocks_of(pieces: list[Piece], lines: list[str]) -> list[list[list[Piece]]]:
    """The pieces as blocks (runs of lines between blank lines) of lines (pieces of one
    line). A line that lost all its pieces (noise: III, •) is no blank line."""
    block_of: list[int] = []
    n = 0
    for line in lines:
        n += not line.strip()
        block_of.append(n)
    blocks: list[list[list[Piece]]] = []
    last: Piece | None = None
    for p in pieces:
        if last is not None and p.line == last.line:
            blocks[-1][-1].append(p)
        elif last is not None and block_of[p.line] == block_of[last.line]:
            blocks[-1].append([p])
        else:
            blocks.append([[p]])
        last = p
    return blocks

# --- amounts wrapped in narrow cells -------------------------------------------------------

INCOMPLETE_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})*(?:,\d{0,2}|,\d{3}\.)$")


# The last characters of an amount its cell wrapped: 0, 00, .00.
AMOUNT_TAIL = re.compile(r"^(?:\d{1,3}|\.?\d{1,2}|\d?\.\d{1,2})$")


NUMBER_TAIL = re.compile(r"^\d{0,3}(?:\.\d+)?$")


GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def tails_of_head_lines(pieces: list[Piece], heads: list[int], reach: int = 4) -> dict[int, int]:
    """Cells in order, several heads on one line (18,928,80 19,133,00 17,750,10): their
    tails follow as a run, in order, after at most ``reach`` of the row's other cells
    (its weight 10). The first run whose every join makes an amount, all printed alike
    (with decimals or all without: a block prints its amounts one way), pairs them; else
    the first whose every join makes an amount (10 | 00.00 | 00.00 after 12,380,0 ×3 is
    the weight and two tails, not three tails)."""
    by_line: dict[int, list[int]] = {}
    for h in heads:
        by_line.setdefault(pieces[h].line, []).append(h)
    out: dict[int, int] = {}
    for line_heads in by_line.values():
        if len(line_heads) < 2:
            continue
        k = len(line_heads)
        first = max(line_heads) + 1
        runs = [list(range(s, s + k)) for s in range(first, min(len(pieces) - k + 1, first + reach + 1))]
        fits = [run for run in runs if all(
            NUMBER_TAIL.match(pieces[j].text.strip()) and
            GROUPED_NUMBER.match(pieces[h].text.strip() + pieces[j].text.strip())
            for h, j in zip(line_heads, run))]
        alike = [run for run in fits if len({"." in pieces[h].text + pieces[j].text
                                             for h, j in zip(line_heads, run)}) == 1]
        if alike or fits:
            out.update(zip(line_heads, (alike or fits)[0]))
    return out


def join_wrapped_numbers(pieces: list[Piece], kind: TextKind, cut_confidence: float = 0.3
                         ) -> list[Piece]:
    """An amount too wide for its cell wraps: 10,264,90 | 0.00 is 10,264,900.00. The tail
    is the next piece (cells in order), the piece below it (columns kept), or the same
    one of the next line's tails (a row per line). A head whose tail is not found is
    kept, its confidence at most ``cut_confidence``: read as it stands it is a wrong
    amount (18,928,80 for 18,928,800.00)."""
    used: set[int] = set()
    out = list(pieces)
    heads = [i for i, p in enumerate(pieces) if INCOMPLETE_NUMBER.match(p.text.strip())]
    line_tails = tails_of_head_lines(pieces, heads) if kind is TextKind.CELLS else {}
    # The lines that hold nothing but number tails (00.00 00.00 00.00).
    tail_lines = {p.line for p in pieces} - {p.line for p in pieces if not NUMBER_TAIL.match(p.text.strip())}
    for i in heads:
        p = pieces[i]
        candidates = [j for j in range(i + 1, min(len(pieces), i + 40)) if j not in used
                      and pieces[j].line != p.line and pieces[j].line <= p.line + 3
                      and NUMBER_TAIL.match(pieces[j].text.strip())
                      and GROUPED_NUMBER.match(p.text.strip() + pieces[j].text.strip())]
        if kind is TextKind.CELLS and i in line_tails:
            candidates = [j for j in [line_tails[i]] if j not in used]
        elif kind is TextKind.CELLS:
            candidates = candidates[:1] if candidates and candidates[0] == i + 1 else []
        elif kind is TextKind.SPACED:
            candidates = [j for j in candidates if abs((pieces[j].x or 0) - (p.x or 0)) <= 3]
        else:
            rank = sum(1 for h in heads if pieces[h].line == p.line and h < i)
            # The tails' line: the first after the heads' that holds nothing but tails
            # (00.00 00.00 00.00), the row's own line (年度资金总额 10 89.63%) coming
            # between; else the first line with a tail.
            lines = sorted({pieces[j].line for j in candidates})
            pure = [ln for ln in lines if ln in tail_lines]
            line = pure[0] if pure else (lines[0] if lines else None)
            # The heads before this one took the tails before its own (rank among unused).
            taken = sum(1 for h in heads if pieces[h].line == p.line and h < i
                        and out[h] is not pieces[h])
            on_next = [j for j in candidates if pieces[j].line == line]
            candidates = on_next[rank - taken:rank - taken + 1]
        if candidates:
            j = candidates[0]
            used.add(j)
            tail = pieces[j]
            out[i] = Piece(p.text + tail.text.strip(), p.raw + tail.raw, p.line, p.x,
                           min(p.confidence, tail.confidence))
    for i in heads:
        if out[i] is pieces[i]:  # no tail found
            p = pieces[i]
            out[i] = Piece(p.text, p.raw, p.line, p.x, min(p.confidence, cut_confidence))
    joined = [p for k, p in enumerate(out) if k not in used]
    return join_tail_lines(joined) if kind is TextKind.LINES else joined


# A plain amount's head (1328400 of 13284000): digits alone, as many as an amount has.
PLAIN_AMOUNT = re.compile(r"^\d{4,}$")
# A wrapped amount's tail under it: a few digits alone.
DIGITS_TAIL = re.compile(r"^\d{1,3}$")


def join_tail_lines(pieces: list[Piece], least: int = 2) -> list[Piece]:
    """Plain amounts too wide for their cells in a row per line (pdfplumber): 1328400
    1328400 1328400 | 0 0 0 is 13284000 three times. A line of nothing but a few digits
    each, right below a line with as many plain amounts (``least`` or more: one lone
    number may be a page's), holds their tails in order: no row of the form is numbers
    alone (each has its label), so the line is no row's."""
    by_line: dict[int, list[int]] = {}
    for i, p in enumerate(pieces):
        by_line.setdefault(p.line, []).append(i)
    out = list(pieces)
    used: set[int] = set()
    for line, idx in by_line.items():
        below = by_line.get(line + 1, [])
        heads = [i for i in idx if PLAIN_AMOUNT.match(pieces[i].text.strip())]
        if len(heads) < least or len(below) != len(heads) \
                or not all(DIGITS_TAIL.match(pieces[j].text.strip()) for j in below):
            continue
        for i, j in zip(heads, below):
            p, tail = pieces[i], pieces[j]
            out[i] = Piece(p.text.strip() + tail.text.strip(), p.raw.strip() + tail.raw.strip(), p.line, p.x,
                           min(p.confidence, tail.confidence))
        used.update(below)
    return [p for k, p in enumerate(out) if k not in used]


def join_character_lines(pieces: list[Piece], least: int = 3) -> list[Piece]:
    """A column one character wide prints its cell a character a line (部 | 分 | 镇 | 街 |
    …, 未 | 达 | 标): in a text of cells in order, a run of ``least`` or more pieces of one
    character each, no digit, on lines one after another, is one cell's text again. Read
    a character at a time, no single character says which column it is in."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        j = i
        while j < len(pieces) and pieces[j].x is None and len(pieces[j].text.strip()) == 1 \
                and not pieces[j].text.strip().isdigit() and (j == i or pieces[j].line == pieces[j - 1].line + 1):
            j += 1
        if j - i >= least:
            run = pieces[i:j]
            out.append(Piece("".join(p.text.strip() for p in run), "".join(p.raw.strip() for p in run),
                             run[0].line, None, min(p.confidence for p in run)))
            i = j
        else:
            out.append(pieces[i])
            i += 1
    return out


def ends_a_deadline(text: str, tail_after: Mapping[str, str]) -> bool:
    """Whether ``text`` ends in a deadline's last word after what that word completes
    (12月31日前, 年底前; ``tail_after``: config cell_stream.value_tail_after, keyed by the
    word's last character)."""
    pattern = tail_after.get(text[-1:]) if text else None
    return pattern is not None and re.search(pattern, text[:-1]) is not None
