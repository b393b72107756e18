#!/usr/bin/env python3
"""make_eval.py — build chapar's labelled story-clustering set from ../shared/data/fa-news-dev.

Every base article (Fars, Varzesh3) is one story, published on one of DAYS days. Other outlets
republish some of them the way Persian aggregators do: with the seed's boilerplate
(`وبگاه X مشاهده در مرجع`, `منبع: فارس`, `بیشتر بخوانید` and headlines of other stories),
without ZWNJ, with Arabic/Persian letters and digits swapped, with reworded titles, with
paragraphs cut or reordered, with no body at all (title and lead only), or as the same URL with
tracking parameters. Hard negatives come with it: articles of the same category or tag on the
same day, follow-ups on later days (new text from an article kept aside, plus one background
paragraph and title words of the story they follow), and daily round-ups that quote the title
and lead of several stories of the day.

Writes OUT/eval.jsonl (articles in publication order, the input of `chapar stories --jsonl`)
and OUT/labels.tsv (id, story, role, day, category, tags, transforms, refs) for score.py.
Deterministic for a given --seed. Python 3 standard library only.

usage: make_eval.py [--data DIR] [--out DIR] [--seed N] [--bases N] [--days N] [--max-body CHARS]
"""
import argparse
import json
import os
import random

ZWNJ = "\u200c"
# Confusable pairs (Arabic form, Persian form), named rather than written invisibly.
ARABIC_YEH, PERSIAN_YEH = "\u064a", "\u06cc"
ARABIC_KAF, PERSIAN_KAF = "\u0643", "\u06a9"
PERSIAN_DIGITS = "".join(chr(0x06F0 + i) for i in range(10))

EPOCH = 1704067200  # 2024-01-01T00:00:00Z
DAY = 86400

OUTLETS = [
    ("عرشه آنلاین", "arsheonline.ir"), ("تابناک", "tabnak.ir"), ("خبرآنلاین", "khabaronline.ir"),
    ("عصر ایران", "asriran.com"), ("همشهری آنلاین", "hamshahrionline.ir"),
    ("باشگاه خبرنگاران", "yjc.ir"), ("انتخاب", "entekhab.ir"), ("روزنو", "roozno.com"),
    ("نامه نیوز", "namehnews.com"), ("پارسینه", "parsine.com"),
]
ORIGINS = {"fars": ("فارس", "farsnews.ir"), "varzesh3": ("ورزش سه", "varzesh3.com")}

TITLE_PREFIXES = ["فوری:", "ویدیو |", "گزارش |", "خبر مهم:", "جزئیات جدید:"]
SYNONYMS = {
    "گفت": "اعلام کرد", "اعلام کرد": "گفت", "افزایش": "رشد", "کاهش": "افت", "شد": "گردید",
    "برگزار": "انجام", "دیدار": "ملاقات", "رئیس": "مدیر", "تیم": "باشگاه", "جدید": "تازه",
    "مهم": "کلیدی", "آغاز": "شروع", "پایان": "اتمام", "خبر": "گزارش", "سفر": "عزیمت",
}
ROUNDUP_TITLES = ["مهم‌ترین اخبار امروز", "خلاصه اخبار روز", "مروری بر اخبار مهم امروز"]
FOLLOWUP_PREFIXES = ["پیگیری:", "ادامه ماجرای", "واکنش‌ها به", "آخرین وضعیت"]


def load(data):
    """Base articles from the shared data set: dicts with source, title, lead, paragraphs, cat, tags."""
    out = []
    for i in (1, 2, 3):
        for a in json.load(open(os.path.join(data, "fars-news-%d.json" % i), encoding="utf-8")):
            out.append(dict(origin="fars", title=a["title"].strip(), lead=a["abstract"].strip(),
                            paragraphs=[p.strip() for p in a["paragraphs"] if p.strip()],
                            cat=a.get("cat") or "-", tags=a.get("tags") or [], url=a["link"]))
    for a in json.load(open(os.path.join(data, "varzesh3-1.json"), encoding="utf-8")):
        out.append(dict(origin="varzesh3", title=a["title"].strip(), lead=a["abstract"].strip(),
                        paragraphs=[p.strip() for p in a["paragraphs"] if p.strip()],
                        cat="sports", tags=a.get("tags") or [], url=a["link"]))
    seen, bases = set(), []
    for a in out:
        if a["title"] in seen or not a["lead"] or sum(len(p) for p in a["paragraphs"]) < 300:
            continue
        seen.add(a["title"])
        bases.append(a)
    return bases


def strip_zwnj(s, rnd):
    """ZWNJ deleted (most copy-paste paths) or turned into a space."""
    sub = "" if rnd.random() < 0.7 else " "
    return s.replace(ZWNJ, sub)


def swap_letters(s):
    """Arabic ي/ك to Persian and Persian to Arabic (whichever the text has more of), Latin digits
    to Persian digits."""
    if s.count(ARABIC_YEH) + s.count(ARABIC_KAF) > s.count(PERSIAN_YEH) + s.count(PERSIAN_KAF):
        s = s.replace(ARABIC_YEH, PERSIAN_YEH).replace(ARABIC_KAF, PERSIAN_KAF)
    else:
        s = s.replace(PERSIAN_YEH, ARABIC_YEH).replace(PERSIAN_KAF, ARABIC_KAF)
    return "".join(PERSIAN_DIGITS[ord(c) - 48] if "0" <= c <= "9" else c for c in s)


def reword_title(t, rnd):
    """A headline as another desk rewrites it: synonyms, dropped or moved words, a prefix."""
    words = t.split()
    for i, w in enumerate(words):
        if w in SYNONYMS and rnd.random() < 0.7:
            words[i] = SYNONYMS[w]
    if len(words) > 5 and rnd.random() < 0.6:
        del words[rnd.randrange(len(words))]
    if len(words) > 4 and rnd.random() < 0.5:
        k = rnd.randrange(1, len(words) - 1)
        words = words[k:] + words[:k]
    if rnd.random() < 0.4:
        words.insert(0, rnd.choice(TITLE_PREFIXES))
    return " ".join(words)


def make_copy(base, story, outlet, rnd, other_titles):
    """One republished copy of base by outlet; returns (article fields, transforms)."""
    title, lead, paras = base["title"], base["lead"], list(base["paragraphs"])
    kinds = set()
    r = rnd.random()
    if r < 0.12:
        kinds.add("nobody")
    elif r < 0.17:
        kinds.add("urldup")
    for k, p in (("agg", 0.45), ("zwnj", 0.35), ("letters", 0.3), ("title", 0.45), ("cut", 0.3),
                 ("reorder", 0.25)):
        if rnd.random() < p:
            kinds.add(k)
    if "urldup" in kinds:
        kinds = {"urldup"}
    if "nobody" in kinds:
        kinds -= {"cut", "reorder", "agg"}
    origin_name = ORIGINS[base["origin"]][0]
    credit = None
    if "title" in kinds:
        title = reword_title(title, rnd)
    if "cut" in kinds and len(paras) > 2:
        keep = max(1, int(len(paras) * rnd.uniform(0.45, 0.8)))
        if rnd.random() < 0.5:
            paras = paras[:keep]
        else:
            drop = set(rnd.sample(range(1, len(paras)), len(paras) - keep))
            paras = [p for i, p in enumerate(paras) if i not in drop]
    if "reorder" in kinds and len(paras) > 2:
        head, rest = paras[:1], paras[1:]
        rnd.shuffle(rest)
        paras = rest + head if rnd.random() < 0.3 else head + rest
    if "nobody" in kinds:
        paras = []
    if "agg" in kinds:
        credit = origin_name
        more = rnd.sample(other_titles, min(len(other_titles), rnd.randint(1, 3)))
        paras = ["وبگاه %s مشاهده در مرجع" % outlet[0], title, lead] + paras + [
            "منبع: %s هم اکنون دیگران می خوانند -->" % origin_name, "بیشتر بخوانید"] + more
    elif rnd.random() < 0.3:
        credit = origin_name
    body = "\n\n".join(paras)
    if "zwnj" in kinds:
        title, lead, body = (strip_zwnj(x, rnd) for x in (title, lead, body))
    if "letters" in kinds:
        title, lead, body = (swap_letters(x) for x in (title, lead, body))
    if "urldup" in kinds:
        url = base["url"] + rnd.choice(["?utm_source=telegram", "?utm_medium=social&fbclid=x1",
                                        "#comments", "/amp"])
        url = url.replace("https://www.", "http://") if rnd.random() < 0.5 else url
        src = ORIGINS[base["origin"]][0]
    else:
        url = "https://www.%s/news/%d" % (outlet[1], rnd.randrange(10**6, 10**7))
        src = outlet[0]
    return dict(source=src, source_credit=credit, url=url, title=title, lead=lead, body=body), kinds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default=os.path.join(here, "../../../shared/data/fa-news-dev"))
    ap.add_argument("--out", default="rank-eval")
    ap.add_argument("--seed", type=int, default=1403)
    ap.add_argument("--bases", type=int, default=0, help="use only this many base articles")
    ap.add_argument("--days", type=int, default=25)
    ap.add_argument("--max-body", type=int, default=0, help="skip base articles with longer bodies (chars)")
    args = ap.parse_args()
    rnd = random.Random(args.seed)

    bases = load(args.data)
    if args.max_body:
        bases = [b for b in bases if sum(len(p) for p in b["paragraphs"]) <= args.max_body]
    rnd.shuffle(bases)
    if args.bases:
        bases = bases[:args.bases]
    n_donors = max(2, len(bases) // 12)
    donors, bases = bases[:n_donors], bases[n_donors:]

    articles, labels = [], []  # labels: id -> dict

    def emit(fields, story, role, day, cat, tags, kinds, refs, t):
        aid = "a%05d" % len(articles)
        fields = dict(fields, id=aid, published=t)
        articles.append(fields)
        labels.append(dict(id=aid, story=story, role=role, day=day, cat=cat, tags="|".join(tags),
                           kinds="+".join(sorted(kinds)) or "-", refs=",".join(refs) or "-"))
        return aid

    stories_by_day = {}
    all_titles = [b["title"] for b in bases]
    for i, b in enumerate(bases):
        story = "s%04d" % i
        day = rnd.randrange(args.days)
        t0 = EPOCH + day * DAY + rnd.randrange(4 * 3600, 17 * 3600)
        name, _ = ORIGINS[b["origin"]]
        body = "\n\n".join(b["paragraphs"])
        emit(dict(source=name, source_credit=None, url=b["url"], title=b["title"], lead=b["lead"],
                  body=body), story, "base", day, b["cat"], b["tags"], set(), [], t0)
        stories_by_day.setdefault(day, []).append((story, b))
        n = rnd.choices([0, 1, 2, 3, 4, 6], weights=[40, 22, 16, 10, 7, 5])[0]
        outlets = rnd.sample(OUTLETS, n)
        for o in outlets:
            fields, kinds = make_copy(b, story, o, rnd, all_titles)
            t = t0 + int(rnd.expovariate(1 / 5400)) + 60
            emit(fields, story, "copy", day, b["cat"], b["tags"], kinds, [], t)

    # follow-ups: one to two days later, new text (a donor's) with the followed story's title
    # words and one background paragraph
    for k, d in enumerate(donors):
        day_stories = [s for s in stories_by_day.items()]
        day, lst = rnd.choice(day_stories)
        story, b = rnd.choice(lst)
        fday = day + rnd.choice([1, 1, 2])
        words = b["title"].split()
        title = "%s %s" % (rnd.choice(FOLLOWUP_PREFIXES), " ".join(words[: max(3, len(words) * 2 // 3)]))
        paras = list(d["paragraphs"])
        paras.insert(min(1, len(paras)), b["paragraphs"][0])
        t = EPOCH + fday * DAY + rnd.randrange(4 * 3600, 17 * 3600)
        emit(dict(source=rnd.choice(OUTLETS)[0], source_credit=None,
                  url="https://www.%s/news/f%d" % (rnd.choice(OUTLETS)[1], k), title=title,
                  lead=d["lead"], body="\n\n".join(paras)),
             "f%04d" % k, "followup", fday, b["cat"], b["tags"], set(), [story], t)

    # daily round-ups: titles and leads of several stories of the day, late in the evening
    r = 0
    for day, lst in sorted(stories_by_day.items()):
        for _ in range(rnd.choice([1, 1, 2])):
            if len(lst) < 4:
                continue
            quoted = rnd.sample(lst, min(len(lst), rnd.randint(4, 7)))
            paras = []
            for story, b in quoted:
                paras.append("%s؛ %s" % (b["title"], b["lead"]))
                if rnd.random() < 0.3:
                    paras.append(b["paragraphs"][0])
            o = rnd.choice(OUTLETS)
            t = EPOCH + day * DAY + 22 * 3600 + rnd.randrange(3000)
            emit(dict(source=o[0], source_credit=None, url="https://www.%s/roundup/%d" % (o[1], r),
                      title="%s %s" % (rnd.choice(ROUNDUP_TITLES), o[0]),
                      lead="در این گزارش مهم‌ترین اخبار امروز را مرور می‌کنیم.",
                      body="\n\n".join(paras)),
                 "r%04d" % r, "roundup", day, "-", [], set(), [s for s, _ in quoted], t)
            r += 1

    order = sorted(range(len(articles)), key=lambda i: (articles[i]["published"], i))
    os.makedirs(args.out, exist_ok=True)
    keys = ["id", "source", "source_credit", "url", "title", "lead", "body", "published"]
    with open(os.path.join(args.out, "eval.jsonl"), "w", encoding="utf-8") as f:
        for i in order:
            a = articles[i]
            f.write(json.dumps({k: a[k] for k in keys if a[k] is not None}, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "labels.tsv"), "w", encoding="utf-8") as f:
        f.write("id\tstory\trole\tday\tcat\ttags\tkinds\trefs\n")
        for i in order:
            lab = labels[i]
            f.write("\t".join(str(lab[k]) for k in ("id", "story", "role", "day", "cat", "tags",
                                                    "kinds", "refs")) + "\n")
    print("%d articles, %d stories, written to %s" % (len(articles), len({l["story"] for l in labels}),
                                                      args.out))


if __name__ == "__main__":
    main()
