"""Names people read: a record's value paths as the form prints them (项目名称, 三级指标
“…” 的得分), flags and checks in words, export headers; Chinese or English.

Field labels come from ``config/templates.yaml`` (the labels the reader matches);
what the forms do not print as a label is in ``config/display.yaml`` (a ``--config`` folder may overlay it like the other files).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from pipeline.config_files import DISPLAY_FILE, load_validated
from pipeline.models import Record
from pipeline.settings import Settings
from pipeline.template.catalogue import TemplateSpec, load_catalogue

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
CHECK_PREFIX = "check_failed:"
INDICATOR_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)$")
ALLOCATION_PATH = re.compile(r"narrative\.allocations\[(\d+)\]\.amount$")


class Words(BaseModel):
    zh: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class Display(BaseModel):
    fields: dict[str, Words]
    indicator_keys: dict[str, Words]
    narrative: dict[str, Words]
    flags: dict[str, Words]
    checks: dict[str, Words]
    tables: dict[str, str]
    columns: dict[str, str]
    page: dict[str, Words]


@cache
def load_display(config_dir: Path | None = None) -> Display:
    """The shipped display.yaml with ``config_dir``'s laid over it (pipeline/config_files.py)."""
    return load_validated(DISPLAY_FILE, config_dir, Display.model_validate)


def template_spec(template: str) -> TemplateSpec | None:
    return load_catalogue(Settings().config_dir).templates.get(template)


def header_label(name: str, template: str, lang: Lang) -> str:
    """A header field (``fields.<name>``) as its form labels it."""
    display = load_display()
    spec = template_spec(template)
    if lang == "en":
        return display.fields[name].en if name in display.fields else name.replace("_", " ")
    if spec is not None:
        field = spec.fields.get(name)
        if field is not None and field.labels:
            # 市本级 is printed under two headings: say which.
            return f"{field.after[0]}·{field.labels[0]}" if field.after else field.labels[0]
        # The family's funds block, then its provincial versions' (财政专户管理资金…).
        blocks = [spec.funds_block, *(v.funds_block for v in spec.versions.values())]
        for block in blocks:
            if block is None:
                continue
            for row, columns in block.fields.items():
                for column, field_name in columns.items():
                    if field_name == name:
                        return f"{block.rows[row][0]}·{block.columns[column][0]}"
    return display.fields[name].zh if name in display.fields else name


def quoted(text: object, lang: Lang) -> str:
    return f"“{text}”" if lang == "zh" else f'"{text}"'


def indicator_label(record: Record, index: int, key: str, lang: Lang) -> str:
    """三级指标 “绩效指标明确性” 的得分; a group's own cell by its group's name."""
    keys = load_display().indicator_keys
    ind = record.indicators[index] if index < len(record.indicators) else None
    level = key[:6] if key.startswith(("level1", "level2")) else "level3"
    name = None if ind is None else getattr(ind, level).value
    what = keys[key](lang) if key in keys else key
    if name is None or key == level:  # the name cell itself, or a row without a name
        row = f"（第 {index + 1} 行）" if lang == "zh" else f" (row {index + 1})"
        return what + row if key == level or name is None else what
    group = keys[level](lang)
    if lang == "zh":
        return f"{group} {quoted(name, lang)} 的{'权重' if key.endswith('_weight') and level != 'level3' else what}"
    return f"{group} {quoted(name, lang)}: {what}"


def value_label(record: Record, path: str, lang: Lang = "zh") -> str:
    """The value at ``path`` named as a clerk reads the form."""
    display = load_display()
    if path.startswith("fields."):
        return header_label(path[len("fields."):], record.template, lang)
    found = INDICATOR_PATH.match(path)
    if found:
        return indicator_label(record, int(found.group(1)), found.group(2), lang)
    found = ALLOCATION_PATH.match(path)
    if found:
        index = int(found.group(1))
        allocations = record.narrative.allocations
        name = allocations[index].name if index < len(allocations) else "?"
        sep = "：" if lang == "zh" else ": "
        return f"{display.narrative['spending'](lang)}{sep}{name} {display.narrative['allocation'](lang)}"
    if path.startswith("narrative."):
        key = path[len("narrative."):]
        return display.narrative[key](lang) if key in display.narrative else key
    return path


def flag_text(flag: str, lang: Lang = "zh") -> str:
    display = load_display()
    if flag.startswith(CHECK_PREFIX):
        return check_name(flag[len(CHECK_PREFIX):], lang)
    return display.flags[flag](lang) if flag in display.flags else flag


def check_name(rule: str, lang: Lang = "zh") -> str:
    display = load_display()
    return display.checks[rule](lang) if rule in display.checks else rule


def column_header(name: str, lang: Lang) -> str:
    return load_display().columns.get(name, name) if lang == "zh" else name


def table_title(name: str, lang: Lang) -> str:
    return load_display().tables.get(name, name) if lang == "zh" else name


def page_text(key: str, lang: Lang, **values: object) -> str:
    """One of the review page's own phrases, its ``{placeholders}`` filled."""
    return load_display().page[key](lang).format(**values)
