#!/usr/bin/env bash
# Install the project (editable) with the given extras into a virtualenv, with one OpenCV:
# opencv-python-headless, never the GUI build opencv-python.
#
#   bash scripts/install-python-deps.sh .venv/bin/python dev
#
# Why: rapidocr-onnxruntime requires opencv-python, the GUI build (needs libGL), which
# writes the same cv2 folder as our opencv-python-headless; with both installed, cv2 is
# whichever was installed last. pip cannot leave out a dependency of a dependency, so pip
# resolves everything without installing it (--dry-run --report), and what it chose, less
# the GUI builds, is installed as chosen (--no-deps: nothing resolved again). The only
# complaint left is `pip check` naming opencv-python as missing for rapidocr-onnxruntime,
# which imports cv2 and runs on the headless build (the tests read scans with it).
set -euo pipefail
PY=${1:?usage: install-python-deps.sh PYTHON [EXTRAS]}
EXTRAS=${2:-}
cd "$(dirname "$0")/.."
TARGET=".${EXTRAS:+[$EXTRAS]}"
CONSTRAINTS=.ci/constraints.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PY" -m pip install -q --dry-run --report "$work/report.json" -c "$CONSTRAINTS" -e "$TARGET"
# Everything pip chose but the project itself and the GUI OpenCV builds, as name==version.
"$PY" - "$work/report.json" > "$work/requirements.txt" <<'EOF'
import json
import sys

GUI_BUILDS = {"opencv-python", "opencv-contrib-python"}
report = json.load(open(sys.argv[1], encoding="utf-8"))
for item in report["install"]:
    meta = item["metadata"]
    name = meta["name"].lower().replace("_", "-")
    if name in GUI_BUILDS or "dir_info" in item.get("download_info", {}):
        continue
    print(f"{meta['name']}=={meta['version']}")
EOF
if [ -s "$work/requirements.txt" ]; then
  "$PY" -m pip install -q --no-deps -r "$work/requirements.txt"
fi
"$PY" -m pip install -q --no-deps -e "$TARGET"

# A virtualenv made before this script may hold the GUI build: remove it and put the
# headless build's files back (they shared the cv2 folder).
for gui in opencv-python opencv-contrib-python; do
  if "$PY" -m pip show -q "$gui" >/dev/null 2>&1; then
    "$PY" -m pip uninstall -q -y "$gui"
    "$PY" -m pip install -q -c "$CONSTRAINTS" --force-reinstall --no-deps opencv-python-headless
  fi
done
