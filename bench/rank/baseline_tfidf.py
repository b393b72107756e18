#!/usr/bin/env python3
"""baseline_tfidf.py — the plain TF-IDF cosine baseline for story clustering.

Reads the same JSON lines as `chapar stories --jsonl` (in publication order) and prints
`id<TAB>story`. Words are whitespace-separated tokens of title, lead and body, lowercased, no
folding; weights are tf * idf (idf over the whole stream), vectors L2-normalised. Each article
joins the story of its most similar article of the last --window seconds when the cosine is at
least --threshold, else starts a story. Python 3 standard library only.

usage: baseline_tfidf.py FILE [--threshold T] [--window SECONDS]
"""
import argparse
import collections
import json
import math


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--window", type=int, default=3 * 86400)
    args = ap.parse_args()
    arts = [json.loads(l) for l in open(args.file, encoding="utf-8") if l.strip()]
    toks = []
    df = collections.Counter()
    for a in arts:
        words = " ".join(a.get(k) or "" for k in ("title", "lead", "body")).lower().split()
        tf = collections.Counter(words)
        toks.append(tf)
        df.update(tf.keys())
    n = len(arts)
    vecs = []
    for tf in toks:
        v = {w: c * math.log(n / df[w]) for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items() if x > 0})
    postings = collections.defaultdict(list)  # word -> [(article index, weight)]
    story = []
    head = 0
    times = [a.get("published", 0) for a in arts]
    for i, a in enumerate(arts):
        while head < i and times[head] < times[i] - args.window:
            head += 1
        scores = collections.defaultdict(float)
        for w, x in vecs[i].items():
            for j, y in postings.get(w, ()):
                if j >= head:
                    scores[j] += x * y
        best = max(scores.items(), key=lambda kv: kv[1], default=(None, 0.0))
        story.append(story[best[0]] if best[0] is not None and best[1] >= args.threshold else a["id"])
        for w, x in vecs[i].items():
            postings[w].append((i, x))
        print("%s\t%s" % (a["id"], story[i]))


if __name__ == "__main__":
    main()
