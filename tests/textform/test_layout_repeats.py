"""pdftotext -layout of forms whose narrow columns make each row taller than a page's
share: the table's header printed again on every page, its labels wrapped a character or
two a line among its note's lines; sentence cells two characters a line; a tall cell's
lines nearer the next row than its own; two value columns a space apart."""

from __future__ import annotations

from pipeline.template.catalogue import marker_words
from pipeline.text.normalize import compact
from pipeline.textform.form_reader import read_text_form, rows_by_lines
from pipeline.textform.indicator_rows import TextRow, share_doubled_units
from pipeline.textform.pieces import Piece, TextKind, pages_of_lines, pieces_by_line
from pipeline.textform.table_region import (cells_run_into_rows, drop_header_lines, drop_repeated_headers,
                                            header_labels, printed_header_keys, row_lines, rows_by_anchor_lines,
                                            table_bounds)
from tests.textform.positioned import CAP, CATALOGUE, CONFIG, FUND, pieces_of

LABELS = header_labels(FUND, CONFIG)

# Two pages of a 广东 fund form (a report's text, cut): each holds the table's title, its
# header (权 | 重 | (%) and the note of 参考佐证材料 wrapped beside one another) and one row;
# the first row's 佐证材料 wraps two characters a line from above its row's line, the
# second row's 评分标准 begins with a label's words (评价年度 | 实现值/年 | …).
TWO_PAGES = [
    '\x0c                                   指标评分表',
    '',
    '                                                                          参考',
    '                                                                          佐证',
    '                                                                          材料',
    ' 一级指标       二级指标            三级指标                                          （说',
    '                                                                          明：',
    '                                                                          本栏',
    '                                                                          佐证',
    '                                          年度                              材料',
    '                                               评价年度   自评   未达标原因',
    '                                          预期                       评分标准   供参',
    '                                                实现值   分数     分析',
    '                                           值                              考，',
    '                                                                          部门',
    '       权          权                 权                                     只要',
    ' 名称    重    名称    重        名称       重                                     能证',
    '      (%)        (%)                (%)                                   明对',
    '                                                                          应指',
    '                                                                          标即',
    '                                                                          可）',
    '',
    '                                                                          专项',
    '                                                                   建立健全',
    '                                                                          资金',
    '                                                                   监管制度',
    '                                                                          监督',
    '                                                                   并有效执',
    '                                                                          检查',
    '            组织                            符合                       行得满',
    '过程    20         20    制度执行有效性      9          符合规范   9    无              的通',
    '            实施                            规范                       分，发现',
    '                                                                          知及',
    '                                                                   问题未整',
    '                                                                          检查',
    '                                                                   改的每项',
    '                                                                          报',
    '                                                                   扣2分。',
    '                                                                          告。',
    '\x0c                                  指标评分表',
    '',
    '                                                                           参考',
    '                                                                           佐证',
    '                                                                           材料',
    '一级指标       二级指标            三级指标                                            （说',
    '                                                                           明：',
    '                                                                           本栏',
    '                                                                           佐证',
    '                                         年度                                材料',
    '                                              评价年度   自评    未达标原因',
    '                                         预期                        评分标准    供参',
    '                                               实现值   分数      分析',
    '                                          值                                考，',
    '                                                                           部门',
    '      权          权                 权                                       只要',
    '名称    重    名称    重        名称       重                                       能证',
    '     (%)        (%)                (%)                                     明对',
    '                                                                           应指',
    '                                                                           标即',
    '                                                                           可）',
    '',
    '                                                           受天气影响   评价年度',
    '                                                           部分工程延   实现值/年',
    '                                         符合',
    '                      组织机构健全性      2          符合规范   1.5   期，已督促   度预期值',
    '                                         规范',
    '                                                           施工单位加   ×该指标',
    '                                                           快进度     分值。',
]

# A page whose row's 评分标准 ends (…扣一半分 | 值。) right above the next page's title
# and header: its last line is no header word.
PAGE_TAIL = [
    '\x0c                             指标评分表',
    '',
    '                                                                    参考',
    '                                                                    佐证',
    '                                                                    材料',
    '一级指标       二级指标       三级指标                                          （说',
    '                                                                    明：',
    '                                                                    本栏',
    '                                                                    佐证',
    '                                    年度                              材料',
    '                                         评价年度   自评   未达标原因',
    '                                    预期                       评分标准   供参',
    '                                          实现值   分数     分析',
    '                                     值                              考，',
    '                                                                    部门',
    '      权          权            权                                     只要',
    '名称    重    名称    重    名称      重                                     能证',
    '     (%)        (%)           (%)                                   明对',
    '                                                                    应指',
    '                                                                    标即',
    '                                                                    可）',
    '\x0c                                            1.事前已',
    '                                            经过必要',
    '                                            的可行性',
    '                                            研究、专    工作',
    '                                            家论证；    台',
    '                                    宣传覆盖面',
    '                 ≤90   82.41万               2.审批文   账、',
    '城乡居民培训人均成本   8                  7   不足，拟加',
    '                 万元    元                    件、材料    验收',
    '                                    强政策宣传',
    '                                            符合相关    报告',
    '                                            要求。每    等。',
    '                                            项不符合',
    '                                            扣一半分',
    '                                            值。',
    '\x0c                             指标评分表',
    '',
    '                                                                    参考',
    '                                                                    佐证',
    '                                                                    材料',
    '一级指标       二级指标       三级指标                                          （说',
    '                                                                    明：',
    '                                                                    本栏',
    '                                                                    佐证',
    '                                    年度                              材料',
    '                                         评价年度   自评   未达标原因',
    '                                    预期                       评分标准   供参',
]


def body_of(lines: list[str]) -> list[Piece]:
    """The table's body as the reader keeps it: without the header printed again."""
    pieces = pieces_of(lines)
    bounds = table_bounds(pieces, FUND, CONFIG)
    assert bounds is not None
    markers = {compact(m) for m in marker_words(FUND.markers)}
    body = drop_header_lines(pieces, bounds, LABELS, markers, positioned=True)
    printed = printed_header_keys(pieces, bounds, FUND, LABELS)
    return drop_repeated_headers(body, LABELS, printed, CONFIG.qualitative_values, positioned=True)


def test_a_header_note_closes_past_the_labels_wrapped_beside_it() -> None:
    pieces = pieces_of(TWO_PAGES)
    bounds = table_bounds(pieces, FUND, CONFIG)
    assert bounds is not None
    # 名称 重 … 能证 | (%) (%) (%) 明对 | 应指 | 标即 | 可）: all the header's.
    assert [p.text for p in pieces[bounds[1]:bounds[1] + 2]] == ["专项", "建立健全"]


def test_a_header_printed_again_on_each_page_is_dropped_but_not_a_cells_first_words() -> None:
    texts = [p.text for p in body_of(TWO_PAGES)]
    assert not {"一级指标", "名称", "(%)", "可）", "能证", "指标评分表"} & set(texts)
    assert "评价年度" in texts  # the second row's 评分标准 begins with it


def test_a_sentences_last_line_above_the_next_pages_header_is_its_rows() -> None:
    texts = [p.text for p in body_of(PAGE_TAIL)]
    assert "值。" in texts and "一级指标" not in texts


def test_a_narrow_sentence_column_stays_with_its_row() -> None:
    body = body_of(TWO_PAGES)
    rows, _cost, _lopsided = rows_by_lines(body, TextKind.SPACED, FUND, CONFIG, "gd_fund",
                                           pages=pages_of_lines(TWO_PAGES))
    assert [r.text("level3") for r in rows] == ["制度执行有效性", "组织机构健全性"]
    # Two characters a line say nothing of their kind; their column says whose they are.
    assert rows[0].text("evidence") == "专项资金监督检查的通知及检查报告。"
    assert rows[1].text("scoring_standard") == "评价年度实现值/年度预期值×该指标分值。"


# The form's head above the two pages: the text as a user hands it to the reader.
HEAD = [
    '                            省级财政专项资金绩效自评表',
    '填报单位名称：长沙县生态环境局                                                    金额单位：万元',
    '',
    '           项目名称    城乡居民养老保险补助经费                评价年度   2023   评价金额     950',
]


def test_the_reader_keeps_a_narrow_tables_rows_page_after_page() -> None:
    form = read_text_form("\n".join(HEAD + TWO_PAGES), CATALOGUE, CONFIG)
    assert (form.kind, form.template) == (TextKind.SPACED, "gd_fund")
    assert [r.text("level3") for r in form.rows] == ["制度执行有效性", "组织机构健全性"]
    assert form.rows[0].text("evidence") == "专项资金监督检查的通知及检查报告。"
    assert form.rows[1].text("scoring_standard") == "评价年度实现值/年度预期值×该指标分值。"


# Two pages of a fund form, the second's 评分标准 running two characters a line from the
# header printed again down past its row's line (1.事 | 前已 | … | 要 | 求。 | 每项 | …): one
# cell, however its lines read.
STACKED_SENTENCE = [
    '\x0c                               指标评分表',
    '                                                          参考',
    '                                                          佐证',
    '                                                          材料',
    '一级指       二级指                                             （说',
    '                     三级指标',
    ' 标         标                                              明：',
    '                                                 未        本栏',
    '                                                 达        佐证',
    '                                       评价',
    '                                                 标        材料',
    '                                 年度预   年度   自评       评分',
    '                                                 原        供参',
    '                                  期值   实现   分数       标准',
    '                                                 因        考，',
    '                                        值',
    '                                                 分        部门',
    '     权         权            权                    析        只要',
    '名         名',
    '     重         重     名称     重                             能证',
    '称         称',
    '    (%)       (%)          (%)                            明对',
    '                                                          应指',
    '                                                          标即',
    '                                                          可）',
    '                                                 部',
    '                                                 分',
    '                                                     建立',
    '                                                 资',
    '                                                     健全',
    '                                                 料',
    '                                                     监管',
    '                                                 归',
    '                                                     制度',
    '                                                 档',
    '                                                     并有',
    '                                                 不',
    '                                                     效执   满意',
    '                                                 及',
    '          目                                          行得   度调',
    '                                                 时',
    '          标         绩效目标         逐步改 明显              满    查问',
    '              8            1                0    ，',
    '          设         合理性          善   改善              分，   卷及',
    '                                                 将',
    '          置                                          发现   统计',
    '                                                 建',
    '                                                     问题   表。',
    '                                                 立',
    '                                                     未整',
    '                                                 台',
    '                                                     改的',
    '                                                 账',
    '                                                     每项',
    '                                                 定',
    '                                                     扣2',
    '                                                 期',
    '                                                     分。',
    '                                                 检',
    '                                                 查',
    '\x0c                               指标评分表',
    '                                                           参考',
    '                                                           佐证',
    '                                                           材料',
    '一级指       二级指                                              （说',
    '                     三级指标',
    ' 标         标                                               明：',
    '                                                 未         本栏',
    '                                                 达         佐证',
    '                                       评价',
    '                                                 标         材料',
    '                                 年度预   年度   自评       评分',
    '                                                 原         供参',
    '                                  期值   实现   分数       标准',
    '                                                 因         考，',
    '                                        值',
    '                                                 分         部门',
    '     权         权            权                    析         只要',
    '名         名',
    '     重         重     名称     重                              能证',
    '称         称',
    '    (%)       (%)          (%)                             明对',
    '                                                           应指',
    '                                                           标即',
    '                                                           可）',
    '                                                     1.事',
    '                                                     前已',
    '                                                     经过',
    '                                                     必要',
    '                                                     的可',
    '                                                     行性',
    '                                                     研',
    '                                                     究、',
    '                                                     专家',
    '                                                     论',
    '                                                     证；',
    '                                                     2.审',
    '                    绩效指标         达成年',
    '                           1         达成     1        批文',
    '                    明确性          度指标',
    '                                                     件、',
    '                                                     材料',
    '                                                     符合',
    '                                                     相关',
    '                                                     要',
    '                                                     求。',
    '                                                     每项',
    '                                                     不符',
    '                                                     合扣',
    '                                                     一半',
    '                                                     分',
    '                                                     值。',
]


def test_a_narrow_columns_lines_below_each_other_are_one_cell() -> None:
    body = body_of(STACKED_SENTENCE)
    rows, _cost, _lopsided = rows_by_lines(body, TextKind.SPACED, FUND, CONFIG, "gd_fund",
                                           pages=pages_of_lines(STACKED_SENTENCE))
    assert rows[-1].text("scoring_standard") == \
        "1.事前已经过必要的可行性研究、专家论证；2.审批文件、材料符合相关要求。每项不符合扣一半分值。"
    assert not rows[-1].text("deviation_reason")


# A 偏差原因 (部分镇街资金 | … | 加快拨付) whose first lines stand as near the row above as
# its own: the row above prints nothing in that column about its line.
TALL_REASON = [
    '      20分）    社会效益指',
    '                       代表联络站建设覆盖率       ≥90%       91%        10         10',
    '              标',
    '                                                                                部分镇街资金',
    '              可持续影响                                                             拨付进度偏',
    '                       长效管理机制建立情况       符合规范       符合规范       2          3',
    '              指标                                                                慢，下一步将',
    '                                                                                加快拨付',
    '                       群众满意度            ≥90%       93%        3          3',
]


def test_a_columns_lines_go_to_the_row_whose_cell_they_run_into() -> None:
    pieces = pieces_of(TALL_REASON)
    lines = pieces_by_line(pieces)
    anchors = row_lines(lines)
    upper, lower = (next(p.line for p in pieces if p.text == name) for name in ("代表联络站建设覆盖率", "长效管理机制建立情况"))
    assert anchors[:2] == [upper, lower]
    found = cells_run_into_rows(lines, anchors)
    owners = {p.text: found[id(p)] for p in pieces if id(p) in found}
    # As near both rows: the lower one's, in doubt (the column alone says it).
    assert owners["部分镇街资金"] == (lower, True)
    assert owners["拨付进度偏"] == (lower, False)


# A row whose name prints a line above its numbers' line (人居环境改善情况 | 1 0): the name
# is the row's own, however near the row above's wrapped name (…建立 | 情况) it stands.
NAME_ABOVE_ITS_NUMBERS = [
    '                             ≥90%          90%        19      19',
    '                      完成率',
    '      效益指标',
    '             可持续影响 长效管理机制建立',
    '                            符合规范          符合规范         4      4',
    '               指标     情况',
    '                                达成预期      达成预期                      个别项目前期论证不充分，将',
    '             生态效益指 人居环境改善情况      指标        指标',
    '                                                       1      0',
    '                                                                        完善项目储备',
    '               标',
]


def test_a_run_on_a_rows_own_lines_stays_its_rows() -> None:
    pieces = pieces_of(NAME_ABOVE_ITS_NUMBERS)
    lines = pieces_by_line(pieces)
    found = cells_run_into_rows(lines, row_lines(lines))
    assert not any(p.text == "人居环境改善情况" and id(p) in found for p in pieces)
    rows = rows_by_anchor_lines(pieces, TextKind.SPACED, unsure=CAP)
    texts = [p.text for p in rows]
    assert texts.index("人居环境改善情况") > texts.index("符合规范")


def unit_row(**cells: list[tuple[str, int]]) -> TextRow:
    return TextRow({k: [Piece(t, t, line, None, 0.95) for t, line in v] for k, v in cells.items()})


def test_a_value_never_holds_its_unit_twice() -> None:
    # ≤580 577.46 | 万元 万元: both units read into the target; the one nearer the actual
    # (the right one) goes to it.
    left, right = Piece("万元", "万元", 1, 10, 0.95), Piece("万元", "万元", 1, 16, 0.95)
    row = TextRow({"target": [Piece("≤580", "≤580", 0, 10, 0.95), left, right],
                   "actual": [Piece("577.46", "577.46", 0, 16, 0.95)]})
    assert share_doubled_units([row], CONFIG.units, CAP) == 1
    assert row.cells["target"][-1].x == 10 and row.cells["actual"][-1].x == 16
    assert (row.text("target"), row.text("actual")) == ("≤580万元", "577.46万元")
    assert all(p.confidence <= CAP for k in ("target", "actual") for p in row.cells[k])
    # The other way: the actual holds both, the bare target takes the left one.
    row = TextRow({"target": [Piece("≤30", "≤30", 0, 10, 0.95)],
                   "actual": [Piece("28.15", "28.15", 0, 16, 0.95), Piece("万元", "万元", 1, 10, 0.95),
                              Piece("万元", "万元", 1, 16, 0.95)]})
    assert share_doubled_units([row], CONFIG.units, CAP) == 1
    assert row.cells["target"][-1].x == 10 and row.cells["actual"][-1].x == 16
    # A value with its unit twice and nothing bare beside it (a line said twice): in doubt.
    row = unit_row(target=[("≤90万元", 0)], actual=[("73.29", 0), ("万元", 1), ("万元", 2)])
    assert share_doubled_units([row], CONFIG.units, CAP) == 0
    assert all(p.confidence <= CAP for p in row.cells["actual"])
    # A value with its own unit, or one unit only, is left alone.
    kept = unit_row(target=[("≤580", 0), ("万元", 1)], actual=[("577.46", 0), ("万元", 1)])
    assert share_doubled_units([kept], CONFIG.units, CAP) == 0
