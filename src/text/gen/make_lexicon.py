#!/usr/bin/env python3
"""make_lexicon.py — derive chapar's compact ZWNJ lexicon (src/text/data/lexicon.tsv) from the
MIT word, verb and compound lists in ../shared/data/lexicons (Hazm, Shekar; see
src/text/data/README.md for their notices).

Run by hand when the inputs or the rules change:
    python3 src/text/gen/make_lexicon.py ../shared/data/lexicons src/text/data/lexicon.tsv

Output: one line per joined form (the word with every ZWNJ removed):
    word<TAB>flags<TAB>zwnj-offsets
flags (sum): 1 lexical word (a Hazm lemma, never split by the affix rules), 2 adjective,
4 noun, 32 * (0-7) frequency class of a lemma (digits of its Hazm count - 2), 8 verb form without prefix (present/past stem + personal ending: the rule
می/نمی + form), 2048 join even when spaced (always_join.txt), 1024 the word ends at least PRODUCTIVE compounds, 256 the word is the part before a ZWNJ of some compound, 16 the word takes a ZWNJ: zwnj-offsets lists the byte offsets in the
joined form where a ZWNJ goes, comma-separated.
Only derivations are stored: full ZWNJ forms from the lists are kept when their joined
spelling is not itself a more frequent lemma; plural/comparative/clitic forms are left to
the affix rules in src/text/zwnj.c, prefixed verb forms to the verb-form entries.
"""
import os
import sys

ZWNJ = "\u200c"
FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
PRES_END = ["", "م", "ی", "د", "یم", "ید", "ند"]
PRODUCTIVE = 20  # compounds a second part must end to count as productive
HUGE = 20000000  # a joined spelling this common in Shekar's corpus is a word (آنها, تنها)
PAST_END = ["م", "ی", "", "یم", "ید", "ند"]


def clean(w):
    w = w.strip().translate(FOLD)
    while ZWNJ + ZWNJ in w:
        w = w.replace(ZWNJ + ZWNJ, ZWNJ)
    return w.strip(ZWNJ)


def is_persian_word(w):
    return w and all("\u0621" <= c <= "\u06d3" or c == ZWNJ for c in w)


def main(src, out_path):
    lemma_freq, pos = {}, {}
    zwnj_forms = {}  # zwnj form -> weight

    for line in open(os.path.join(src, "hazm-words.dat"), encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 3:
            continue
        w = clean(parts[0])
        f = int(parts[1]) if parts[1].isdigit() else 0
        if not is_persian_word(w):
            continue
        if ZWNJ in w:
            zwnj_forms[w] = max(zwnj_forms.get(w, 0), f + 1)
        elif f > 0 and parts[2] != "0":
            lemma_freq[w] = max(lemma_freq.get(w, 0), f)
            pos.setdefault(w, set()).update(parts[2].split(","))

    shekar = {}
    for line in open(os.path.join(src, "shekar-vocab.csv"), encoding="utf-8"):
        w, _, c = line.rstrip("\n").rpartition(",")
        w = clean(w)
        if is_persian_word(w) and c.isdigit():
            shekar[w] = int(c)
            if ZWNJ in w:
                zwnj_forms[w] = max(zwnj_forms.get(w, 0), int(c) // 15 + 1)

    for line in open(os.path.join(src, "shekar-compound_words.csv"), encoding="utf-8"):
        w = clean(line)
        if "#" in w or not is_persian_word(w):
            continue
        zwnj_forms[w] = max(zwnj_forms.get(w, 0), 1)

    # verb stems: hazm "past#present", shekar "present,past,..."
    past, present = set(), set()
    for line in open(os.path.join(src, "hazm-verbs.dat"), encoding="utf-8"):
        a, _, b = line.strip().partition("#")
        past.add(clean(a)); present.add(clean(b))
    for line in open(os.path.join(src, "shekar-verbs.csv"), encoding="utf-8"):
        f = line.strip().split(",")
        if len(f) >= 2:
            present.add(clean(f[0])); past.add(clean(f[1]))
    verb_forms = set()
    for s in present:
        if not is_persian_word(s) or ZWNJ in s:
            continue
        for e in PRES_END:
            verb_forms.add(s + e)
            if s[-1] in "اوآ" and e:
                verb_forms.add(s + "ی" + e if not e.startswith("ی") else s + e)
    for s in past:
        if not is_persian_word(s) or ZWNJ in s:
            continue
        for e in PAST_END:
            verb_forms.add(s + e)
        verb_forms.add(s + "ه")  # past participle (رفته), for رفته‌اند and می‌رفته

    entries = {}  # joined -> [flags, offsets]

    def entry(w):
        return entries.setdefault(w, [0, None, 0])

    for w, f in lemma_freq.items():
        e = entry(w)
        e[0] |= 1 | 32 * min(7, max(0, len(str(f)) - 2))
        p = pos.get(w, ())
        if "AJ" in p:
            e[0] |= 2
        if "N" in p:
            e[0] |= 4
    for w, c in shekar.items():
        # very common joined spellings with no ZWNJ spelling listed (آنها, تنها) are words
        if ZWNJ not in w and c >= HUGE:
            entry(w)[0] |= 1
    for w in verb_forms:
        entry(w)[0] |= 8

    for z, weight in zwnj_forms.items():
        j = z.replace(ZWNJ, "")
        if len(j) < 2:
            continue
        # which spelling does the corpus prefer? Shekar counts both where it has both
        sj, sz = shekar.get(j, 0), shekar.get(z, 0)
        if (sj and sz and sz * 2 < sj) or (sj >= HUGE and not sz):
            entry(j)[0] |= 1  # written joined: پیگیری, راهپیمایی, آنها
            continue
        jf = lemma_freq.get(j, 0)
        if jf and jf >= weight:
            continue  # the joined spelling is the more common word (اینکه, ...)
        offs, k = [], 0
        for part in z.split(ZWNJ)[:-1]:
            k += len(part.encode("utf-8"))
            offs.append(k)
        e = entry(j)
        if e[1] is None or weight > e[2]:
            e[1], e[2] = offs, weight
            e[0] = ((e[0] | 16) & ~1 & ~(7 * 32)) | 32 * min(7, max(0, len(str(weight)) - 2))

    # second parts that end many compounds (گذاری, بندی, نامه, شناسی): productive, so a word
    # followed by one of them is joined even when both stand alone
    right_count = {}
    for j, (fl, offs, _) in entries.items():
        if offs:
            last = j.encode("utf-8")[offs[-1]:].decode("utf-8")
            right_count[last] = right_count.get(last, 0) + 1
    for part, c in right_count.items():
        if c >= PRODUCTIVE and len(part) >= 2:
            entry(part)[0] |= 1024

    # the parts before each ZWNJ of a compound: only these start a spaced compound (سه شنبه)
    for j, (fl, offs, _) in list(entries.items()):
        if not offs:
            continue
        b = j.encode("utf-8")
        prev = 0
        for o in offs:
            for part in (b[:o], b[prev:o]):
                p = part.decode("utf-8")
                if len(p) >= 2:
                    entry(p)[0] |= 256
            prev = o

    for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "always_join.txt"),
                     encoding="utf-8"):
        z = clean(line)
        if z and not z.startswith("#") and ZWNJ in z:
            j = z.replace(ZWNJ, "")
            offs, k = [], 0
            for part in z.split(ZWNJ)[:-1]:
                k += len(part.encode("utf-8"))
                offs.append(k)
            e = entry(j)
            e[0] = (e[0] | 16 | 2048) & ~1
            e[1] = offs
            entry(z.split(ZWNJ)[0])[0] |= 256

    for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "keep_joined.txt"),
                     encoding="utf-8"):
        w = clean(line)
        if w and not w.startswith("#"):
            e = entry(w)
            e[0] = (e[0] | 1) & ~16
            e[1] = None

    with open(out_path, "w", encoding="utf-8") as out:
        out.write("# generated by src/text/gen/make_lexicon.py from Hazm and Shekar word lists (MIT);"
                  " see README.md\n")
        out.write("# Hazm data: MIT License, Copyright (c) 2013 Alireza Nourian / Roshan.\n")
        out.write("# Shekar data: MIT License, Copyright (c) 2024 Ahmad Amirivojdan.\n")
        out.write("# Permission is hereby granted, free of charge, to any person obtaining a copy of this"
                  " software and associated documentation files, to deal in the Software without"
                  " restriction, subject to the above copyright notice and this permission notice being"
                  " included in all copies or substantial portions of the Software. THE SOFTWARE IS"
                  " PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.\n")
        for w in sorted(entries):
            fl, offs, _ = entries[w]
            if fl == 0:
                continue
            out.write("%s\t%d\t%s\n" % (w, fl, ",".join(map(str, offs)) if offs else ""))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
