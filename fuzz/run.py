"""`make fuzz`: each fuzz target for a bounded time, seeded from the committed fixtures.

    python -m fuzz.run [--seconds 60] [--target text --target pdf]

The working corpus (inputs that reached new code) grows in fuzz/work/<target>/corpus
across runs (git-ignored); crashes, hangs and out-of-memory inputs land in
fuzz/work/<target>/artifacts/. libFuzzer stops at the first crash (its fork mode does
not work under atheris), so the fuzzer is restarted until the time is used up. Every
crash kept becomes a committed regression input under tests/hostile/crashes/<target>/
(replayed by tests/hostile/test_fuzz_regressions.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "fixtures" / "corpus" / "docs"
SEEDS = ROOT / "fixtures" / "seeds"  # the seed report, committed
TOOL_TEXTS = ROOT / "fuzz" / "seeds" / "text"  # real extractors' text of the committed PDFs
CRASHES = ROOT / "tests" / "hostile" / "crashes"
WORK = ROOT / "fuzz" / "work"
MAX_RESTARTS = 20  # after crashes, within one target's time


@dataclass(frozen=True)
class Target:
    module: str
    seeds: tuple[Path, ...]
    max_len: int  # bytes: a little above the largest seed


def targets() -> dict[str, Target]:
    return {
        "text": Target("fuzz.fuzz_text",
                       (*sorted(DOCS.glob("*/text.txt")), *sorted(SEEDS.glob("*.txt")),
                        *sorted(TOOL_TEXTS.glob("*.txt")),
                        *sorted((CRASHES / "text").glob("*"))), 16_384),
        "pdf": Target("fuzz.fuzz_pdf",
                      (*sorted(DOCS.glob("*/digital.pdf")), *sorted((CRASHES / "pdf").glob("*"))),
                      160_000),
    }


def seed_corpus(name: str, target: Target) -> Path:
    corpus = WORK / name / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in target.seeds:
        dest = corpus / f"seed-{seed.parent.name}-{seed.name}"
        if not dest.exists():
            shutil.copyfile(seed, dest)
    return corpus


def run(name: str, target: Target, seconds: int) -> list[Path]:
    """Fuzz one target; the artifacts (crash-, timeout-, oom- files) it left."""
    corpus = seed_corpus(name, target)
    artifacts = WORK / name / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    before = set(artifacts.iterdir())
    deadline = time.monotonic() + seconds
    for _ in range(MAX_RESTARTS):
        left = int(deadline - time.monotonic())
        if left < 5:
            break
        cmd = [sys.executable, "-m", target.module, str(corpus),
               f"-max_total_time={left}", f"-max_len={target.max_len}",
               "-timeout=30",           # seconds for one input: longer is a hang
               "-rss_limit_mb=4096",
               f"-artifact_prefix={artifacts}/", "-print_final_stats=1"]
        print(f"fuzz {name}: {left} s, corpus {corpus}", flush=True)
        done = subprocess.run(cmd, cwd=ROOT, check=False)
        if done.returncode == 0:  # ran out its time without a crash
            break
    return sorted(set(artifacts.iterdir()) - before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="per target (default: 60)")
    parser.add_argument("--target", action="append", choices=sorted(targets()),
                        help="fuzz only this target (repeatable; default: all)")
    args = parser.parse_args(argv)
    found: dict[str, list[Path]] = {}
    for name in args.target or sorted(targets()):
        found[name] = run(name, targets()[name], args.seconds)
    for name, files in found.items():
        print(f"{name}: {len(files)} new artifact(s)" + "".join(f"\n  {f}" for f in files))
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
