"""`review.html`: the review queue as static, self-contained pages, for clerks who read
Chinese (``lang="en"`` for English).

Every flagged value, grouped by document, named as the form prints it (项目名称, 三级指标
“…” 的得分), with the crop of its table row (embedded as a data: URI, the value marked),
its raw reading, the value and why it was flagged; a merged cell is one entry; a summary
and a document index at the top. A batch of more than :data:`SPLIT_AT` documents to
review gets review.html as the summary and index, and a page per document under
``review/`` (each self-contained too), so no page grows with the batch. Pages open from
disk with no server and need no script.

Document text is untrusted (issue 8): every piece of it goes through :func:`text`
(``html.escape`` with quotes, control characters and lone surrogates replaced), the page
makes no link or URL from it (anchors are numbered by us), and a Content-Security-Policy
forbids scripts, remote loads and non-data images as a second line of defence.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from pathlib import Path

from pipeline.errors import OutputNotWritable
from pipeline.models import Record, Value
from pipeline.output.display import Lang, check_name, flag_text, page_text
from pipeline.output.review_crops import Crop, MiniTable, NoImage, RegionKey, document_crops
from pipeline.output.review_sheet import SHEET_NAME, write_review_sheet
from pipeline.output.review_queue import (
    ReviewDocument,
    ReviewItem,
    ReviewQueue,
    build_queue,
    escape_format_controls,
    read_records,
)

Picture = Crop | NoImage | MiniTable  # what a region shows: a crop, why none, a file's cells
PAGE_NAME = "review.html"
PAGES_DIR = "review"  # one page per document, for large batches
SPLIT_AT = 100  # documents to review above which each gets its own page
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")

# Characters HTML cannot carry (NUL, other C0 controls, DEL, C1) and lone surrogates,
# which cannot be written as UTF-8.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

STYLE = """
body{font:14px/1.45 "Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;
 margin:0 auto;max-width:1200px;padding:0 16px 48px;color:#222;background:#fafafa}
h1{font-size:22px;margin:20px 0 8px}h2{font-size:17px;margin:0;word-break:break-all}
table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:4px 8px}
.summary td,.summary th{border-bottom:1px solid #ddd}.num{text-align:right}
.document{background:#fff;border:1px solid #ccc;border-radius:6px;margin:18px 0;padding:12px 14px}
.meta{color:#555;margin:4px 0 10px}.note{color:#8a4b00}
.region{border-top:2px solid #ddd}.region .picture td{padding-top:14px;border-bottom:none}
.frame{position:relative;display:inline-block;max-width:100%;border:1px solid #bbb;line-height:0}
.frame img{max-width:100%;height:auto}
.mark{position:absolute;outline:2px solid rgba(220,30,30,.8);pointer-events:none}
.caption{color:#666;font-size:12px;margin:2px 0 6px}
.mini{border-collapse:collapse;font-size:12px}.mini td{border:1px solid #999;padding:2px 4px;max-width:16em}
.mini td.value{outline:2px solid #d00}
.noimage{display:inline-block;color:#666;background:#f0f0f0;border:1px dashed #bbb;padding:6px 10px}
.rawline{white-space:pre-wrap;word-break:break-all;background:#f4f4f4;border:1px solid #ddd;
 padding:6px 8px;margin:0;max-width:100%}
.items{width:100%;margin-top:6px;table-layout:fixed}.items th{background:#f2f2f2;font-weight:600}
.items td{border-bottom:1px solid #eee;overflow-wrap:anywhere}
.items .c-path{width:21%}.items .c-value,.items .c-raw{width:24%}
.items .c-why{width:24%}.items .c-conf{width:7%}
.label{word-break:keep-all;overflow-wrap:anywhere}.path{font-family:monospace;font-size:11px;color:#888}
.spans{color:#555;font-size:12px}.index td{padding:2px 8px}.none{color:#999;font-style:italic}
.raw{white-space:pre-wrap}.reasons{margin:0;padding-left:16px}.detail{color:#555}
.flag{font-family:monospace;font-size:12px;background:#fdecea;color:#8b1a10;padding:0 3px;border-radius:3px}
.failed .error{color:#8b1a10;white-space:pre-wrap;word-break:break-all}
details{margin:10px 0}summary{cursor:pointer}
"""


def text(value: object) -> str:
    """Untrusted text made safe for HTML text and quoted attribute values; format
    controls (bidi overrides, zero-width characters) shown escaped, never applied."""
    return html.escape(escape_format_controls(UNPRINTABLE.sub("\ufffd", str(value))), quote=True)


def show_value(value: Value, lang: Lang = "zh") -> str:
    if value is None:
        return f'<span class="none">{text(page_text("none", lang))}</span>'
    return text(value)


def region_key(item: ReviewItem) -> RegionKey | None:
    if item.page is None or item.bbox is None:
        return None
    x0, top, x1, bottom = item.bbox
    box = (float(x0), float(top), float(x1), float(bottom))
    return (item.page, box) if item.context is None else (item.page, box, tuple(item.context))


def group_by_region(items: list[ReviewItem]) -> list[tuple[RegionKey | None, list[ReviewItem]]]:
    """Items that share a page region (the amounts of one narrative paragraph) together,
    in order of first appearance, so the region's crop is embedded once."""
    groups: dict[RegionKey | None, list[ReviewItem]] = {}
    for item in items:
        groups.setdefault(region_key(item), []).append(item)
    return list(groups.items())


def crop_html(crop: Crop, page: int, lang: Lang = "zh") -> str:
    left, top, right, bottom = crop.mark
    mark = (f"left:{left * 100:.2f}%;top:{top * 100:.2f}%;"
            f"width:{(right - left) * 100:.2f}%;height:{(bottom - top) * 100:.2f}%")
    return (f'<div class="frame"><img class="crop" src="{crop.data_uri}" width="{crop.width}" '
            f'height="{crop.height}" alt="{text(page_text("crop_alt", lang, page=page))}">'
            f'<span class="mark" style="{mark}"></span></div>'
            f'<div class="caption">{text(page_text("crop_caption", lang, page=page))}</div>')


def mini_table_html(table: MiniTable, lang: Lang = "zh") -> str:
    """A file's own table around the value (no page image): its cell outlined in red."""
    rows = "".join(
        "<tr>" + "".join(
            f'<td{f" rowspan={r}" if r > 1 else ""}{f" colspan={c}" if c > 1 else ""}'
            f'{" class=value" if mine else ""}>{text(cell)}</td>' for cell, r, c, mine in row) + "</tr>"
        for row in table.rows)
    return (f'<table class="mini">{rows}</table>'
            f'<div class="caption">{text(table.where)}; {text(page_text("mini_caption", lang))}</div>')


def region_picture(doc: ReviewDocument, key: RegionKey | None, items: list[ReviewItem],
                   crops: dict[RegionKey, Picture], lang: Lang = "zh") -> str | None:
    """What the region looks like: its crop, the reason there is none, or for text input
    the line several values were read from (one value's line is its raw reading: None)."""
    if key is None:
        return f'<div class="noimage">{text(page_text("no_region", lang))}</div>'
    if doc.source.kind == "text":
        raw = next((i.raw for i in items if i.raw), None)
        if len(items) < 2 or raw is None:
            return None
        return (f'<div class="caption">{text(page_text("text_lines", lang))}</div>'
                f'<pre class="rawline">{text(raw)}</pre>')
    found = crops.get(key)
    if isinstance(found, Crop):
        return crop_html(found, key[0], lang)
    if isinstance(found, MiniTable):
        return mini_table_html(found, lang)
    reason = found.reason if isinstance(found, NoImage) else "not rendered"
    return f'<div class="noimage">{text(page_text("no_image", lang))} ({text(reason)})</div>'


def reason_text(flag: str, detail: str, lang: Lang) -> str:
    """What a reason says: a check's name and its detail (the arithmetic, as printed), a
    flag's meaning (``confidence 0.42`` kept for low confidence)."""
    if flag.startswith("check_failed:"):
        return f"{check_name(flag[len('check_failed:'):], lang)}: {detail}"
    if flag == "low_ocr_confidence":
        return f"{flag_text(flag, lang)} ({detail})"
    return flag_text(flag, lang) if lang == "zh" else detail


def row_numbers(paths: list[str]) -> str:
    return "、".join(str(int(p.split("[", 1)[1].split("]", 1)[0]) + 1) for p in paths)


def item_row(doc: ReviewDocument, index: int, item: ReviewItem, lang: Lang = "zh") -> str:
    raw = show_value(None, lang) if item.raw is None else text(item.raw)
    reasons = "".join(f'<li><span class="flag">{text(r.flag)}</span> '
                      f'<span class="detail">{text(reason_text(r.flag, r.detail, lang))}</span></li>'
                      for r in item.reasons)
    spans = ("" if not item.spans else
             f'<div class="spans">{text(page_text("spans", lang, rows=row_numbers([item.path, *item.spans])))}</div>')
    return (f'<tr class="item" id="d{doc.number}-v{index}"><td><div class="label">{text(item.label or item.path)}</div>'
            f'{spans}<div class="path">{text(item.path)}</div></td>'
            f'<td class="value">{show_value(item.value, lang)}</td><td class="raw">{raw}</td>'
            f'<td><ul class="reasons">{reasons}</ul></td>'
            f'<td class="num">{item.confidence:.2f}</td></tr>')


def crop_keys(doc: ReviewDocument) -> list[RegionKey]:
    """The page regions of a document's flagged values that have a picture, once each."""
    if doc.source.kind == "text":
        return []
    return list(dict.fromkeys(k for k in (region_key(i) for i in doc.items) if k is not None))


def documents_crops(docs: list[ReviewDocument], password: str | None, workers: int = 1
                    ) -> list[dict[RegionKey, Picture]]:
    """Each document's crops, cut after the last document is read: with ``workers`` > 1 the documents are shared
    out to that many processes (spawned: no state of this one is inherited)."""
    jobs = [(d.source, crop_keys(d)) for d in docs]
    todo = [i for i, (_, keys) in enumerate(jobs) if keys]
    out: list[dict[RegionKey, Picture]] = [{} for _ in docs]
    if workers > 1 and len(todo) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                     mp_context=multiprocessing.get_context("spawn")) as pool:
                results = pool.map(document_crops, *zip(*[(*jobs[i], password) for i in todo]))
                for i, crops in zip(todo, results):
                    out[i] = crops
        except (BrokenProcessPool, OSError):
            pass  # no processes here (e.g. a __main__ spawn cannot import): the rest below
    for i in todo:
        if not out[i]:
            out[i] = document_crops(*jobs[i], password)
    return out


def document_html(doc: ReviewDocument, crops: dict[RegionKey, Picture], lang: Lang = "zh") -> str:
    src = doc.source
    meta = (f"{text(doc.template)} · {text(src.kind)} · {src.pages} {text(page_text('pages', lang))} · "
            f"{text(page_text('engine', lang))} {text(src.engine or '—')} · {len(doc.items)} "
            f"{text(page_text('n_flagged', lang))}")
    parts = [f'<section class="document" id="doc-{doc.number}">',
             f'<h2>{doc.number}. {text(src.path)}{text(f" ({src.part})" if src.part else "")}</h2>'
             f'<div class="meta">{meta}</div>']
    if doc.note:
        parts.append(f'<p class="note">{text(doc.note)}</p>')
    if src.kind == "text" and doc.items:
        parts.append(f'<p class="caption">{text(page_text("text_input", lang))}</p>')
    if doc.items:
        heads = "".join(f'<th class="c-{c}">{text(page_text(w, lang))}</th>' for c, w in
                        (("path", "field"), ("value", "value"), ("raw", "raw"), ("why", "why"),
                         ("conf", "confidence")))
        parts.append(f'<table class="items"><thead><tr>{heads}</tr></thead>')
    index = 0
    for key, items in group_by_region(doc.items):
        # One tbody per page region: its picture across the table, then its values.
        picture = region_picture(doc, key, items, crops, lang)
        parts.append('<tbody class="region">' + ("" if picture is None else
                     f'<tr class="picture"><td colspan="5">{picture}</td></tr>'))
        for item in items:
            index += 1
            parts.append(item_row(doc, index, item, lang))
        parts.append("</tbody>")
    if doc.items:
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def summary_html(queue: ReviewQueue, lang: Lang = "zh") -> str:
    counts = queue.status_counts
    kinds: Counter[str] = Counter()
    for flag, n in queue.flag_counts.items():
        kinds["check_failed" if flag.startswith("check_failed:") else flag] += n
    flag_rows = "".join(
        f'<tr><td><span class="flag">{text(flag)}</span></td><td class="num">{n}</td>'
        f"<td>{text(flag_text(flag, lang))}</td></tr>" for flag, n in kinds.most_common())
    rule_rows = "".join(
        f'<tr><td>&nbsp;&nbsp;<span class="flag">{text(flag)}</span></td><td class="num">{n}</td>'
        f"<td>{text(flag_text(flag, lang))}</td></tr>"
        for flag, n in queue.flag_counts.items() if flag.startswith("check_failed:"))
    w = lambda key: text(page_text(key, lang))  # noqa: E731
    return (f'<table class="summary" id="summary"><tbody>'
            f'<tr><th>{w("documents")}</th><td class="num" id="n-documents">{len(queue.documents)}</td>'
            "<td></td></tr>"
            f'<tr><th>{w("ok")}</th><td class="num" id="n-ok">{counts["ok"]}</td><td>{w("ok_note")}</td></tr>'
            f'<tr><th>{w("review")}</th><td class="num" id="n-review">{counts["review"]}</td><td></td></tr>'
            f'<tr><th>{w("failed")}</th><td class="num" id="n-failed">{counts["failed"]}</td>'
            f'<td>{w("failed_note")}</td></tr>'
            f'<tr><th>{w("flagged")}</th><td class="num" id="n-flagged">{queue.n_items}</td><td></td></tr>'
            f"{flag_rows}{rule_rows}</tbody></table>")


def failed_html(docs: list[ReviewDocument], lang: Lang = "zh") -> str:
    if not docs:
        return ""
    rows = "".join(f'<tr class="failed-doc" id="doc-{d.number}"><td>{d.number}. '
                   f'{text(d.source.path)}</td><td class="error">{text(d.error or "unknown error")}'
                   "</td></tr>" for d in docs)
    return (f'<section class="document failed" id="failed"><h2>{text(page_text("failed_documents", lang))} '
            f'({len(docs)})</h2><table class="items"><thead><tr><th>{text(page_text("document", lang))}</th>'
            f'<th>{text(page_text("error", lang))}</th></tr></thead><tbody>{rows}</tbody></table></section>')


def ok_html(docs: list[ReviewDocument], lang: Lang = "zh") -> str:
    if not docs:
        return ""
    rows = "".join(f"<li>{d.number}. {text(d.source.path)}</li>" for d in docs)
    return (f"<details><summary>{text(page_text('ok_documents', lang, n=len(docs)))}</summary>"
            f"<ul>{rows}</ul></details>")


def document_page_name(doc: ReviewDocument) -> str:
    return f"doc-{doc.number:05d}.html"


def index_html(review: list[ReviewDocument], lang: Lang, split: bool) -> str:
    """Links to every document to review: anchors on this page, or its own page."""
    if not review:
        return ""
    rows = "".join(
        f'<tr><td class="num">{d.number}</td><td><a class="doc-link" href="'
        f'{PAGES_DIR + "/" + document_page_name(d) if split else f"#doc-{d.number}"}">'
        f"{text(d.source.path)}{text(f' ({d.source.part})' if d.source.part else '')}</a></td>"
        f"<td>{text(d.template)}</td>"
        f'<td class="num">{len(d.items)}</td></tr>' for d in review)
    return (f'<nav id="index"><h2>{text(page_text("index", lang))} ({len(review)})</h2>'
            f'<table class="index"><tbody>{rows}</tbody></table></nav>')


def page_shell(title: str, body: str, lang: Lang) -> str:
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{text(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>\n")


def head_html(queue: ReviewQueue, lang: Lang) -> str:
    title = page_text("title", lang, n=queue.n_items)
    return (f"<h1>{text(title)}</h1><p>{text(page_text('intro', lang))}</p>"
            f"{summary_html(queue, lang)}")


Crops = list[dict[RegionKey, Picture]]


def render_review_page(queue: ReviewQueue, password: str | None = None, workers: int = 1,
                       lang: Lang = "zh", crops: Crops | None = None) -> str:
    """The whole queue as one page (crops rendered from the source files by ``workers``
    processes, unless given: one per document to review)."""
    review = [d for d in queue.documents if d.status == "review"]
    if crops is None:
        crops = documents_crops(review, password, workers)
    body = "".join(document_html(d, c, lang) for d, c in zip(review, crops, strict=True))
    return page_shell(page_text("title", lang, n=queue.n_items),
                      f"{head_html(queue, lang)}{index_html(review, lang, split=False)}"
                      f"{ok_html([d for d in queue.documents if d.status == 'ok'], lang)}"
                      f"{failed_html([d for d in queue.documents if d.status == 'failed'], lang)}{body}",
                      lang)


def render_split_pages(queue: ReviewQueue, password: str | None = None, workers: int = 1,
                       lang: Lang = "zh", crops: Crops | None = None) -> tuple[str, dict[str, str]]:
    """The index page, and a page per document to review (name → page)."""
    review = [d for d in queue.documents if d.status == "review"]
    index = page_shell(page_text("title", lang, n=queue.n_items),
                       f"{head_html(queue, lang)}{index_html(review, lang, split=True)}"
                       f"{ok_html([d for d in queue.documents if d.status == 'ok'], lang)}"
                       f"{failed_html([d for d in queue.documents if d.status == 'failed'], lang)}",
                       lang)
    pages = {}
    back = f'<p><a class="back" href="../{PAGE_NAME}">{text(page_text("back", lang))}</a></p>'
    if crops is None:
        crops = documents_crops(review, password, workers)
    for doc, doc_crops in zip(review, crops, strict=True):
        pages[document_page_name(doc)] = page_shell(
            f"{doc.number}. {doc.source.path}", back + document_html(doc, doc_crops, lang) + back, lang)
    return index, pages


def replace_file(target: Path, content: str) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(content, encoding="utf-8", errors="replace")
    os.replace(tmp, target)


def write_review_page(out_dir: Path, records: list[Record], password: str | None = None,
                      workers: int = 1, lang: Lang = "zh", split_at: int = SPLIT_AT,
                      sheet: bool = True) -> Path:
    """Write ``out_dir/review.html`` for ``records`` (temporary name, then renamed); above
    ``split_at`` documents to review, with a page per document in ``out_dir/review/``;
    and (``sheet``) review.xlsx beside it, with the same crops."""
    queue = build_queue(records, lang)
    review = [d for d in queue.documents if d.status == "review"]
    crops = documents_crops(review, password, workers)
    if sheet:
        write_review_sheet(out_dir / SHEET_NAME, review, crops, lang)
    target = out_dir / PAGE_NAME
    try:
        if len(review) <= split_at:
            replace_file(target, render_review_page(queue, password, workers, lang, crops))
            return target
        index, pages = render_split_pages(queue, password, workers, lang, crops)
        folder = out_dir / PAGES_DIR
        folder.mkdir(exist_ok=True)
        for old in folder.glob("doc-*.html"):
            if old.name not in pages:
                old.unlink()
        for name, page in pages.items():
            replace_file(folder / name, page)
        replace_file(target, index)
    except OSError as exc:
        raise OutputNotWritable(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


def write_review_page_from_folder(out_dir: Path, password: str | None = None,
                                  workers: int = 1, lang: Lang = "zh") -> Path:
    """Rebuild ``out_dir/review.html`` from ``out_dir/records.jsonl``."""
    return write_review_page(out_dir, read_records(out_dir), password, workers, lang)
