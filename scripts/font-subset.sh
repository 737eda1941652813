#!/usr/bin/env bash
# Regenerates assets/fonts/NotoSansCJKsc-Regular-gb2312.otf, the font every
# report and chart embeds (assets/fonts/README.md): Noto Sans CJK SC Regular
# from Debian's fonts-noto-cjk, cut to the characters of GB 2312 (its 6,763
# hanzi and symbols) and of Latin, punctuation, arithmetic and full-width
# forms. Needs apt-get (to download the package, which is not installed) and
# Python's fonttools. Not run by CI: the output is committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb x)
python3 -m pip install --quiet fonttools
python3 - "$work/chars.txt" <<'PY'
import sys
chars = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
ranges = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2300),
          (0x3000, 0x3040), (0xFF00, 0xFFF0)]
for lo, hi in ranges:
    chars.update(chr(c) for c in range(lo, hi))
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(chars)))
PY
# face 2 of the collection is Simplified Chinese
python3 -m fontTools.subset "$work/x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc" \
    --font-number=2 --text-file="$work/chars.txt" --layout-features='' --no-hinting \
    --desubroutinize --name-IDs='*' \
    --output-file=assets/fonts/NotoSansCJKsc-Regular-gb2312.otf
ls -l assets/fonts/NotoSansCJKsc-Regular-gb2312.otf
