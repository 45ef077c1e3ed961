"""The narrative after the form's table, repaired paragraph by paragraph: garbled
headings rewritten to the known heading they are closest to, a garbled copy of a
heading glued to its paragraph dropped, sentences said twice and paragraphs joined
twice removed, misread digits fixed.

Shared by the two readers of damaged text: the text path (`layout.narrative_texts`, one
paragraph a line) and damaged PDF text layers (`text_layer`, a paragraph's wrapped lines
joined first). Headings come from the template catalogue (`vocab.LabelIndex.headings`),
thresholds and confidences from ``config/text.yaml``.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from pipeline.text.normalize import ENUMERATION_MARKS, compact
from pipeline.textform import repair
from pipeline.textform.vocab import LabelIndex, TextConfig

HEADING_START = repair.HEADING_START
# A list item's mark: a bullet, or a converter's Markdown one (- , * , + before a space; a
# minus sign runs into its number, -5).
BULLET = re.compile(r"^\s*(?:[•·・]|[-*+](?=\s))\s*")
HEADING_REPAIR_SCORE = 40
NARRATIVE_HEADING_SCORE = 75  # what mapping/narrative.py accepts without help


def is_heading_line(text: str) -> bool:
    """一、… / （二）… alone on its line (or with its answer after a colon); a heading
    followed by a space and running text is a paragraph that starts with a heading's copy."""
    if not HEADING_START.match(text):
        return False
    head = re.split(r"[:：]", text, maxsplit=1)[0]
    parts = head.strip().split()
    title = parts[0] if parts else ""
    rest = "".join(parts[1:])
    if HEADING_START.fullmatch(title) and parts[1:]:
        title, rest = title + parts[1], "".join(parts[2:])
    return len(compact(title)) <= 25 and not compact(rest)


def ordinal(text: str) -> str:
    """The ordinal a heading line opens with, by level: 一、 → "一", （一） and 一） → "(一)";
    "" for none."""
    found = HEADING_START.match(text)
    if not found:
        return ""
    bracketed = any(ch in found.group() for ch in "()（）")
    return f"({compact(found.group())})" if bracketed else compact(found.group())


def heading_title(text: str) -> tuple[str, str, str]:
    """(ordinal prefix, title, tail after a colon) of a heading line."""
    m = HEADING_START.match(text)
    prefix = text[:m.end()] if m else ""
    title = text[len(prefix):]
    tail = ""
    colon = re.search(r"[:：]", title)
    if colon:
        title, tail = title[:colon.start()], title[colon.start():]
    return prefix, title, tail


def looks_like_heading(text: str) -> bool:
    """Short, no comma or full stop inside: a heading (with or without its ordinal)."""
    _, title, _ = heading_title(text)
    return 0 < len(compact(title)) <= 20 and not re.search(r"[，,；;。]", title.rstrip("。. "))


def heading_score(text: str, labels: LabelIndex) -> float:
    """How close a heading line's title is to the closest known heading (0-100)."""
    key = compact(heading_title(text)[1])
    return max((fuzz.ratio(key, h) for h in labels.headings), default=0.0) if key else 0.0


def best_per_section(key: str, labels: LabelIndex) -> list[tuple[float, str]]:
    """(score, closest known heading) of each narrative section, best first: 资金支出情况
    and 资金使用情况 open the same section, so a title halfway between them is no doubt."""
    best: dict[str, tuple[float, str]] = {}
    for heading in labels.headings:
        section = labels.heading_section.get(heading, heading)
        score = fuzz.ratio(key, heading)
        if section not in best or score > best[section][0]:
            best[section] = (score, heading)
    return sorted(best.values(), reverse=True)


def heading_section(text: str, labels: LabelIndex) -> str | None:
    """The section a heading line opens, when the mapping will know its title."""
    scored = best_per_section(compact(heading_title(text)[1]), labels)
    if not scored or scored[0][0] < NARRATIVE_HEADING_SCORE:
        return None
    return labels.heading_section.get(scored[0][1])


def repair_heading(text: str, labels: LabelIndex, config: TextConfig, expected: str | None = None
                   ) -> tuple[str, bool]:
    """A narrative heading garbled past what the mapping's fuzzy match accepts
    (资金支出情况 → 资金刃出曰政) rewritten to the closest known heading, when its section
    is clearly closer than any other; or, garbled past recognition (改进意见 → 刃进士巨),
    to the heading of `expected`, the section its ordinal says comes next, when it has
    that heading's length (garbling replaces characters one for one)."""
    if not looks_like_heading(text):
        return text, False
    prefix, title, tail = heading_title(text)
    key = compact(title)
    scored = best_per_section(key, labels)
    if not scored or scored[0][0] >= NARRATIVE_HEADING_SCORE:
        return text, False
    best, heading = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0
    if best >= HEADING_REPAIR_SCORE and best - second >= 15:
        return prefix + labels.by_compact.get(heading, heading) + tail, True
    same_length = [h for h in labels.headings
                   if labels.heading_section.get(h) == expected and abs(len(h) - len(key)) <= 1]
    if expected is None or not same_length or len(key) < 2:
        return text, False
    heading = max(same_length, key=lambda h: fuzz.ratio(key, h))
    return prefix + labels.by_compact.get(heading, heading) + tail, True


CHINESE_NUMERALS = "一二三四五六七八九十"


def top_ordinal(text: str) -> int | None:
    """1 for 一、, 2 for 二、 …: a top-level heading's number (not （一）, not 1.)."""
    found = HEADING_START.match(text)
    if not found or any(ch in found.group() for ch in "()（）"):
        return None
    numeral = compact(found.group()).rstrip(ENUMERATION_MARKS)
    return CHINESE_NUMERALS.index(numeral) + 1 if len(numeral) == 1 and numeral in CHINESE_NUMERALS else None


def expected_section(text: str, last_number: int | None, seen: set[str], order: tuple[str, ...]
                     ) -> str | None:
    """The section a top-level heading opens by its place: under the number after the
    last top-level heading's, the first section (in the order the forms print them) that
    no heading has opened yet."""
    number = top_ordinal(text)
    if number is None or last_number is None or number != last_number + 1:
        return None
    return next((section for section in order if section not in seen), None)


def strip_heading_echo(heading: str, text: str) -> str:
    """A paragraph starting with a (garbled) copy of its heading: `(三) 政金刃用趣饮用成效。
    一是…` after `(三) 资金分用途使用成效。` loses the copy. The copy ends at a space or
    a full stop about where the heading would; the same ordinal makes it certain. A copy
    glued to its paragraph without either (a PDF text layer drops the space) is cut only
    after the same ordinal and when it is close to the heading."""
    h_prefix, h_title, _ = heading_title(heading)
    target = compact(h_title)
    if len(target) < 2:
        return text
    m = HEADING_START.match(text)
    start = m.end() if m else 0
    same_ordinal = bool(m) and compact(text[:start]) == compact(h_prefix)
    while start < len(text) and text[start] == " ":
        start += 1
    best_cut, best_score = None, 0.0
    for cut in range(start + max(1, len(target) - 3), min(len(text), start + len(target) + 4) + 1):
        if cut < len(text) and text[cut] not in " 。.\u3000" and text[cut - 1] not in "。.":
            continue
        score = fuzz.ratio(compact(text[start:cut]), target)
        if score > best_score:
            best_cut, best_score = cut, score
    if (best_cut is None or best_score < (35 if same_ordinal else 60)) and same_ordinal:
        best_cut, best_score = glued_echo_end(text, start, target)
    if best_cut is None or best_score < (35 if same_ordinal else 60):
        return text
    return text[best_cut:].lstrip(" 。.\u3000")


def cut_garbled_copy(heading: str, text: str) -> str:
    """`四、玉进玉玉无。` under `四、改进意见`: the same ordinal opens a copy of the heading
    garbled past recognition, one character for one, glued to the paragraph (无。)."""
    m = HEADING_START.match(text)
    target = compact(heading_title(heading)[1])
    if not m or len(target) < 2:
        return text
    rest = text[m.end():].lstrip(" \u3000")
    copy = rest[:len(target)]
    if len(rest) <= len(target) or re.search(r"[\s，,。；;:：]", copy):
        return text
    return rest[len(target):].lstrip(" 。.\u3000")


GLUED_ECHO_SCORE = 60
GLUED_LENGTH_PENALTY = 8  # per character: a garbled copy keeps its heading's length


def glued_echo_end(text: str, start: int, target: str) -> tuple[int | None, float]:
    """Where a heading copy glued to its paragraph ends: the cut whose text is closest
    to the heading, preferring the heading's own length (garbling replaces characters
    one for one); (None, 0) when no cut is close enough."""
    best_cut, best_score = None, 0.0
    for cut in range(start + max(1, len(target) - 2), min(len(text), start + len(target) + 2) + 1):
        score = fuzz.ratio(compact(text[start:cut]), target) \
            - GLUED_LENGTH_PENALTY * abs(cut - start - len(target))
        if score > best_score:
            best_cut, best_score = cut, score
    return (best_cut, best_score) if best_score >= GLUED_ECHO_SCORE else (None, 0.0)


def clean_prose(text: str) -> str:
    """Spaces an extraction left inside Chinese prose (以讲 促学, 82.35% 。) removed; a
    space between two Latin words or numbers stays."""
    return re.sub(r"(?<![A-Za-z0-9]) +| +(?![A-Za-z0-9])", "", text)


def loose_heading(text: str, labels: LabelIndex | None = None) -> bool:
    """The text path's heading test: an ordinal heading line, or a short line without a
    comma that is not a numbered item (its lines are whole paragraphs, so a short line
    is a heading that lost its ordinal) and, with `labels`, is somewhat like a known
    heading: a paragraph's first line broken before a number (…全年预算数 | 382.17万元)
    or a short sentence is like none."""
    if is_heading_line(text):
        return True
    if not looks_like_heading(text) or HEADING_START.match(text) or len(compact(text)) < 4:
        return False
    return labels is None or heading_score(text, labels) >= HEADING_REPAIR_SCORE


def repair_paragraphs(paragraphs: list[tuple[str, float]], labels: LabelIndex, config: TextConfig,
                      headings: set[int] | None = None) -> list[tuple[int, str, float]]:
    """(text, confidence) of each heading or paragraph, in order → (index of the input,
    repaired text, confidence) of those that keep any text.

    `headings`: the indices of the heading lines when the caller knows them (a PDF's
    lines are not whole paragraphs, so a short line may be a paragraph's tail); by
    default a line is a heading by `loose_heading`.

    Confidence is capped where a repair could have gone wrong (a misread digit, a
    rewritten heading) and for running text, where look-alike characters cannot be
    excluded (``config.confidence``)."""
    out: list[tuple[int, str, float]] = []
    heading_at: set[int] = set()
    last_number: int | None = None  # of the last top-level heading (一、二、…)
    seen: set[str] = set()  # the sections a heading opened
    previous_heading: str | None = None
    for index, (text, confidence) in enumerate(paragraphs):
        text, fixed = repair.fix_digit_runs(text, config.digit_lookalikes)
        text, in_prose = repair.fix_prose_digits(text, config.digit_lookalikes)
        # A heading said twice (资金支出情况。资金支出情况。) is a heading.
        text, _ = repair.remove_repeated_sentences(text, config.repeat_min_chars)
        if fixed or in_prose:
            confidence = min(confidence, config.confidence.digits)
        # Right under a heading, a line with its ordinal that is no known heading is a
        # garbled copy of it glued to the paragraph (四、改进意见 | 四、甲进乙乙加强监控。).
        copy = previous_heading is not None and ordinal(text) == ordinal(previous_heading) != "" \
            and heading_score(text, labels) < NARRATIVE_HEADING_SCORE
        if (index in headings) if headings is not None else (loose_heading(text, labels) and not copy):
            expected = expected_section(text, last_number, seen, config.narrative_order)
            text, repaired = repair_heading(text, labels, config, expected)
            last_number = top_ordinal(text) or last_number
            seen.add(heading_section(text, labels) or "")
            if repaired or heading_score(text, labels) < NARRATIVE_HEADING_SCORE:
                # A heading the mapping will not know ends no section: its text joins
                # the section before, which must then not be trusted.
                confidence = min(confidence, config.confidence.heading)
            previous_heading = text
            heading_at.add(index)
            out.append((index, text, confidence))
            continue
        if previous_heading is not None:
            stripped = BULLET.sub("", strip_heading_echo(previous_heading, text))
            if stripped == text and ordinal(text) and ordinal(text) == ordinal(previous_heading):
                # It opens with its heading's ordinal: a copy of the heading too garbled
                # to tell where it ends, cut at the heading's length if it has no
                # punctuation there, and said to be doubtful.
                stripped = cut_garbled_copy(previous_heading, text)
                confidence = min(confidence, config.confidence.heading)
            text = stripped
        previous_heading = None
        text = clean_prose(text)
        text, _ = repair.fix_lookalikes(text, config.lookalikes)
        text, _ = repair.remove_repeated_sentences(text, config.repeat_min_chars)
        if out:
            text = repair.remove_overlap(out[-1][1], text, config.overlap_min_chars)
        if out and out[-1][0] not in heading_at:
            before, text = repair.remove_repeat_across(out[-1][1], text, config.repeat_min_chars)
            if before != out[-1][1]:
                out[-1] = (out[-1][0], before, out[-1][2])
        if not text:
            continue
        if repair.is_prose(text):
            confidence = min(confidence, config.confidence.prose)
        out.append((index, text, confidence))
    return out
