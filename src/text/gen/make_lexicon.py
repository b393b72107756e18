#!/usr/bin/env python3
"""make_lexicon.py — derive chapar's compact ZWNJ lexicon (src/text/data/lexicon.tsv) from the
MIT word, verb and compound lists in ../shared/data/lexicons (Hazm, Shekar; see
src/text/data/README.md for their notices).

Run by hand when the inputs or the rules change:
    python3 src/text/gen/make_lexicon.py ../shared/data/lexicons src/text/data/lexicon.tsv \
        ../shared/data/fa-news-dev
The optional third argument is a directory of news articles (JSON arrays of {title, abstract,
paragraphs}); only counts of how they write each compound are taken from them (with a ZWNJ,
joined, or as two words), never their text.

Output: one line per joined form (the word with every ZWNJ removed):
    word<TAB>flags<TAB>zwnj-offsets<TAB>corpus frequency (bits of Shekar's count, 0 when absent)
flags (sum): 1 lexical word (a Hazm lemma, never split by the affix rules), 2 adjective,
4 noun, 32 * (0-7) frequency class of a lemma (digits of its Hazm count - 2), 8 verb form without prefix (present/past stem + personal ending: the rule
می/نمی + form), 2048 join even when spaced (always_join.txt), 1024 the word ends at least PRODUCTIVE compounds, 256 the word is the part before a ZWNJ of some compound, 16 the word takes a ZWNJ: zwnj-offsets lists the byte offsets in the
joined form where a ZWNJ goes, comma-separated; 4096 a compound of two standalone words that
the news counts never write as two words and write with a ZWNJ, or a common entry (class 3+)
they have not seen: joined even when spaced (هفته‌نامه, آتش‌بازی);
8192 a compound the news counts write apart far more often (به عنوان): never joined when
spaced; 512 a compound of two standalone words the news writes with a ZWNJ at least as often
as its ZWNJ-typing editors write it apart: joined when spaced in a line that writes affixes
apart (نیمه نهایی); 16384 a compound the news counts also write joined (خرمشهر): kept joined in a line
that writes ZWNJs elsewhere; 32768 an inflected form whose ZWNJ the news counts decide (نامه‌ای,
not نام‌های), kept joined in such a line like the affix rules' forms.
Only derivations are stored: full ZWNJ forms from the lists are kept when their joined
spelling is not itself a more frequent lemma, or when the news counts write the ZWNJ form
clearly more often (پیش‌بینی); plural/comparative/clitic forms are left to
the affix rules in src/text/zwnj.c, prefixed verb forms to the verb-form entries.
"""
import collections
import glob
import json
import os
import re
import sys

ZWNJ = "\u200c"
FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
PRES_END = ["", "م", "ی", "د", "یم", "ید", "ند"]
PRODUCTIVE = 20  # compounds a second part must end to count as productive
HUGE = 20000000  # a joined spelling this common in Shekar's corpus is a word (آنها, تنها)
PAST_END = ["م", "ی", "", "یم", "ید", "ند"]
SPACED_JOIN, SPACED_APART, JOINED_SEEN, AFFIXED = 4096, 8192, 16384, 32768
# 512: a compound of two standalone words that the news writes with a ZWNJ at least twice and
# at least as often as its ZWNJ-typing editors write it apart (spaced_meant): joined when spaced
# in a line that writes affixes as words (zwnj.c), like a common compound (ذوب‌آهن, نیمه‌نهایی)
SPACED_LOST = 512
# Whether flag 4096 is derived. A compound of two standalone words is joined when spaced only
# if the news corpus never writes it as two words and writes it with a ZWNJ, or has not seen
# it and the lexicon counts it common (class 3+). A looser rule (ZWNJ at least half as often
# as spaced) raised spaced-input F1 more but cost exact lines of correctly written text and
# joined correct spaced text (ریشه دار, بهمن ماه): bench/text/RESULTS-zwnj.md.
JOIN_SPACED = True
JOINED_WORDS = True
# Whether flag 512 is derived, and its thresholds (chosen on half A of zwnj-dev: 5 and 3 times
# gave less there and the same on half B and the news check; joining such compounds in every
# line, as 4096, cost news del precision and correct text: bench/text/RESULTS-zwnj.md)
MEANT_JOIN = True
# Whether compounds the lists lack are taken from the news (see main), and how often written
# (at least 3 times: 2 and 5 gave the same on half A of zwnj-dev, 5 less on half B)
NEWS_FORMS = True
NEWS_FORM_MIN = 3
PREFIX_PARTS = {"می", "نمی", "بی"}
AFFIX_PARTS = {"ها", "های", "هایی", "تر", "ترین", "ای", "ام", "ات", "اش", "مان", "تان", "شان",
               "اند", "ایم", "اید", "است", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",
               "ی", "یی", "هاست", "ترها", "تری"}
MEANT_MIN, MEANT_RATIO = 2, 1
NEWS_OVERRIDE = True
# Whether two-part inflected forms of the lists (X‌ها, X‌های, X‌تر, X‌ترین, Xه‌ای) are dropped
# in favour of zwnj.c's affix rules (see main).
DROP_INFLECTED = True
INFLECTIONS = {"ها", "های", "هایی", "تر", "ترین"}
CAUSATIVE_PRESENT = True  # derive present stems of past stems in اند (see main)
NON_JOINING = set("اأإآدذرزژو")  # letters after which a ZWNJ is invisible
# Whether a joined X+ها the news writes far more often than X‌ها is a word (see main).
JOINED_PLURAL_WORDS = True
# With the environment variable CHAPAR_NEWS_HOLDOUT=N, every N-th article of each news file
# (index % N == N - 1) is left out of the counts: a lexicon made so is the one to run
# bench/text/zwnj_news.py's independent check with, which reads those articles. The shipped
# lexicon counts every article (0: no holdout): the held-out quarter costs zwnj-dev about
# 0.001 F1 (bench/text/RESULTS-zwnj.md).
NEWS_HOLDOUT = int(os.environ.get("CHAPAR_NEWS_HOLDOUT", "0"))
# a sentence whose editor types ZWNJs: a ZWNJ between two letters, and no affix written as a
# word of its own (a lone می/ها/ترین/اند...: that editor puts spaces where ZWNJs go)
SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n+")
ZWNJ_WRITER = re.compile("[\u0621-\u06d3]\u200c[\u0621-\u06d3]")
LONE_AFFIX = {"می", "نمی", "ها", "های", "هایی", "ترین", "تر", "ام", "اند", "ای", "اش", "ایم",
              "اید", "ات"}
PUNCT = "،.:؛!؟?«»()\""
WORD_RUN = re.compile("[\u0621-\u06d3\u200c]+|[^\u0621-\u06d3\u200c]+")


class NewsCounts:
    """How a news corpus writes words: parts (the pieces between ZWNJs of a token, counted as
    tokens when whole), pairs of parts written with a ZWNJ between them, and pairs written as
    two words (the last part of a token, one space, the first part of the next)."""

    def __init__(self, news_dir):
        self.joined = collections.Counter()  # token without ZWNJ -> count
        self.zwnj = collections.Counter()    # (left part, right part) inside a token
        self.spaced = collections.Counter()  # (last part, first part) across one space
        self.with_zwnj = collections.Counter()  # token with ZWNJ, ZWNJs removed -> count
        self.zwnj_form = collections.Counter()  # token with ZWNJ, as written -> count
        # pairs written as two words by an editor who types ZWNJs (a sentence with a ZWNJ
        # between letters and no affix written as a word): spaces that are meant
        self.spaced_meant = collections.Counter()
        if not news_dir:
            return
        for path in sorted(glob.glob(os.path.join(news_dir, "*.json"))):
            with open(path, encoding="utf-8") as f:
                articles = json.load(f)
            for i, a in enumerate(articles):
                if NEWS_HOLDOUT and i % NEWS_HOLDOUT == NEWS_HOLDOUT - 1:
                    continue  # held out for bench/text/zwnj_news.py
                paras = a.get("paragraphs", [])
                texts = [a.get("title", ""), a.get("abstract", "")]
                texts += paras if isinstance(paras, list) else [paras]
                for t in texts:
                    if isinstance(t, str):
                        self.add_text(t.translate(FOLD))
                        for s in SENTENCE_END.split(t.translate(FOLD)):
                            if ZWNJ_WRITER.search(s) and not any(
                                    w.strip(PUNCT) in LONE_AFFIX for w in s.split()):
                                self.add_text(s, self.spaced_meant)

    def add_text(self, t, spaced=None):
        """Count the words of one text (only its spaced pairs, into spaced, when given)."""
        only_spaced = spaced is not None
        spaced = self.spaced if spaced is None else spaced
        runs = WORD_RUN.findall(t)
        prev = None
        for i, run in enumerate(runs):
            if "\u0621" <= run[0] <= "\u06d3" or run[0] == ZWNJ:
                parts = [p for p in run.split(ZWNJ) if p]
                if not parts:
                    prev = None
                    continue
                if only_spaced:
                    pass
                elif len(parts) == 1:
                    self.joined[parts[0]] += 1
                else:
                    self.with_zwnj["".join(parts)] += 1
                    self.zwnj_form[ZWNJ.join(parts)] += 1
                for a, b in zip(parts, parts[1:]) if not only_spaced else ():
                    self.zwnj[(a, b)] += 1
                if prev and runs[i - 1] == " ":
                    spaced[(prev[-1], parts[0])] += 1
                prev = parts
            elif run != " ":
                prev = None


def clean(w):
    w = w.strip().translate(FOLD)
    while ZWNJ + ZWNJ in w:
        w = w.replace(ZWNJ + ZWNJ, ZWNJ)
    return w.strip(ZWNJ)


def is_persian_word(w):
    return w and all("\u0621" <= c <= "\u06d3" or c == ZWNJ for c in w)


def main(src, out_path, news_dir=None):
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
    # a past stem in اند has its present stem in ان (نمایاند / نمایان, رساند / رسان), which the
    # lists sometimes lack
    if CAUSATIVE_PRESENT:
        present |= {s[:-1] for s in past if s.endswith("اند") and len(s) >= 5}
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

    def joined_stem_common(j, z, sz):
        """The joined spelling minus an ending of 1-3 letters crosses the ZWNJ and is ten times
        as common in Shekar's counts as the ZWNJ form."""
        first = len(z.split(ZWNJ)[0])
        # (three letters: an ordinal مین after a joined number, نهصدمین, not نه‌صدمین)
        for t in (1, 2, 3) if j.endswith("مین") else (1, 2):
            stem = j[:-t]
            if len(stem) >= first + 2 and shekar.get(stem, 0) >= 10 * max(sz, 1000):
                return True
        return False

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

    # a plural-looking word the news writes joined far more often than with a ZWNJ (آنها,
    # اینها, تنها) is a word of its own: the affix rules must not split it
    news = NewsCounts(news_dir)
    for w, c in news.joined.items():
        if (JOINED_PLURAL_WORDS and w.endswith("ها") and len(w) >= 4 and c >= 10 and
                w[-3] not in NON_JOINING and c > 2 * news.zwnj_form[w[:-2] + ZWNJ + "ها"]):
            entry(w)[0] |= 1

    def known(w):
        """w is a word, verb form or ZWNJ spelling of the lists: the affix rules read it."""
        return w in lemma_freq or w in verb_forms or w in zwnj_joined

    # compounds the lists lack that the news writes with a ZWNJ (names such as قلعه‌نویی,
    # terms): two parts of two letters or more, neither a verb prefix nor an affix the rules
    # restore themselves, written with the ZWNJ at least NEWS_FORM_MIN times and more often
    # than joined, no part a number (یک‌هزار, written every way), no second part و + a word
    # (فرهنگ‌وهنر: "and", written apart as often), no inflected second part (the affix rules'
    # to decide: نرم‌افزارهای); their weight is the lowest (any list
    # spelling wins)
    news_forms = {}  # joined -> parts, of the compounds taken from the news
    if NEWS_FORMS:
        for z, c in news.zwnj_form.items():
            parts = z.split(ZWNJ)
            j = "".join(parts)
            if (c >= NEWS_FORM_MIN and len(parts) == 2 and z not in zwnj_forms and
                    c > news.joined[j] and min(len(p) for p in parts) >= 2 and
                    parts[0] not in PREFIX_PARTS and parts[1] not in AFFIX_PARTS and
                    j not in lemma_freq and j not in verb_forms and is_persian_word(z) and
                    not any("NUM" in pos.get(p, ()) for p in parts) and
                    not (parts[1].startswith("و") and parts[1][1:] in lemma_freq) and
                    not any(parts[1].endswith(a) and parts[1][:-len(a)] in lemma_freq
                            for a in INFLECTIONS)):
                zwnj_forms[z] = 1
                news_forms[j] = parts
    zwnj_joined = {z.replace(ZWNJ, "") for z in zwnj_forms}
    for z, weight in zwnj_forms.items():
        j = z.replace(ZWNJ, "")
        if len(j) < 2:
            continue
        parts = z.split(ZWNJ)
        # a two-part inflected form (بدن‌های, بسته‌ای, تازه‌تر) of a stem the rules know: its
        # ZWNJ is the affix rules' to decide (نام‌های or نامه‌ای, and not in a line that joins
        # its plurals), not the list's, which spells one reading of an ambiguous form
        if (DROP_INFLECTED and len(parts) == 2 and known(parts[0]) and
                (parts[1] in INFLECTIONS or (parts[1] == "ای" and parts[0].endswith("ه")))):
            continue
        # the news corpus writes this ZWNJ spelling clearly more often than the joined one
        # (پیش‌بینی 67 to 1): it overrides the list counts below
        news_zwnj = (NEWS_OVERRIDE and news.zwnj_form[z] >= 3 and
                     news.zwnj_form[z] > 2 * news.joined[j])
        # which spelling does the corpus prefer? Shekar counts both where it has both
        sj, sz = shekar.get(j, 0), shekar.get(z, 0)
        if news_zwnj:
            pass
        elif (sj and sz and sz * 2 < sj) or (sj >= HUGE and not sz):
            entry(j)[0] |= 1  # written joined: پیگیری, راهپیمایی, آنها
            continue
        elif joined_stem_common(j, z, sz):
            continue  # پژوهشگران: the joined stem پژوهشگر is far commoner than the ZWNJ form
        elif lemma_freq.get(j, 0) >= weight:
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


    def participle(w):
        """A past participle (شده) or its negation (نشده), as zwnj.c's is_participle."""
        return w.endswith("ه") and bool(flags_of(w) & 8 or (w.startswith("ن") and
                                                           flags_of(w[1:]) & 8))

    def flags_of(w):
        return entries[w][0] if w in entries else 0

    # compounds the news corpus also writes joined (خرمشهر, غلامحسین): a writer who uses ZWNJs
    # and writes one joined meant it
    for j, e in entries.items():
        if e[1] and e[0] & 16 and news.joined[j]:
            e[0] |= JOINED_SEEN
            if JOINED_WORDS and news.joined[j] >= 3 and news.joined[j] > 2 * news.with_zwnj[j]:
                e[0] = (e[0] | 1) & ~16  # mostly written joined (خرمشهر): a word
                e[1] = None

    # two-part compounds of two standalone words: how does the news corpus write them?
    for j, e in list(entries.items()):
        fl, offs = e[0], e[1]
        if not offs or len(offs) != 1 or not fl & 16:
            continue
        b = j.encode("utf-8")
        left, right = b[:offs[0]].decode("utf-8"), b[offs[0]:].decode("utf-8")
        if not (flags_of(left) & 1 and flags_of(right) & 1):
            continue
        if participle(right):
            continue  # a participle after a word is a passive (داده شده, ثبت نشده)
        z, sp, jn = news.zwnj[(left, right)], news.spaced[(left, right)], news.joined[j]
        if jn > z:
            continue  # written joined (آنقدر, همانطور): not restored from two words
        meant = news.spaced_meant[(left, right)]
        if JOIN_SPACED and sp == 0 and (z >= 1 or (fl >> 5 & 7) >= 3):
            e[0] |= SPACED_JOIN
        elif MEANT_JOIN and z >= MEANT_MIN and z >= MEANT_RATIO * meant:
            e[0] |= SPACED_LOST
        elif sp >= 5 and 10 * z < sp:
            e[0] |= SPACED_APART

    # a compound taken from the news that its editors also write apart half as often as with
    # the ZWNJ (جوادی آملی, a name) is restored when joined, never joined when spaced
    for j, (left, right) in news_forms.items():
        if j in entries and 2 * news.spaced[(left, right)] >= news.zwnj[(left, right)]:
            entries[j][0] |= SPACED_APART

    # Xهای written joined is X + plural های or Xه + clitic ای (نام‌های / نامه‌ای, گوش‌های /
    # گوشه‌ای): where the news corpus writes one reading at least twice as often as the other
    # (with a ZWNJ or a space), the joined form gets that reading's ZWNJ
    for xh in [w for w in entries if w.endswith("ه") and len(w) >= 3]:
        x = xh[:-1]
        key = x + "های"
        if key in entries or not flags_of(x) & (1 | 4) or not flags_of(xh) & (1 | 8):
            continue
        clitic = news.zwnj[(xh, "ای")] + news.spaced[(xh, "ای")]
        plural = news.zwnj[(x, "های")] + news.spaced[(x, "های")]
        if clitic + plural < 2 or (clitic < 2 * plural and plural < 2 * clitic):
            continue
        cut = len((xh if clitic > plural else x).encode("utf-8"))
        entries[key] = [16 | AFFIXED, [cut], 0]

    for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "keep_joined.txt"),
                     encoding="utf-8"):
        w = clean(line)
        if w and not w.startswith("#"):
            e = entry(w)
            e[0] = (e[0] | 1) & ~16
            e[1] = None

    # the parts before a ZWNJ that can start a spaced compound under zwnj.c's rules (a word
    # and a second part both standing alone join only when the second part is productive,
    # the compound is listed in always_join.txt, the first part is هم, or the compound is
    # common and its first part longer than two letters (in a line that writes affixes
    # apart); no participles;
    # after a two-letter word only a common compound): only these are looked up at run time
    def productive(w):
        f = flags_of(w)
        return bool(f & 1024) and (f >> 5 & 7) == 0 and not w.endswith("ه")

    for j, (fl, offs, _) in list(entries.items()):
        if not offs or not fl & 16:
            continue
        b = j.encode("utf-8")
        for o in offs:
            left, right = b[:o].decode("utf-8"), b[o:].decode("utf-8")
            if len(left) < 2:
                continue
            both = flags_of(left) & 1 and flags_of(right) & 1
            # a common compound of two words (class 4+) after a word of three letters or
            # more: zwnj.c joins it in a line that writes affixes apart (آیت الله, نخست وزیر)
            common = ((fl >> 5 & 7) >= 4 or fl & SPACED_LOST) and len(left) > 2
            ok = (not both or productive(right) or fl & (2048 | SPACED_JOIN) or left == "هم"
                  or common)
            if participle(right):
                ok = False
            if len(left) <= 2 and left != "هم" and (fl >> 5 & 7) < 4:
                ok = False
            if ok or fl & 2048:
                entry(left)[0] |= 256

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
            c = shekar.get(w, 0)
            freq = c.bit_length() if c else 0
            out.write("%s\t%d\t%s\t%d\n" % (w, fl, ",".join(map(str, offs)) if offs else "", freq))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
