#!/usr/bin/env python3
"""model.py DATA_DIR OUT — a word/bigram model of Persian news text for bench/gen/gen.c.

Reads the scraped articles of ../shared/data/fa-news-dev (Fars News and Varzesh3; see its
README for provenance) and writes counts, never whole texts: the vocabulary with each word's
frequency, and for each word the words that follow it. The generator walks these bigrams with
frequent jumps to a Zipf draw, so no source sentence is reproduced for long.

Words are normalised to standard Persian as a careful outlet would type them: Arabic ي/ك become
ی/ک, and the verb prefixes می/نمی and the plural suffixes ها/های are joined to their word with
a ZWNJ (the Fars text was typed with plain spaces). The generator then spoils some articles
again (Arabic letters, ZWNJ dropped) the way real feeds do.

Output (UTF-8, tab-separated, one record a line):
  W <word> <count>              vocabulary, ids are the order of the W lines (0, 1, …)
  B <id> <next id> <count>      bigram; id 0 is the sentence boundary "."
  T <id> <count>                how often a word appears in a title (a title vocabulary)
"""
import collections
import json
import os
import re
import sys

ARABIC_YEH, FARSI_YEH = "\u064a", "\u06cc"
ARABIC_KAF, KEHEH = "\u0643", "\u06a9"
ZWNJ = "\u200c"
PREFIXES = {"می", "نمی"}
SUFFIXES = {"ها", "های", "هایی", "ترین"}
PUNCT = re.compile(r'([.،؛:!؟?()«»"\[\]])')
SENTENCE_END = {".", "!", "؟", "?"}
KEEP = re.compile(r"^[\u0600-\u06ff\u200c0-9A-Za-z.،؛:!؟?()«»%/-]+$")


def words(text):
    """The normalised words and punctuation marks of text."""
    text = text.replace(ARABIC_YEH, FARSI_YEH).replace(ARABIC_KAF, KEHEH)
    raw = [w.strip(ZWNJ) for w in PUNCT.sub(r" \1 ", text).split() if KEEP.match(w)]
    raw = [w for w in raw if w]
    out = []
    for w in raw:
        if out and w in SUFFIXES and out[-1] not in PREFIXES and out[-1][-1:].isalpha():
            out[-1] += ZWNJ + w
        elif out and out[-1] in PREFIXES and w[:1].isalpha():
            out[-1] += ZWNJ + w
        else:
            out.append(w)
    return ["." if w in SENTENCE_END else w for w in out]


def main():
    data, out = sys.argv[1], sys.argv[2]
    articles = []
    for name in sorted(os.listdir(data)):
        if name.endswith(".json"):
            with open(os.path.join(data, name), encoding="utf-8") as f:
                articles += json.load(f)
    uni, bi, title = collections.Counter(), collections.Counter(), collections.Counter()
    for a in articles:
        for w in words(a.get("title") or ""):
            if w != ".":
                title[w] += 1
        for para in [a.get("abstract") or ""] + list(a.get("paragraphs") or []):
            prev = "."
            for w in words(para) + ["."]:
                uni[w] += 1
                bi[(prev, w)] += 1
                prev = w
    vocab = ["."] + [w for w, _ in uni.most_common() if w != "."]
    ids = {w: i for i, w in enumerate(vocab)}
    with open(out, "w", encoding="utf-8") as f:
        for w in vocab:
            f.write(f"W\t{w}\t{uni[w]}\n")
        for (a, b), n in sorted(bi.items(), key=lambda kv: (ids[kv[0][0]], -kv[1])):
            if a == "." and b == ".":
                continue
            f.write(f"B\t{ids[a]}\t{ids[b]}\t{n}\n")
        for w, n in title.most_common():
            if w in ids:
                f.write(f"T\t{ids[w]}\t{n}\n")
    print(f"model.py: {len(articles)} articles, {len(vocab)} words, {len(bi)} bigrams -> {out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
