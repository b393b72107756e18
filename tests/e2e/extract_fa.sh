#!/bin/sh
# extract_fa.sh — the Persian page set (tests/data/extract/fa, made by its gen.py): body F1 >= 0.97
# over the set, and on every page the title, source credit and publication time right (times
# written only as Persian text are checked tolerantly; see check.py).
set -eu
python3 "$SRC/tests/data/extract/fa/check.py" "$CHAPAR" --min-f1 0.97
