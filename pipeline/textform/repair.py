"""Pure repairs of a torn text extraction, line by line and fragment by fragment.

Each function takes text and returns text (and, where the caller lowers a confidence,
whether it changed anything). None of them knows our generator: labels come from the
template catalogue (`vocab.LabelIndex`), noise characters and thresholds from
``config/text.yaml``.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.text.normalize import ENUMERATION_MARKS, compact, to_simplified
from pipeline.textform.vocab import LABEL_SCORE, LabelIndex, Lookalike, TextConfig

MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
# A section heading's number (四、, （二）, 3.).
HEADING_START = re.compile(rf"^\s*(?:[一二三四五六七八九十]+\s*[{ENUMERATION_MARKS}]|[(（]?\s*[一二三四五六七八九十]+\s*[)）]|\d+\s*[、.．])")
SENTENCE_END = "。；;！？!?"
CJK = re.compile(r"[\u3400-\u9fff]")
# A number as a table cell prints it, possibly misread: ≥ 9O%, 2 367.5, １２, l2, 120万元.
NUMBERISH = re.compile(
    r"^(?P<cmp>[≥≤<>=＞＜＝]*)\s*(?P<num>[0-9０-９OolI][0-9０-９OolI.,，．\s]*?)\s*"
    r"(?P<unit>%|％|[\u4e00-\u9fff]{0,3})$")
DIGIT_RUN = re.compile(r"(?<![A-Za-z])[0-9OolI]*[0-9][0-9OolI]*(?![A-Za-z])")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
# A table's vertical rule as an OCR engine's text writes it (|, ｜, 丨): no form's value holds
# one. A space in its place, one for one, so that a cell beside it is not read with it
# (|肇庆市…) and a rule between two spaced cells widens their gap.
RULE_CHARACTERS = str.maketrans("|｜丨", "   ")


# A converter's markup inside a text (PDF to Markdown: pymupdf4llm, marker, docling): a line
# break inside a table's cell (<br>) and inline tags (<sup>489.31万</sup>, <b>…</b>).
CELL_BREAK = re.compile(r"[ \t]*<br\s*/?>[ \t]*", re.IGNORECASE)
# An amount printed in thousands' groups (12,380,000.00): what a wrapped amount's pieces make.
GROUPED_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
LAST_NUMBER = re.compile(r"[\d,.]+$")
FIRST_NUMBER = re.compile(r"[\d,.]+")  # used with match(string, pos): no ^
# A cell the Markdown reader put in a row by a guess (`markdown_table`: a group name centred
# on rows that several readings give it): a Unicode noncharacter, kept for a program's own
# use and never in interchanged text (a private-use one is: unmapped glyphs), taken off the
# input first and read off by `pieces.text_to_marked_pieces`, which caps the confidence of
# what the line holds.
DOUBT_MARK = "\ufdd0"
INLINE_TAG = re.compile(r"</?(?:sup|sub|b|i|u|em|strong|span|font|mark|small|big)(?:\s[^<>]*)?>", re.IGNORECASE)
BOLD_MARKS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def strip_markup(text: str) -> str:
    """A converter's markup off a text: a cell's line break (<br>) joins its lines as the
    cell does (nothing between Chinese characters or inside a wrapped amount, a space
    between words or numbers), inline tags and **bold** marks go, keeping what they enclose."""
    def joined(match: re.Match[str]) -> str:
        before = match.string[match.start() - 1] if match.start() else ""
        after = match.string[match.end()] if match.end() < len(match.string) else ""
        head = LAST_NUMBER.search(match.string, 0, match.start())
        tail = FIRST_NUMBER.match(match.string, match.end())
        if head and tail and GROUPED_AMOUNT.match(head.group(0) + tail.group(0)):
            return ""  # one amount wrapped in its cell (12,380,0 | 00.00), not two (9.5 | 10)
        return " " if before.isascii() and after.isascii() and before.isalnum() and after.isalnum() else ""
    return BOLD_MARKS.sub(r"\1", CELL_BREAK.sub(joined, INLINE_TAG.sub("", text)))


def strip_markdown(line: str) -> str:
    """`### 二、…` → `二、…`: markdown heading marks an earlier tool added."""
    return MARKDOWN_HEADING.sub("", line, count=1)


def clean_line(line: str, labels: LabelIndex | None) -> str:
    """A line as a tool wrote it, made plain before it is cut into cells: markdown marks
    off, full-width digits (１２３．５％, a form typed in full-width) half-width, one
    character for one so that columns keep their places, and labels spread across their
    cells joined (`join_spread_characters`)."""
    return join_spread_characters(fold_digits(strip_markdown(line)), labels)


def blank_rules(line: str) -> str:
    """An OCR engine's table rules (|) as spaces, one for one. Not for tab-slot text, whose
    丨 is junk inside a torn word (资金丨用途), nor for a rule alone on its line: a line
    made blank would cut a block where none is."""
    unruled = line.translate(RULE_CHARACTERS)
    return unruled if unruled.strip() else line


MARKDOWN_ROW = re.compile(r"^\s*\|.*\|\s*$")


def ruled_line_share(text: str) -> float:
    """The share of a text's lines that hold a table's vertical rule read as a character:
    an OCR engine's reading of a scanned table (Tesseract's |), not a Markdown table's row."""
    lines = [line for line in text.splitlines() if line.strip()]
    ruled = sum(1 for line in lines if not MARKDOWN_ROW.match(line) and line != line.translate(RULE_CHARACTERS))
    return ruled / len(lines) if lines else 0.0


# pdftotext ends each page with a form feed: the next page's first line starts with it.
PAGE_BREAK = "\f"


def blank_page_marks(lines: list[str], marks: tuple[str, ...]) -> list[str]:
    """A page's number printed in its margin (第 1 页，共 3 页, - 2 -, config/text.yaml
    ``page_marks``) is not the form's: the line is left blank, as between pages."""
    patterns = page_mark_patterns(marks)
    # (A form feed on the line stays: it marks where the page ends.)
    return [PAGE_BREAK * (PAGE_BREAK in line)
            if line.strip() and any(p.fullmatch(line.strip()) for p in patterns) else line for line in lines]


def kept_page_break(line: str) -> str:
    """A line with its trailing blanks off, a page's form feed kept on a line that holds
    nothing else (rstrip takes it for a blank): it says where a page starts, and each page
    of a text that kept positions has its own spacing (`pieces.pages_of_lines`)."""
    stripped = line.rstrip()
    return PAGE_BREAK if PAGE_BREAK in line and not stripped.strip() else stripped


@cache
def page_mark_patterns(marks: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(m) for m in marks)


# Single characters set apart by even spaces (a label spread across its cell, 分散对齐, or
# typed apart with ideographic spaces: 项 目 名 称, 项　目　名　称), standing on their
# own: after a space or the line's start, before a space, a colon or comma, or the end.
SPREAD_CHARACTERS = re.compile(
    r"(?<!\S)[\u4e00-\u9fff](?:([ \u3000]{1,6})[\u4e00-\u9fff])(?:\1[\u4e00-\u9fff])*(?=[\s：:，,]|$)")
# From this many characters a spread run is taken for one word though no label matches it
# (a unit's name spread like its label); shorter runs may be one-character cells side by
# side (wrapped tails 标 率 性 of three columns on one line).
SPREAD_WORD_MIN = 5


def join_spread_characters(line: str, labels: LabelIndex | None) -> str:
    """A label spread across its cell (分散对齐, 项 目 名 称 → 项目名称): a run that makes a
    label or labels side by side (分 值 执 行 率 得 分 → 分值 执行率 得分, cut back into
    labels), or a long one. Where a column gap follows, the spaces taken out are put after
    it, so that the next cell keeps its place."""
    def joined(match: re.Match[str]) -> str:
        run = match.group(0)
        word = re.sub(r"[ \u3000]", "", run)
        if labels is None:
            return word if len(word) >= 3 else run
        if labels.best(word)[1] >= LABEL_SCORE:  # an exact label scores 100
            words = word
        elif sequence := label_sequence(word, labels):
            words = " ".join(sequence)
        elif len(word) >= SPREAD_WORD_MIN:
            words = word
        else:
            return run
        gap_follows = line[match.end():match.end() + 2] == "  "
        return words + (" " * (len(run) - len(words)) if gap_follows else "")
    return SPREAD_CHARACTERS.sub(joined, line) if " " in line or "\u3000" in line else line


def label_sequence(word: str, labels: LabelIndex) -> list[str] | None:
    """``word`` as labels one after another (分值执行率得分 → 分值, 执行率, 得分), the
    fewest; None when it is one label or no sequence of them."""
    if labels.exact(word) is not None:
        return None
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - labels.max_len), end):
            head = best[start]
            if head is not None and end - start >= 2 and labels.exact(word[start:end]) is not None:
                if best[end] is None or len(head) + 1 < len(best[end] or []):
                    best[end] = [*head, word[start:end]]
    return best[-1] or None


def line_key(line: str) -> str:
    """A line for duplicate detection: normalised fragments, tab structure kept."""
    return "\t".join(compact(part) for part in line.split("\t")).rstrip("\t")


def dedupe_lines(lines: list[str], window: int, min_chars: int) -> tuple[list[str], set[int]]:
    """Drop a line equal (after normalisation) to one of the previous `window` non-blank
    lines. Blank lines are kept (they separate pages and paragraphs).

    Table lines (with tabs) are dropped only when they repeat the line right before them:
    further back, identical lines are often real (two rows with the same target, weight
    and score). Those are returned as suspects (indices into the output) for the table
    reader to judge; short table lines (a wrapped 标 or 率) are not even suspects.
    """
    out: list[str] = []
    suspects: set[int] = set()
    recent: list[str] = []
    section: list[str] = []  # since the last heading
    for line in lines:
        key = line_key(line)
        if not key.strip("\t"):
            out.append(line)
            continue
        content = len(key.replace("\t", ""))
        if "\t" in line:
            # A sentence's last line (表。) said again right after itself is doubled too,
            # however short: a wrapped 标 or 率 may repeat for real, a sentence's end not.
            if recent and key == recent[-1] and (content >= 2 or line.rstrip()[-1:] in SENTENCE_END):
                continue
            if key in recent[:-1] and content >= min_chars:
                suspects.add(len(out))
        else:
            if HEADING_START.match(line):
                section = []  # a new section: the same short answer (无。) may follow again
            if key in section or (key in recent and content > 8):
                continue
        out.append(line)
        recent = (recent + [key])[-window:]
        section = (section + [key])[-window:]
    return out, suspects


def repeated_sentences(text: str, min_chars: int) -> list[tuple[int, int]]:
    """The spans [start, end) of `text` that repeat a sentence, or its tail, said right
    before them (see `remove_repeated_sentences`), in order, not overlapping."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        end = text[i]
        if end in SENTENCE_END:
            e = i + 1
            s = e
            while s < len(text) and text[s] in " \u3000":
                s += 1
            best = 0
            for p in range(s + min_chars - 1, len(text)):
                if text[p] != end:
                    continue
                k = p - s + 1
                if k > e:
                    break
                if text[e - k:e] == text[s:s + k]:
                    best = k
            if best:
                spans.append((e, s + best))
                i = s + best - 1  # the same end may be followed by a third copy
                continue
        i += 1
    return spans


def cut_spans(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    """`text` (starting at `offset` of the text the spans index) without the spans."""
    out, at = [], 0
    for a, b in spans:
        a, b = max(a - offset, 0), min(b - offset, len(text))
        if a < b:
            out.append(text[at:a])
            at = max(at, b)
    return "".join(out) + text[at:]


def remove_repeated_sentences(text: str, min_chars: int) -> tuple[str, bool]:
    """`…着手。 规范制度…着手。` → `…着手。`: a sentence, or its tail, said twice in a row.

    The repeat starts right after a sentence end and ends with the same punctuation;
    it must equal the text just before it and be at least `min_chars` long.
    """
    spans = repeated_sentences(text, min_chars)
    return cut_spans(text, spans), bool(spans)


def remove_repeat_across(previous: str, current: str, min_chars: int) -> tuple[str, str]:
    """A sentence said twice where a paragraph's line wraps, its first or second copy
    cut by the wrap (…执行率89.63%。…预算数1 | 2380000元，…执行率89.63%。资金…): the
    repeat removed from the two lines, which stay two."""
    spans = [(a, b) for a, b in repeated_sentences(previous + current, min_chars)
             if b > len(previous)]  # one within the previous line was removed already
    if not spans:
        return previous, current
    return cut_spans(previous, spans), cut_spans(current, spans, len(previous))


def remove_overlap(previous: str, current: str, min_chars: int) -> str:
    """A paragraph that starts by repeating the end of the previous one (a page joined
    twice, as in the seed) loses the repeated start."""
    limit = min(len(previous), len(current), 800)
    for k in range(limit, min_chars - 1, -1):
        if previous.endswith(current[:k]):
            return current[k:].lstrip()
    return current


def fix_comparators(text: str, comparators: dict[str, str]) -> str:
    """>= and ＞＝ to ≥ (the forms print ≥; copies type it as two characters)."""
    for written, printed in comparators.items():
        if written in text:
            text = text.replace(written, printed)
    return text


def is_noise(fragment: str, config: TextConfig) -> bool:
    """XXXIIII III, I1l, •, ·, 丨: extraction noise. A lone l/I may be a misread 1 and
    `1l` a misread 11: those have a digit or a single letter and are left to the column."""
    s = fragment.replace(" ", "").replace("\u3000", "")
    if not s or not set(s) <= set(config.noise_chars):
        return False
    letters = set(s) & set(config.noise_markers)
    if not letters:
        return False  # 1, 11: digits
    has_digit = any(ch.isdigit() for ch in s)
    if len(s) == 1:
        return s not in "lI"
    symbols = letters - set("lI")
    return bool(symbols) or not has_digit or len(letters) >= 2


def strip_noise(text: str, config: TextConfig) -> tuple[str, bool]:
    """Noise among a fragment's words (符合规范 •) or glued to its Chinese text at either
    end (质量指标III, ·满意度): where no tab sets it apart, as in a PDF text layer.
    A lone l or I, and digits, stay (`is_noise`)."""
    words = text.split(" ")
    kept = [w for w in words if not (w and is_noise(w, config))]
    out = " ".join(kept).strip()
    chars = re.escape(config.noise_chars)
    # After Chinese text or its closing bracket (产出指标（50分）III), before Chinese text.
    for glued in (rf"(?<=[\u3400-\u9fff)）])[{chars} ]+$", rf"^[{chars} ]+(?=[\u3400-\u9fff])"):
        found = re.search(glued, out)
        if found and is_noise(found.group(), config):
            out = (out[:found.start()] + out[found.end():]).strip()
    return out, out != text.strip()


def fix_number(text: str, lookalikes: dict[str, str]) -> tuple[str, bool]:
    """A cell that is a number, repaired: full-width digits folded, spaces inside it
    removed (2 367.5), misread digits replaced (9O% → 90%). Returns (text, misread fixed)."""
    found = NUMBERISH.match(text.strip())
    if not found:
        return text, False
    num = found.group("num").translate(FULLWIDTH_DIGITS)
    if not any(ch.isdigit() for ch in num) and len(num.strip()) != 1:
        return text, False
    digits_only = re.sub(r"(?<=[\dOolI.])\s+(?=[\dOolI.])", "", num)
    fixed = "".join(lookalikes.get(ch, ch) for ch in digits_only)
    misread = fixed != digits_only
    unit = found.group("unit").translate(FULLWIDTH_DIGITS)
    return f"{found.group('cmp')}{fixed}{unit}", misread


def fix_digit_runs(text: str, lookalikes: dict[str, str]) -> tuple[str, bool]:
    """Misread digits inside a run of digits anywhere (2O24年 → 2024年)."""
    changed = False

    def repl(m: re.Match[str]) -> str:
        nonlocal changed
        run = m.group()
        if len(run) < 2 or run.isdigit():
            return run
        changed = True
        return "".join(lookalikes.get(ch, ch) for ch in run)

    return DIGIT_RUN.sub(repl, text), changed


# A Latin letter that can only be a misread digit in Chinese running text: before a
# decimal point and a digit (扣O.5分), after a digit's decimal point (0.O5), alone between
# Chinese characters (每低l个百分点), or an ordinal before its point (l.事前已经过). Only a
# lower-case l there: an upper-case I may be a Roman numeral (I类水质).
PROSE_DIGIT = re.compile(
    r"(?<![A-Za-z])[lIOo](?=[.．]\d)"
    r"|(?<=\d[.．])[lIOo](?![A-Za-z])"
    r"|(?<=[\u3400-\u9fff])l(?=[\u3400-\u9fff])"
    r"|(?<![A-Za-z\d.．])l(?=[.．、][\u3400-\u9fff])")


def fix_prose_digits(text: str, lookalikes: dict[str, str]) -> tuple[str, bool]:
    """Misread digits in running text that no run of digits shows (`fix_digit_runs`):
    扣O.5分 → 扣0.5分, 每低l个 → 每低1个, l.事前 → 1.事前."""
    fixed = PROSE_DIGIT.sub(lambda m: lookalikes.get(m.group(), m.group()), text)
    return fixed, fixed != text


def fix_lookalikes(text: str, rules: tuple[Lookalike, ...]) -> tuple[str, bool]:
    """Look-alike characters in running text replaced by the ones the words need
    (部分资金己拨付 → 已拨付, 受夭气影响 → 天气), as `config/text.yaml` lookalikes decide by
    each character's neighbours."""
    chars = list(text)
    for i, ch in enumerate(chars):
        for rule in rules:
            if ch != rule.read:
                continue
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (before and before in rule.unless_before) or (after and after in rule.unless_after):
                continue
            if (rule.after or rule.before) and not ((after and after in rule.after)
                                                    or (before and before in rule.before)):
                continue
            chars[i] = rule.printed
            break
    out = "".join(chars)
    return out, out != text


def fix_running_text(text: str, config: TextConfig) -> tuple[str, bool]:
    """Running text with its misread digits (`fix_prose_digits`) and look-alike characters
    (`fix_lookalikes`) repaired; whether anything changed."""
    text, digits = fix_prose_digits(text, config.digit_lookalikes)
    text, chars = fix_lookalikes(text, config.lookalikes)
    return text, digits or chars


def simplify(text: str) -> tuple[str, bool]:
    """Traditional to simplified (the forms are printed in simplified)."""
    out = to_simplified(text)
    return out, out != text


def clean_fragment(text: str, config: TextConfig) -> tuple[str, set[str], float]:
    """One fragment (a tab slot, a PDF cell): simplified, comparators fixed, noise
    emptied. Returns (text, repairs made, confidence: capped when characters were
    converted)."""
    text = text.strip(" \u3000\r")
    if not text:
        return "", set(), config.confidence.clean
    if is_noise(text, config):
        return "", {"noise"}, config.confidence.clean
    repairs: set[str] = set()
    confidence = config.confidence.clean
    simplified, changed = simplify(text)
    if changed:
        repairs.add("t2s")
        confidence = min(confidence, config.confidence.simplified)
    fixed = fix_comparators(simplified, config.comparators)
    return fixed, repairs, confidence


# --- labels torn apart -------------------------------------------------------------------

def joint_variants(a: str, b: str) -> list[tuple[str, str, int, int]]:
    """(tail, head, chars dropped from a's end, from b's start): the joint as is, or
    with one junk character (实施文 C件依据, 转移支付到 巨下级) on either side."""
    out = [(a, b, 0, 0)]
    if len(a) > 1:
        out.append((a[:-1], b, 1, 0))
    if len(b) > 1:
        out.append((a, b[1:], 0, 1))
    return out


def torn_label(a: str, b: str, labels: LabelIndex) -> tuple[int, int] | None:
    """If a's end and b's start are one label torn in two, the junk to drop (from a's
    end, from b's start); None when they are not."""
    ca, cb = compact(a), compact(b)
    if not ca or not cb:
        return None
    best: tuple[int, int, int] | None = None  # (label length, drop a, drop b)
    for tail, head, drop_a, drop_b in joint_variants(ca, cb):
        for k in range(1, min(len(tail), labels.max_len) + 1):
            for label in labels.prefixes.get(tail[-k:], ()):
                rest = label[k:]
                if rest and head.startswith(rest) and (best is None or len(label) > best[0]):
                    best = (len(label), drop_a, drop_b)
    if best is None:
        return None
    return best[1], best[2]


def drop_edge(text: str, n: int, from_end: bool) -> str:
    """Drop n non-space characters at one edge (the junk of a torn label)."""
    text = text.rstrip() if from_end else text.lstrip()
    if n == 0:
        return text
    return text[:-n].rstrip() if from_end else text[n:].lstrip()


def rejoin_pair(a: str, b: str, labels: LabelIndex) -> str | None:
    """a + b when they are one label torn across a tab or a space; else None. Two whole
    labels side by side (名称 | 权重) stay apart, unless together they make a longer label
    (年度资金 | 总额: 年度资金总额)."""
    if labels.exact(a) and labels.exact(b) and not labels.exact(compact(a) + compact(b)):
        return None
    joint = torn_label(a, b, labels)
    if joint is None:
        return None
    head, tail = drop_edge(a, joint[0], True), drop_edge(b, joint[1], False)
    # Marks the label's match ignored at the joint are junk inside it (金额单 |位).
    while head and not compact(head[-1]):
        head = head[:-1]
    while tail and not compact(tail[0]):
        tail = tail[1:]
    return head + tail


def rejoin_tokens(fragment: str, labels: LabelIndex) -> tuple[str, bool]:
    """Inside one fragment: tokens of a label torn by a space (是否如期实现预 期总体目标),
    and a stray Latin letter inside a label (一级指J标)."""
    changed = False
    tokens = fragment.split(" ")
    i = 0
    while i + 1 < len(tokens):
        joined = rejoin_pair(tokens[i], tokens[i + 1], labels) if tokens[i] and tokens[i + 1] else None
        if joined is not None:
            tokens[i:i + 2] = [joined]
            changed = True
            continue
        i += 1
    out = []
    for token in tokens:
        fixed = drop_inner_junk(token, labels)
        changed |= fixed != token
        out.append(fixed)
    return " ".join(out), changed


INNER_JUNK = re.compile(r"(?<=[\u3400-\u9fff])[A-Za-z|](?=[\u3400-\u9fff])")


def drop_inner_junk(token: str, labels: LabelIndex) -> str:
    """一级指J标 → 一级指标, only when dropping the letter completes a label."""
    for m in INNER_JUNK.finditer(token):
        candidate = token[:m.start()] + token[m.end():]
        before = compact(token)
        after = compact(candidate)
        for key in labels.keys:
            if len(key) >= 3 and key in after and key not in before:
                return candidate
    return token


# --- labels glued to values --------------------------------------------------------------

LABEL_NUMBER = re.compile(r"^(?P<label>.*?[\u3400-\u9fff])(?P<num>[-+]?\d[\d,.]*%?)$")
LABEL_COLON = re.compile(r"^(?P<label>[^:：]{2,16})[:：]\s*(?P<value>\S.*)$")


def split_at_labels(fragment: str, labels: LabelIndex) -> list[str]:
    """A fragment holding a label and a value side by side, cut apart:
    县乡人大工作和建设经费 评价年度 → [value, label]; 市本级 0 / 市本级0 → [label, value];
    项目级次：一级 → [label, value] (only for labels whose value stands right of them)."""
    colon = LABEL_COLON.match(fragment)
    if colon and labels.is_right_label(colon.group("label")):
        return [colon.group("label").strip(), colon.group("value").strip()]
    tokens = [t for t in fragment.split(" ") if t]
    pieces: list[str] = []
    for token in tokens:
        glued = LABEL_NUMBER.match(token)
        if pieces and re.search(r"[:：]$", pieces[-1]):
            pieces[-1] += " " + token  # 填报单位名称: 江门市… stays one "label: value" text
        elif labels.exact(token):
            pieces.append(token)
        elif glued and labels.exact(glued.group("label")):
            pieces += [glued.group("label"), glued.group("num")]
        elif pieces and not labels.exact(pieces[-1]):
            pieces[-1] += " " + token
        else:
            pieces.append(token)
    return pieces or [fragment]


def is_prose(text: str) -> bool:
    """Running text (a goal, a scoring standard, a paragraph): where look-alike characters
    hide (己/已, 未/末)."""
    key = compact(text)
    return len(key) >= 16 or (len(key) >= 8 and bool(re.search(r"[，,。；;]", text)))


def fold_digits(text: str) -> str:
    """Full-width digits and signs only (a value stays as printed otherwise)."""
    return text.translate(FULLWIDTH_DIGITS)
