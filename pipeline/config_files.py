"""The form knowledge (config/*.yaml, the fitted calibration model), as shipped and as a
user's folder overlays it (``--config DIR``, ``Settings.config_dir``).

The shipped files are package data: ``pipeline/config`` in an installed copy (the wheel
maps the repository's ``config/`` there), read through ``importlib.resources``; in a
checkout they are ``config/`` beside the package. A user's folder holds only what it
changes, in files of the same names:

* YAML mappings are merged key by key into the shipped ones (a template added, a
  threshold changed); a list is extended by the items it does not hold yet (a label
  variant added); ``!replace [...]`` (or ``!replace {...}``) replaces the shipped value
  instead of extending or merging it.
* ``calibration-model.json`` (a fitted model, not knowledge to merge) replaces the shipped one.

Each file is validated after the merge; an error names the file and the key
(:class:`ConfigError`). Every reader of form knowledge gets its data from here, so a
chosen folder is seen by all of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from pipeline.errors import RunError

# The files of the form knowledge; a user's folder may hold any of them.
YAML_FILES = ("templates.yaml", "text.yaml", "calibration.yaml", "tuning.yaml")
MODEL_FILE = "calibration-model.json"
# Names shown to people (review page, review.xlsx, Chinese export headers): overlaid like
# the others, but not form knowledge, so not in the digest that decides a re-read.
DISPLAY_FILE = "display.yaml"
CONFIG_FILES = (*YAML_FILES, MODEL_FILE, DISPLAY_FILE)


class ConfigError(RunError):
    """A config file that cannot be read or does not validate; the message names the file
    and the key."""

    exit_code = 2


def shipped_config() -> Traversable:
    """The folder of the shipped config: package data when installed, ``config/`` beside
    the package in a checkout (or an editable install of one)."""
    packaged = resources.files("pipeline") / "config"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "config"


class Replace:
    """A value marked ``!replace`` in a user's YAML: it replaces, not extends, the shipped one."""

    def __init__(self, value: Any) -> None:
        self.value = value


class OverlayLoader(yaml.SafeLoader):
    """Safe YAML plus the ``!replace`` tag of a user's overlay."""


def _replace(loader: yaml.SafeLoader, node: yaml.Node) -> Replace:
    if isinstance(node, yaml.SequenceNode):
        return Replace(loader.construct_sequence(node, deep=True))
    if isinstance(node, yaml.MappingNode):
        return Replace(loader.construct_mapping(node, deep=True))
    return Replace(loader.construct_scalar(node))  # type: ignore[arg-type]


OverlayLoader.add_constructor("!replace", _replace)


def _parse_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=OverlayLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a mapping of keys to values, not {type(data).__name__}")
    return data


def merge(base: Any, over: Any) -> Any:
    """``over`` laid on ``base``: mappings merged, lists extended, anything else replaced."""
    if isinstance(over, Replace):
        return _plain(over.value)
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else _plain(value)
        return out
    if isinstance(base, list) and isinstance(over, list):
        return base + [item for item in _plain(over) if item not in base]
    return _plain(over)


def _plain(value: Any) -> Any:
    """``value`` without ``!replace`` marks (a new key's value may hold some)."""
    if isinstance(value, Replace):
        return _plain(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _has_key(data: Any, loc: tuple[Any, ...]) -> bool:
    """Whether the key path ``loc`` (a pydantic error location) is written in ``data``."""
    for key in loc:
        if isinstance(data, Replace):
            data = data.value
        if isinstance(data, dict) and key in data:
            data = data[key]
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return False
    return True


def _key(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(the whole file)"


@cache
def config_texts(overlay: Path | None) -> dict[str, tuple[str | None, str | None]]:
    """Per config file: (shipped text, the overlay's text), None where absent."""
    if overlay is not None and not overlay.is_dir():
        raise ConfigError(f"--config {overlay}: no such folder (give a folder holding some of "
                          f"{', '.join(CONFIG_FILES)})")
    shipped = shipped_config()
    out: dict[str, tuple[str | None, str | None]] = {}
    for name in CONFIG_FILES:
        base = shipped / name
        mine = overlay / name if overlay is not None else None
        out[name] = (base.read_text(encoding="utf-8") if base.is_file() else None,
                     mine.read_text(encoding="utf-8") if mine is not None and mine.is_file() else None)
    if overlay is not None:
        unknown = sorted(p.name for p in overlay.iterdir()
                         if p.suffix in (".yaml", ".yml", ".json") and p.name not in CONFIG_FILES)
        if unknown:
            raise ConfigError(f"{overlay / unknown[0]}: not a config file this tool reads (it reads "
                              f"{', '.join(CONFIG_FILES)}); rename it to one of them")
    return out


def config_yaml(name: str, overlay: Path | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(merged data, what the overlay wrote, where the overlay is) of one YAML file."""
    shipped_text, overlay_text = config_texts(overlay)[name]
    base = _parse_yaml(shipped_text, f"shipped {name}") if shipped_text is not None else {}
    if overlay_text is None or overlay is None:
        return base, {}, f"shipped {name}"
    where = str(overlay / name)
    over = _parse_yaml(overlay_text, where)
    return merge(base, over), over, where


T = TypeVar("T")


def load_validated(name: str, overlay: Path | None, validate: Callable[[dict[str, Any]], T]) -> T:
    """One YAML file merged and validated by ``validate`` (a pydantic validation); a
    validation error names the file that wrote the offending key and the key."""
    data, over, where = config_yaml(name, overlay)
    try:
        return validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            source = where if _has_key(over, loc) or not _has_key(data, loc) else f"shipped {name}"
            problems.append(f"{source}: key {_key(loc)}: {err['msg']}")
        raise ConfigError("; ".join(problems)) from None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def calibration_model_text(overlay: Path | None) -> tuple[str | None, str]:
    """The calibration model's JSON (the overlay's, else the shipped one) and where it is."""
    shipped_text, overlay_text = config_texts(overlay)[MODEL_FILE]
    if overlay_text is not None and overlay is not None:
        return overlay_text, str(overlay / MODEL_FILE)
    return shipped_text, f"shipped {MODEL_FILE}"


@cache
def config_digest(overlay: Path | None) -> str:
    """sha256 of the form knowledge in effect (shipped merged with the overlay): the same
    knowledge gives the same digest, wherever and however it is written."""
    digest = hashlib.sha256()
    for name in YAML_FILES:
        data, _, _ = config_yaml(name, overlay)
        digest.update(name.encode() + b"\0" + json.dumps(data, sort_keys=True, ensure_ascii=False,
                                                          default=str).encode() + b"\0")
    model, _ = calibration_model_text(overlay)
    digest.update(MODEL_FILE.encode() + b"\0" + (model or "").encode() + b"\0")
    return digest.hexdigest()
