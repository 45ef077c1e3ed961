#!/usr/bin/env bash
# Installs the Debian packages the pipeline needs, only those missing.
# Tesseract with Chinese data is one of our two OCR engines; the CJK fonts are used by the
# fixture generator (every CJK face Debian ships that it can draw with: Song/Ming, Hei and
# Kai faces, Noto CJK in regular and bold; fixtures/generator/fonts.yaml); poppler-utils gives the corpus the
# text of pdftotext, one of the extractors the text path must read. Idempotent: a no-op when all present.
set -euo pipefail

packages=(tesseract-ocr tesseract-ocr-chi-sim poppler-utils
          fonts-arphic-uming fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-gbsn00lp
          fonts-arphic-gkai00mp fonts-arphic-ukai fonts-lxgw-wenkai fonts-noto-cjk)
[ "$#" -gt 0 ] && packages+=("$@")

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "installing system packages: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
