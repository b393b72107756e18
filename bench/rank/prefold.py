#!/usr/bin/env python3
"""prefold.py — ESTIMATE ONLY: a crude stand-in for src/text's index folding, applied to a JSON
lines file before clustering, to estimate chapar's figures once text_fold is real (the interim
text_fold passes text through). It deletes ZWNJ and tatweel, maps Arabic ي/ك/ى/ة to Persian
forms and Persian/Arabic-Indic digits to ASCII. chapar itself never uses this.

usage: prefold.py IN.jsonl > OUT.jsonl
"""
import json
import sys

ZWNJ, TATWEEL = "\u200c", "\u0640"
TABLE = {ord(ZWNJ): None, ord(TATWEEL): None, 0x064A: 0x06CC, 0x0649: 0x06CC, 0x0643: 0x06A9,
         0x0629: 0x0647}
TABLE.update({0x06F0 + i: 0x30 + i for i in range(10)})
TABLE.update({0x0660 + i: 0x30 + i for i in range(10)})

for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    a = json.loads(line)
    for k in ("title", "lead", "body"):
        if isinstance(a.get(k), str):
            a[k] = a[k].translate(TABLE)
    sys.stdout.write(json.dumps(a, ensure_ascii=False) + "\n")
