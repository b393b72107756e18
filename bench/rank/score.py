#!/usr/bin/env python3
"""score.py — pairwise precision/recall and the hard-negative merge rate of a story clustering.

usage: score.py LABELS PRED [--name NAME] [--exclude KINDS] [--min-precision P]
                [--min-recall R] [--max-hardneg H] [--json]

LABELS is labels.tsv from make_eval.py; PRED has `id<TAB>story` lines (the output of
`chapar stories`, or of baseline_tfidf.py). Pairs are unordered pairs of articles: precision is
the share of predicted same-story pairs that are truly the same story, recall the share of true
same-story pairs predicted. Hard-negative pairs are pairs of articles of two different stories
that are easy to merge by mistake: stories of the same day sharing a category or a tag, a story
and its follow-up, a round-up and each story it quotes, and two stories quoted by one round-up.
--exclude drops the articles whose transforms include any of KINDS (comma-separated, e.g.
zwnj,letters) before scoring. With --min-*/--max-* the exit status is 1 when a bar is missed.
Python 3 standard library only.
"""
import argparse
import collections
import json
import sys


def pairs(n):
    return n * (n - 1) // 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("labels")
    ap.add_argument("pred")
    ap.add_argument("--name", default="run")
    ap.add_argument("--exclude", default="")
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-recall", type=float)
    ap.add_argument("--max-hardneg", type=float)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    exclude = {k for k in args.exclude.split(",") if k}

    rows = []
    with open(args.labels, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(head, line.rstrip("\n").split("\t"))))
    pred = {}
    with open(args.pred, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                pred[parts[0]] = parts[1]
    missing = [r["id"] for r in rows if r["id"] not in pred]
    if missing:
        sys.exit("score.py: %d labelled articles have no prediction (first: %s)" % (len(missing), missing[0]))
    rows = [r for r in rows if not (set(r["kinds"].split("+")) & exclude)]

    true_c = collections.Counter(r["story"] for r in rows)
    pred_c = collections.Counter(pred[r["id"]] for r in rows)
    both = collections.Counter((r["story"], pred[r["id"]]) for r in rows)
    tp = sum(pairs(n) for n in both.values())
    pp = sum(pairs(n) for n in pred_c.values())
    tpairs = sum(pairs(n) for n in true_c.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tpairs if tpairs else 1.0

    # hard-negative story pairs
    by_story = collections.defaultdict(collections.Counter)  # story -> predicted story -> count
    meta = {}
    for r in rows:
        by_story[r["story"]][pred[r["id"]]] += 1
        if r["role"] in ("base", "followup", "roundup"):
            meta[r["story"]] = r
    hard = set()
    day_groups = collections.defaultdict(list)
    for s, r in meta.items():
        if r["role"] == "base":
            keys = {"cat:" + r["cat"]} | {"tag:" + t for t in r["tags"].split("|") if t}
            for k in keys:
                day_groups[(r["day"], k)].append(s)
        elif r["refs"] != "-":
            refs = [x for x in r["refs"].split(",") if x in by_story]
            for x in refs:
                hard.add(tuple(sorted((s, x))))
            if r["role"] == "roundup":
                for i, x in enumerate(refs):
                    for y in refs[i + 1:]:
                        hard.add(tuple(sorted((x, y))))
    for group in day_groups.values():
        for i, x in enumerate(group):
            for y in group[i + 1:]:
                hard.add(tuple(sorted((x, y))))
    hn_total = hn_merged = 0
    for x, y in hard:
        if x == y:
            continue
        cx, cy = by_story[x], by_story[y]
        hn_total += sum(cx.values()) * sum(cy.values())
        hn_merged += sum(n * cy.get(p, 0) for p, n in cx.items())
    hn_rate = hn_merged / hn_total if hn_total else 0.0

    res = dict(name=args.name, articles=len(rows), stories=len(true_c), predicted=len(pred_c),
               true_pairs=tpairs, precision=round(precision, 4), recall=round(recall, 4),
               hardneg_pairs=hn_total, hardneg_merged=hn_merged, hardneg_rate=round(hn_rate, 5))
    if args.json:
        print(json.dumps(res))
    else:
        print("%-22s articles %5d  stories %5d/%5d  precision %.4f  recall %.4f  hard-neg merged %d/%d = %.3f%%"
              % (args.name, len(rows), len(pred_c), len(true_c), precision, recall, hn_merged, hn_total,
                 100 * hn_rate))
    ok = True
    if args.min_precision is not None and precision < args.min_precision:
        print("FAIL %s: precision %.4f < %.4f" % (args.name, precision, args.min_precision)); ok = False
    if args.min_recall is not None and recall < args.min_recall:
        print("FAIL %s: recall %.4f < %.4f" % (args.name, recall, args.min_recall)); ok = False
    if args.max_hardneg is not None and hn_rate >= args.max_hardneg:
        print("FAIL %s: hard-negative merge rate %.5f >= %.5f" % (args.name, hn_rate, args.max_hardneg)); ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
