"""A value's confidence from its evidence: the probability that it is right.

The reading's own confidence (OCR character probability, 0.99 for a clean text layer, the
text path's repair confidences) is one piece of evidence; the others are what the form
says about the value: the label matched only approximately, an arithmetic check it is
part of passed (weights summing to 100 confirm every weight) or failed, a value printed
twice agrees with its copy, the value has a plausible shape for its field. Each is a
feature; a logistic model per reader (``text_layer``, ``text``, ``ocr``) turns them into a
probability. The models are fitted on the bench corpus by ``python -m bench.calibrate``
and stored in ``config/calibration-model.json``; the form knowledge the features need
(which values repeat, plausible ranges and shapes) is in ``config/calibration.yaml``.
Without a model file confidences stay as read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.config_files import ConfigError, calibration_model_text, load_validated
from pipeline.models import FieldValue, Record

CONFIG_FILE = "calibration.yaml"
# Evidence features, in the order the model's coefficients are stored.
FEATURES: tuple[str, ...] = (
    "reading",           # logit of the reading's confidence
    "fuzzy_label",       # the label matched only approximately
    "check_passed",      # a number that an equation of the form (a sum, a rate) confirms
    "check_failed",      # part of one that failed
    "number",            # a typed number (amount, weight, score)
    "implausible",       # out of its range, or a measure of an unknown shape
    "repeat_agrees",     # printed twice, and the copies agree
    "repeat_disagrees",  # printed twice, and they do not
    "long_text",         # running text (more than 30 characters)
    "tesseract",         # read by Tesseract (OCR reader only)
    "ambiguous",         # two readings disagreed (second opinion)
    "unsigned_measure",  # a measure that usually has ≥/≤ starts with a digit
    "confusable",        # holds a character often confused with a look-alike
    # What kind of value it is (config `kinds`; a text of no listed kind is a name), and the
    # reading's weight for each kind: how much an OCR doubt says differs by kind (a name in
    # a cell is rarely wrong when read at 0.9, running text often is; a number the sums
    # confirm is right whatever its reading).
    "measure",           # a measure (年度指标值, 实际完成值)
    "prose",             # running text (评分标准, 偏差原因, the narrative)
    "reading_confirmed",  # reading × check_passed
    "reading_name",      # reading × a name
    "reading_measure",   # reading × measure
    "reading_prose",     # reading × prose
    "odd_sign",          # a measure that starts with > or < (or 》), the usual misreads of ≥ / ≤
    "marks",             # log(1 + punctuation marks and digits) of running text: where OCR errs
)
READING_CLIP = (0.001, 0.999)
LONG_TEXT = 30
MARKS = re.compile(r"[\d，。；：、,.;:（）()《》“”%]")
INDEXED = re.compile(r"^indicators\[\d+\]\.(\w+)$")


class SecondOpinionConfig(BaseModel):
    """How the second opinion reads (whether it does: ``Settings.second_opinion``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    engine: str = "tesseract"
    # Constructor options of that engine (e.g. lang for Tesseract).
    options: dict[str, Any] = Field(default_factory=lambda: {"lang": "chi_sim"})
    below: float = 0.9
    scale: float = 1.0

    @field_validator("engine", mode="before")
    @classmethod
    def _an_engine(cls, value: Any) -> Any:
        # `engine: null` was once the off switch; there is one switch now.
        if value is None:
            raise ValueError("names the engine of the second opinion; it is switched on and off by "
                             "--second-opinion (Settings.second_opinion), off by default")
        return value


class Plausibility(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    measure_keys: list[str] = Field(default_factory=list)
    measure_pattern: str = ".*"
    max_percent: float = math.inf
    signed_keys: list[str] = Field(default_factory=list)
    # Measures of those keys that are printed without a sign (100%, a date): not doubtful.
    unsigned_shapes: str = "(?!)"
    # A measure starting with this is more likely a ≥ / ≤ that lost its bar than what the
    # form prints.
    odd_sign: str = "(?!)"


class Confusable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    chars: str = ""
    pattern: str = "(?!)"

    def found(self, text: str) -> bool:
        return any(c in text for c in self.chars) or re.search(self.pattern, text) is not None


class ValueKinds(BaseModel):
    """Value keys by kind of text (a text value of no listed kind is a name)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: list[str] = Field(default_factory=list)
    prose: list[str] = Field(default_factory=list)


class CalibrationConfig(BaseModel):
    """config/calibration.yaml: the form knowledge the evidence features are made of."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    repeats: list[tuple[str, str]] = Field(default_factory=list)
    # The checks that are equations: one that holds confirms the numbers in it.
    equations: list[str] = Field(default_factory=list)
    kinds: ValueKinds = ValueKinds()
    plausibility: Plausibility = Plausibility()
    confusable: Confusable = Confusable()
    second_opinion: SecondOpinionConfig = SecondOpinionConfig()
    # A text-layer value read with less than a clean layer's confidence came through the
    # text path's repairs (a damaged layer, pipeline/textform/text_layer.py): it is
    # calibrated as the text reader's values are.
    clean_text_layer: float = 0.99
    # The review threshold for one reader's values, where it differs from the settings'
    # (`Settings.review_threshold`): each reader's model is fitted apart, so each has its
    # own point where flagging fewer values starts to let misreads through.
    review_thresholds: dict[str, float] = Field(default_factory=dict)

    def reader_threshold(self, reader: str, default: float) -> float:
        """The threshold below which a reader's calibrated values are flagged."""
        return self.review_thresholds.get(reader, default)

    def review_threshold(self, record: Record, default: float) -> float:
        return self.reader_threshold(reader_of(record), default)


class LogisticModel(BaseModel):
    """p = 1 / (1 + exp(-(intercept + Σ coef[f] · x[f])))."""

    model_config = ConfigDict(frozen=True)

    intercept: float
    coef: dict[str, float] = Field(default_factory=dict)
    values: int = 0  # how many values it was fitted on
    errors: int = 0  # how many of them were wrong

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(w * features.get(name, 0.0) for name, w in self.coef.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class CalibrationModel(BaseModel):
    """config/calibration-model.json, written by `python -m bench.calibrate`."""

    model_config = ConfigDict(frozen=True)

    version: str
    source: dict[str, object] = Field(default_factory=dict)
    readers: dict[str, LogisticModel] = Field(default_factory=dict)


@dataclass(frozen=True)
class Calibration:
    config: CalibrationConfig
    model: CalibrationModel | None

    @property
    def version(self) -> str:
        return self.model.version if self.model else "none (confidences as read)"


def load_calibration_config(config_dir: Path | None = None) -> CalibrationConfig:
    """The shipped calibration.yaml with ``config_dir``'s laid over it (without the fitted
    model: what the checks need, the equations)."""
    return load_validated(CONFIG_FILE, config_dir, CalibrationConfig.model_validate)


def load_calibration(config_dir: Path | None = None) -> Calibration:
    """The shipped calibration.yaml with ``config_dir``'s laid over it, and the fitted model
    (``config_dir``'s if it has one, else the shipped one; pipeline/config_files.py)."""
    config = load_calibration_config(config_dir)
    model_text, where = calibration_model_text(config_dir)
    try:
        model = CalibrationModel.model_validate_json(model_text) if model_text is not None else None
    except ValidationError as exc:
        raise ConfigError(f"{where}: not a calibration model ({exc.errors()[0]['msg']} at key "
                          f"{'.'.join(map(str, exc.errors()[0]['loc']))})") from None
    return Calibration(config, model)


def reader_of(record: Record) -> str:
    engine = record.source.engine or ""
    if engine in ("text_layer", "text"):
        return engine
    return "ocr"


def value_key(path: str) -> str:
    """`fields.budget_planned` → budget_planned; `indicators[3].score` → score."""
    found = INDEXED.match(path)
    if found:
        return found.group(1)
    return path.rsplit(".", 1)[-1]


def is_plausible(key: str, value: object, rules: Plausibility) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = rules.ranges.get(key, (-math.inf, math.inf))
        return low <= float(value) <= high
    if isinstance(value, str) and key in rules.measure_keys and re.search(r"\d", value):
        percents = [float(p) for p in re.findall(r"(\d+(?:\.\d+)?)%", value)]
        return (re.fullmatch(rules.measure_pattern, value.replace(" ", "")) is not None
                and all(p <= rules.max_percent for p in percents))
    return True


def is_unsigned(key: str, value: object, rules: Plausibility) -> bool:
    """A measure that usually has a sign starts with a digit, and is not one of the shapes
    printed without one."""
    return (isinstance(value, str) and key in rules.signed_keys and re.match(r"\d", value) is not None
            and re.fullmatch(rules.unsigned_shapes, value.replace(" ", "")) is None)


def logit(p: float) -> float:
    p = min(READING_CLIP[1], max(READING_CLIP[0], p))
    return math.log(p / (1 - p))


def check_membership(record: Record, equations: list[str]) -> tuple[set[str], set[str]]:
    """(paths an equation that holds confirms, paths of a failed check): a bound that holds
    (score ≤ weight) confirms nothing, as most misreads pass it too."""
    passed, failed = set(), set()
    for check in record.checks:
        if not check.ok:
            failed.update(check.fields)
        elif check.rule in equations:
            passed.update(check.fields)
    return passed, failed


def repeat_agreement(record: Record, repeats: list[tuple[str, str]]) -> dict[str, bool]:
    """fields.x → whether its printed copy agrees (only for pairs both read)."""
    out: dict[str, bool] = {}
    for a, b in repeats:
        va, vb = record.fields.get(a), record.fields.get(b)
        if va is None or vb is None or va.value is None or vb.value is None:
            continue
        same = va.value == vb.value if not isinstance(va.value, (int, float)) else (
            isinstance(vb.value, (int, float)) and abs(float(va.value) - float(vb.value)) <= 0.005)
        out[f"fields.{a}"] = out[f"fields.{b}"] = same
    return out


@dataclass
class Evidence:
    path: str
    value: FieldValue
    reader: str
    features: dict[str, float]


def record_evidence(record: Record, config: CalibrationConfig) -> list[Evidence]:
    """The evidence of every read value (missing ones have none), confidences as read."""
    passed, failed = check_membership(record, config.equations)
    repeats = repeat_agreement(record, config.repeats)
    reader = reader_of(record)
    out = []
    for path, fv in record.iter_values():
        if fv.value is None or "inferred" in fv.flags:
            continue
        value = fv.value
        key = value_key(path)
        reading = logit(fv.confidence)
        number = isinstance(value, (int, float))
        # The sums confirm the numbers they add; a text in a check that passed (the
        # narrative in narrative_unit_matches_form) is confirmed in its unit only.
        confirmed = path in passed and number
        text = isinstance(value, str)
        measure = text and key in config.kinds.measure
        prose = text and key in config.kinds.prose
        features = {
            "reading": reading,
            "fuzzy_label": float("fuzzy_label" in fv.flags),
            "check_passed": float(confirmed),
            "check_failed": float(path in failed),
            "number": float(number),
            "implausible": float(not is_plausible(key, value, config.plausibility)),
            "repeat_agrees": float(repeats.get(path) is True),
            "repeat_disagrees": float(repeats.get(path) is False),
            "long_text": float(isinstance(value, str) and len(value) > LONG_TEXT),
            "tesseract": float(record.source.engine == "tesseract"),
            "ambiguous": float("ambiguous" in fv.flags),
            "unsigned_measure": float(is_unsigned(key, value, config.plausibility)),
            "confusable": float(isinstance(value, str) and config.confusable.found(value)),
            "measure": float(measure),
            "prose": float(prose),
            "reading_confirmed": reading * confirmed,
            "reading_name": reading * (text and not measure and not prose),
            "reading_measure": reading * measure,
            "reading_prose": reading * prose,
            "marks": math.log1p(len(MARKS.findall(value))) if prose else 0.0,
            "odd_sign": float(measure and re.match(config.plausibility.odd_sign, str(value)) is not None),
        }
        damaged = reader == "text_layer" and fv.confidence < config.clean_text_layer
        out.append(Evidence(path, fv, "text" if damaged else reader, features))
    return out


def calibrate(record: Record, calibration: Calibration) -> None:
    """Every read value's confidence becomes the model's probability that it is right
    (nothing changes without a model, or for a reader the model does not know)."""
    model = calibration.model
    if model is None:
        return
    for ev in record_evidence(record, calibration.config):
        reader = model.readers.get(ev.reader)
        if reader is not None:
            ev.value.confidence = round(reader.probability(ev.features), 4)


def probabilities(record: Record, calibration: Calibration, ignore: tuple[str, ...] = ()
                  ) -> dict[str, float]:
    """path → calibrated probability, with the ``ignore``d features left out (set to 0);
    the confidence as read without a model. The record is not changed."""
    model = calibration.model
    out: dict[str, float] = {}
    for ev in record_evidence(record, calibration.config):
        reader = model.readers.get(ev.reader) if model else None
        if reader is None:
            out[ev.path] = ev.value.confidence
            continue
        features = {k: (0.0 if k in ignore else v) for k, v in ev.features.items()}
        out[ev.path] = reader.probability(features)
    return out
