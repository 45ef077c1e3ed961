"""`review.html`: the review queue as one static, self-contained page.

Every flagged value, grouped by document, with the crop of the page region it was read
from (embedded as a data: URI), its raw reading, the value and why it was flagged; a
summary at the top. It opens from disk with no server and needs no script.

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
from pipeline.output.review_crops import BBox, Crop, MiniTable, NoImage, document_crops
from pipeline.output.review_queue import (
    FLAG_TEXT,
    ReviewDocument,
    ReviewItem,
    ReviewQueue,
    build_queue,
    escape_format_controls,
    read_records,
)

PAGE_NAME = "review.html"
CHECK_TEXT = "a check on the form's arithmetic failed (by rule below)"
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
.path{font-family:monospace}.none{color:#999;font-style:italic}
.raw{white-space:pre-wrap}.reasons{margin:0;padding-left:16px}.detail{color:#555}
.flag{font-family:monospace;font-size:12px;background:#fdecea;color:#8b1a10;padding:0 3px;border-radius:3px}
.failed .error{color:#8b1a10;white-space:pre-wrap;word-break:break-all}
details{margin:10px 0}summary{cursor:pointer}
"""


def text(value: object) -> str:
    """Untrusted text made safe for HTML text and quoted attribute values; format
    controls (bidi overrides, zero-width characters) shown escaped, never applied."""
    return html.escape(escape_format_controls(UNPRINTABLE.sub("\ufffd", str(value))), quote=True)


def show_value(value: Value) -> str:
    if value is None:
        return '<span class="none">(none)</span>'
    return text(value)


def region_key(item: ReviewItem) -> tuple[int, BBox] | None:
    if item.page is None or item.bbox is None:
        return None
    x0, top, x1, bottom = item.bbox
    return item.page, (float(x0), float(top), float(x1), float(bottom))


def group_by_region(items: list[ReviewItem]) -> list[tuple[tuple[int, BBox] | None, list[ReviewItem]]]:
    """Items that share a page region (the amounts of one narrative paragraph) together,
    in order of first appearance, so the region's crop is embedded once."""
    groups: dict[tuple[int, BBox] | None, list[ReviewItem]] = {}
    for item in items:
        groups.setdefault(region_key(item), []).append(item)
    return list(groups.items())


def crop_html(crop: Crop, page: int) -> str:
    left, top, right, bottom = crop.mark
    mark = (f"left:{left * 100:.2f}%;top:{top * 100:.2f}%;"
            f"width:{(right - left) * 100:.2f}%;height:{(bottom - top) * 100:.2f}%")
    return (f'<div class="frame"><img class="crop" src="{crop.data_uri}" width="{crop.width}" '
            f'height="{crop.height}" alt="page {page}: where the value was read">'
            f'<span class="mark" style="{mark}"></span></div>'
            f'<div class="caption">page {page}; the red box is where the value was read</div>')


def mini_table_html(table: MiniTable) -> str:
    """A file's own table around the value (no page image): its cell outlined in red."""
    rows = "".join(
        "<tr>" + "".join(
            f'<td{f" rowspan={r}" if r > 1 else ""}{f" colspan={c}" if c > 1 else ""}'
            f'{" class=value" if mine else ""}>{text(cell)}</td>' for cell, r, c, mine in row) + "</tr>"
        for row in table.rows)
    return (f'<table class="mini">{rows}</table>'
            f'<div class="caption">{text(table.where)}; the red cell is where the value was read</div>')


def region_picture(doc: ReviewDocument, key: tuple[int, BBox] | None, items: list[ReviewItem],
                   crops: dict[tuple[int, BBox], Crop | NoImage | MiniTable]) -> str | None:
    """What the region looks like: its crop, the reason there is none, or for text input
    the line several values were read from (one value's line is its raw reading: None)."""
    if key is None:
        return '<div class="noimage">no image: the value was not read, so it has no page region</div>'
    if doc.source.kind == "text":
        raw = next((i.raw for i in items if i.raw), None)
        if len(items) < 2 or raw is None:
            return None
        return ('<div class="caption">text input, no page image: the text these values were '
                f'read from</div><pre class="rawline">{text(raw)}</pre>')
    found = crops.get(key)
    if isinstance(found, Crop):
        return crop_html(found, key[0])
    if isinstance(found, MiniTable):
        return mini_table_html(found)
    reason = found.reason if isinstance(found, NoImage) else "not rendered"
    return f'<div class="noimage">no image ({text(reason)})</div>'


def item_row(doc: ReviewDocument, index: int, item: ReviewItem) -> str:
    raw = '<span class="none">(none)</span>' if item.raw is None else text(item.raw)
    reasons = "".join(f'<li><span class="flag">{text(r.flag)}</span> '
                      f'<span class="detail">{text(r.detail)}</span></li>' for r in item.reasons)
    return (f'<tr class="item" id="d{doc.number}-v{index}"><td class="path">{text(item.path)}</td>'
            f'<td class="value">{show_value(item.value)}</td><td class="raw">{raw}</td>'
            f'<td><ul class="reasons">{reasons}</ul></td>'
            f'<td class="num">{item.confidence:.2f}</td></tr>')


def crop_keys(doc: ReviewDocument) -> list[tuple[int, BBox]]:
    """The page regions of a document's flagged values that have a picture, once each."""
    if doc.source.kind == "text":
        return []
    return list(dict.fromkeys(k for k in (region_key(i) for i in doc.items) if k is not None))


def documents_crops(docs: list[ReviewDocument], password: str | None, workers: int = 1
                    ) -> list[dict[tuple[int, BBox], Crop | NoImage | MiniTable]]:
    """Each document's crops, cut after the last document is read: with ``workers`` > 1 the documents are shared
    out to that many processes (spawned: no state of this one is inherited)."""
    jobs = [(d.source, crop_keys(d)) for d in docs]
    todo = [i for i, (_, keys) in enumerate(jobs) if keys]
    out: list[dict[tuple[int, BBox], Crop | NoImage | MiniTable]] = [{} for _ in docs]
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


def document_html(doc: ReviewDocument, crops: dict[tuple[int, BBox], Crop | NoImage | MiniTable]) -> str:
    src = doc.source
    meta = (f"{text(doc.template)} · {text(src.kind)} · {src.pages} page(s) · "
            f"engine {text(src.engine or '—')} · {len(doc.items)} value(s) flagged")
    parts = [f'<section class="document" id="doc-{doc.number}">',
             f'<h2>{doc.number}. {text(src.path)}</h2><div class="meta">{meta}</div>']
    if doc.note:
        parts.append(f'<p class="note">{text(doc.note)}</p>')
    if src.kind == "text" and doc.items:
        parts.append('<p class="caption">text input: no page images; the raw reading is the '
                     "text as read</p>")
    if doc.items:
        parts.append('<table class="items"><thead><tr><th class="c-path">field</th>'
                     '<th class="c-value">value</th><th class="c-raw">raw reading</th>'
                     '<th class="c-why">why</th><th class="c-conf">confidence</th></tr></thead>')
    index = 0
    for key, items in group_by_region(doc.items):
        # One tbody per page region: its picture across the table, then its values.
        picture = region_picture(doc, key, items, crops)
        parts.append('<tbody class="region">' + ("" if picture is None else
                     f'<tr class="picture"><td colspan="5">{picture}</td></tr>'))
        for item in items:
            index += 1
            parts.append(item_row(doc, index, item))
        parts.append("</tbody>")
    if doc.items:
        parts.append("</table>")
    parts.append("</section>")
    return "".join(parts)


def summary_html(queue: ReviewQueue) -> str:
    counts = queue.status_counts
    kinds: Counter[str] = Counter()
    for flag, n in queue.flag_counts.items():
        kinds["check_failed" if flag.startswith("check_failed:") else flag] += n
    flag_rows = "".join(
        f'<tr><td><span class="flag">{text(flag)}</span></td><td class="num">{n}</td>'
        f"<td>{text(CHECK_TEXT if flag == 'check_failed' else FLAG_TEXT.get(flag, 'flagged'))}</td></tr>"
        for flag, n in kinds.most_common())
    rule_rows = "".join(
        f'<tr><td>&nbsp;&nbsp;<span class="flag">{text(flag)}</span></td><td class="num">{n}</td>'
        "<td></td></tr>" for flag, n in queue.flag_counts.items() if flag.startswith("check_failed:"))
    return (f'<table class="summary" id="summary"><tbody>'
            f'<tr><th>documents</th><td class="num" id="n-documents">{len(queue.documents)}</td>'
            "<td></td></tr>"
            f'<tr><th>ok</th><td class="num" id="n-ok">{counts["ok"]}</td><td>nothing flagged</td></tr>'
            f'<tr><th>to review</th><td class="num" id="n-review">{counts["review"]}</td><td></td></tr>'
            f'<tr><th>failed</th><td class="num" id="n-failed">{counts["failed"]}</td>'
            f'<td>could not be read; see the error</td></tr>'
            f'<tr><th>values flagged</th><td class="num" id="n-flagged">{queue.n_items}</td><td></td></tr>'
            f"{flag_rows}{rule_rows}</tbody></table>")


def failed_html(docs: list[ReviewDocument]) -> str:
    if not docs:
        return ""
    rows = "".join(f'<tr class="failed-doc" id="doc-{d.number}"><td>{d.number}. '
                   f'{text(d.source.path)}</td><td class="error">{text(d.error or "unknown error")}'
                   "</td></tr>" for d in docs)
    return (f'<section class="document failed" id="failed"><h2>Failed documents ({len(docs)})</h2>'
            f'<table class="items"><thead><tr><th>document</th><th>error</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


def ok_html(docs: list[ReviewDocument]) -> str:
    if not docs:
        return ""
    rows = "".join(f"<li>{d.number}. {text(d.source.path)}</li>" for d in docs)
    return (f"<details><summary>{len(docs)} document(s) with nothing flagged</summary>"
            f"<ul>{rows}</ul></details>")


def render_review_page(queue: ReviewQueue, password: str | None = None, workers: int = 1) -> str:
    """The whole page as a string (crops rendered from the source files by ``workers``
    processes)."""
    review = [d for d in queue.documents if d.status == "review"]
    body = "".join(document_html(d, crops)
                   for d, crops in zip(review, documents_crops(review, password, workers)))
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Review queue: {queue.n_items} values to check</title>"
            f"<style>{STYLE}</style></head><body>"
            f"<h1>Review queue: {queue.n_items} values to check</h1>"
            "<p>Check only what is listed here: every value without a flag was read, "
            "and passed the form's checks, with enough confidence to trust.</p>"
            f"{summary_html(queue)}{ok_html([d for d in queue.documents if d.status == 'ok'])}"
            f"{failed_html([d for d in queue.documents if d.status == 'failed'])}{body}"
            "</body></html>\n")


def write_review_page(out_dir: Path, records: list[Record], password: str | None = None,
                      workers: int = 1) -> Path:
    """Write ``out_dir/review.html`` for ``records`` (temporary name, then renamed)."""
    page = render_review_page(build_queue(records), password, workers)
    target = out_dir / PAGE_NAME
    tmp = out_dir / f".{PAGE_NAME}.tmp"
    try:
        tmp.write_text(page, encoding="utf-8", errors="replace")
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputNotWritable(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


def write_review_page_from_folder(out_dir: Path, password: str | None = None,
                                  workers: int = 1) -> Path:
    """Rebuild ``out_dir/review.html`` from ``out_dir/records.jsonl``."""
    return write_review_page(out_dir, read_records(out_dir), password, workers)
