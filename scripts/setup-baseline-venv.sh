#!/usr/bin/env bash
# Creates .venv-baseline at the repo root: a separate virtualenv for the img2table + Tesseract
# baseline that `make bench` runs next to our pipeline (bench/baseline_img2table.py).
#
# Why a separate venv: img2table depends on an OpenCV flavour of its own (contrib) that would
# clash with the opencv-python-headless of our main .venv, since both install the `cv2` module.
#
# Why `--no-deps` with every package pinned: img2table declares `opencv-contrib-python`, the GUI
# build, whose cv2 needs libGL.so.1 / libglib-2.0 from apt, absent on a fresh Debian. It needs
# the contrib module (cv2.ximgproc) but no GUI, so we install `opencv-contrib-python-headless`
# in its place; pinning the whole closure also keeps the baseline's numbers reproducible.
# pytesseract is only used to report the Tesseract version (img2table 2.x calls the
# `tesseract` binary itself).
#
# Idempotent: if the venv's stamp file matches the pins below it exits at once, without network.
# Needs: python3 (with venv/ensurepip; installed via apt if missing) and the apt packages
# tesseract-ocr tesseract-ocr-chi-sim (scripts/install-system-deps.sh) at run time.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/.venv-baseline"
stamp="$venv/.baseline-stamp"
python_bin="${PYTHON:-python3}"

# Exact versions verified together with Tesseract 5.3 on CPython 3.11.2 (Debian 12's python3)
# and 3.11.7: the full closure that pip resolves for img2table + pytesseract there.
pins=(
  img2table==2.0.0
  pytesseract==0.3.13
  opencv-contrib-python-headless==5.0.0.93
  numpy==2.4.6
  pypdfium2==5.15.2
  beautifulsoup4==4.15.0
  soupsieve==2.10  # 3.x needs Python >= 3.11.5; Debian 12 ships 3.11.2
  typing_extensions==4.16.0
  xlsxwriter==3.3.1
  packaging==26.4
  pillow==13.0.0
)

# The stamp records the interpreter too: a venv built by another python must be rebuilt.
py_version="$("$python_bin" -c 'import sys; print(".".join(map(str, sys.version_info[:3])))')"
want_stamp="python=$py_version ${pins[*]}"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  exit 0
fi

# Debian ships ensurepip in a separate package; without it `python3 -m venv` fails half-way.
if ! "$python_bin" -c 'import ensurepip' 2>/dev/null; then
  echo "python3 lacks ensurepip: installing python3-venv" >&2
  bash "$repo_root/scripts/install-system-deps.sh" python3-venv
fi

echo "creating $venv (${pins[*]})" >&2
# --clear: a half-built or outdated venv is rebuilt from scratch rather than patched.
"$python_bin" -m venv --clear "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "${pins[@]}"

# Smoke test before stamping, so a broken install is retried on the next run.
"$venv/bin/python" -c \
  'import cv2, img2table, pytesseract, pypdfium2, bs4; cv2.ximgproc.niBlackThreshold'

printf '%s\n' "$want_stamp" > "$stamp.tmp"
mv "$stamp.tmp" "$stamp"
echo "baseline venv ready: $venv" >&2
