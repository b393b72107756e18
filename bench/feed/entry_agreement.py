#!/usr/bin/python3
"""bench/feed/entry_agreement.py ROOT CHAPAR — the issue's bar as one number: the share of
entries whose title, link, id and published all agree with python3-feedparser (the scorer's
field rules, shared/tools/feed_score.py; a field both sides leave empty agrees). ROOT is the
scorer's root (feeds/ -> shared/data/feeds-dev); run after `feed_score.py score` built the
references."""
import json, os, subprocess, sys

root, chapar = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/tools"))
sys.path.insert(0, "/work/shared/tools")
import feed_score as fs  # noqa: E402

samples = fs.list_samples(root)
paths = [os.path.join(root, "feeds", r) for r in samples]
out = subprocess.run([chapar, "feed", "parse", "--json"] + paths, capture_output=True).stdout
lines = out.decode("utf-8").splitlines()
total = ok = 0
for rel, line in zip(samples, lines):
    ref = fs.load_reference(root, rel)
    if ref.get("_ref_error"):
        continue
    cand = json.loads(line)
    re_, ce = ref.get("entries") or [], cand.get("entries") or []
    for i in range(max(len(re_), len(ce))):
        a = re_[i] if i < len(re_) else {}
        b = ce[i] if i < len(ce) else {}
        good = True
        for f in ("title", "link", "id", "published"):
            x, y = a.get(f), b.get(f)
            if fs._empty(x) and fs._empty(y):
                continue
            good = good and fs.field_equal(f, x, y)
        total += 1
        ok += good
print(f"entries whose title, link, id and published all agree: {ok}/{total} = {100.0 * ok / total:.2f}%")
