#!/usr/bin/env python3
"""zwnj_news.py — a second, independent check of chapar's ZWNJ restoration on news text.

zwnj-dev (treebank sentences) is what the ZWNJ rules are tuned on; this check asks whether a rule
also holds on other text. It takes the sentences of the held-out fa-news-dev articles (every
HOLDOUT-th article of each file, the ones src/text/gen/make_lexicon.py leaves out of its news
counts) that their editors wrote with ZWNJs, treats them as gold, makes the three inputs the way
../shared/data/zwnj-dev/README.md describes (del: every ZWNJ deleted; space: every ZWNJ a plain
space; mixed: each ZWNJ kept / deleted / spaced, 1/3 each, fixed seed) and scores them with the
same scorer (../shared/tools/zwnj_score.py), plus the gold fed in (exact lines).

A sentence is taken only when it looks written by an editor who types ZWNJs: at least one ZWNJ
between two letters, and no affix written as a word (a lone می/نمی/ها/های/هایی/ترین/ام/اند...),
which would mean the writer puts spaces where ZWNJs go and the "gold" itself is wrong. The
news gold is still noisier than the treebanks (editors also join or space some compounds), so
read it as before/after deltas, not as an absolute level.

Usage (from the worktree root, after a build):
    python3 bench/text/zwnj_news.py [--bin ./build/chapar] [--dir /tmp/zwnj-news] [--all]
--all takes every article (also those the lexicon counted): not independent, for comparison.
"""
import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys

ZWNJ = "\u200c"
HOLDOUT = 4  # article i of a file is held out when i % HOLDOUT == HOLDOUT - 1 (make_lexicon.py)
LETTER = "[\u0621-\u064a\u0671-\u06d3\u06cc\u06a9]"
# affixes that a ZWNJ-typing editor never writes as a word of their own
LONE_AFFIX = {"می", "مي", "نمی", "نمي", "ها", "های", "هاي", "هایی", "هايي", "ترین", "ترين",
              "تر", "ام", "اند", "ای", "اي", "اش", "ایم", "اید", "ات"}
SENT_END = re.compile(r"(?<=[.!؟?])\s+|\n+")


def held_out(i):
    """Whether article i of a file is held out of the lexicon's news counts."""
    return i % HOLDOUT == HOLDOUT - 1


def clean_gold(s):
    """Space/ZWNJ runs cleaned as zwnj-dev's gold: ZWNJ beside a space or at an edge removed,
    repeated spaces and ZWNJs collapsed."""
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(ZWNJ + "+", ZWNJ, s)
    s = re.sub(" ?" + ZWNJ + " ?", lambda m: ZWNJ if m.group(0) == ZWNJ else " ", s)
    return s.strip(ZWNJ + " ")


def sentences(news_dir, take_all):
    """(subset, sentence) of the chosen articles whose ZWNJs look written by the editor."""
    out = []
    for path in sorted(glob.glob(os.path.join(news_dir, "*.json"))):
        subset = os.path.basename(path).split("-")[0]
        with open(path, encoding="utf-8") as f:
            articles = json.load(f)
        for i, a in enumerate(articles):
            if not take_all and not held_out(i):
                continue
            paras = a.get("paragraphs", [])
            texts = [a.get("title", ""), a.get("abstract", "")]
            texts += paras if isinstance(paras, list) else [paras]
            for t in texts:
                if not isinstance(t, str):
                    continue
                for s in SENT_END.split(t):
                    s = clean_gold(s)
                    words = s.split(" ")
                    if len(words) < 4 or len(words) > 60:
                        continue
                    if not re.search(LETTER + ZWNJ + LETTER, s):
                        continue
                    if any(w.strip("،.:؛!؟?«»()\"") in LONE_AFFIX for w in words):
                        continue
                    out.append((subset, s))
    seen, uniq = set(), []
    for sub, s in out:
        if s not in seen:
            seen.add(s)
            uniq.append((sub, s))
    return uniq


def make_inputs(gold, seed=20261129):
    """The del, space and mixed inputs of gold lines."""
    rnd = random.Random(seed)
    mixed = []
    for g in gold:
        mixed.append("".join(rnd.choice((ZWNJ, "", " ")) if c == ZWNJ else c for c in g))
    return ([g.replace(ZWNJ, "") for g in gold], [g.replace(ZWNJ, " ") for g in gold], mixed)


def write(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(root, "build", "chapar"))
    ap.add_argument("--dir", default="/tmp/zwnj-news")
    ap.add_argument("--news", default=os.path.join(root, "..", "shared", "data", "fa-news-dev"))
    ap.add_argument("--scorer", default=os.path.join(root, "..", "shared", "tools", "zwnj_score.py"))
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--by-subset", action="store_true")
    args = ap.parse_args()
    sents = sentences(args.news, args.all)
    gold = [s for _, s in sents]
    d, g = args.dir, os.path.join(args.dir, "gold-in")
    os.makedirs(g, exist_ok=True)
    dl, sp, mx = make_inputs(gold)
    write(os.path.join(d, "gold.txt"), gold)
    write(os.path.join(d, "input-del.txt"), dl)
    write(os.path.join(d, "input-space.txt"), sp)
    write(os.path.join(d, "input-mixed.txt"), mx)
    src = ["%d\t%s\t%d" % (i + 1, sub, i + 1) for i, (sub, _) in enumerate(sents)]
    write(os.path.join(d, "sources.tsv"), src)
    write(os.path.join(g, "gold.txt"), gold)
    write(os.path.join(g, "input-del.txt"), gold)
    write(os.path.join(g, "sources.tsv"), src)
    print("# %d sentences, %d ZWNJs (%s articles)" %
          (len(gold), sum(s.count(ZWNJ) for s in gold), "all" if args.all else "held-out"))
    extra = ["--by-subset"] if args.by_subset else []
    for data, inputs in ((d, "del,space,mixed"), (g, "del")):
        r = subprocess.run([sys.executable, args.scorer, "--data", data, "--inputs", inputs] +
                           extra + ["--", args.bin, "normalize"],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit(r.stderr)
        for line in r.stdout.splitlines():
            if line.split()[:1] and (line.split()[0] in ("del", "space", "mixed", "perdt") or
                                     line.startswith("  ")):
                print(("gold-in " if data == g else "") + line)


if __name__ == "__main__":
    main()
