#!/usr/bin/env python3
"""pages.py WWW CACHED_PORT UNCACHED_PORT NGINX_PORT SECONDS ROUNDS CONNECTIONS [NAMES]

The measuring half of bench/web/run.sh: picks one URL of every kind of page from the running
chapar (an article, its story, its outlet, a category, searches, the API, the feeds, /healthz, a
404), saves the bytes chapar serves for each under WWW/p/ so that nginx serves exactly those
bytes, checks nginx does, then runs wrk against the cached chapar, the uncached chapar and nginx,
rotating the order each round, and prints a Markdown table of medians and median per-round
ratios, and the CPU time each server spent per request (from /proc, so it holds however busy
the shared machine is). A page whose content changes between requests (a relative time ticking) is still the
same page; only its size is compared.
"""
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

UA = "Mozilla/5.0 (bench)"


def get(port, path):
    """(status, content type, body) of one GET with a browser user agent."""
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"User-Agent": UA})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def discover(port):
    """[(name, path)] of every page kind, from what the database holds."""
    _, _, body = get(port, "/api/articles?limit=100")
    arts = json.loads(body)["articles"]
    seed = [a for a in arts if a["title"].startswith("سفر مهم")]
    art = seed[0] if seed else arts[0]
    _, _, body = get(port, f"/api/articles/{art['id']}")
    full = json.loads(body)["article"]
    story = full.get("story_id") or art["id"]
    source = art["source"]["id"]
    _, _, home = get(port, "/")
    home = home.decode()
    cat = home.split('href="/category/', 1)[1].split('"', 1)[0] if 'href="/category/' in home else "x"
    words = os.environ.get("SEARCH", "باکو ایران").split()
    q = [urllib.parse.quote(w) for w in words]
    pages = [
        ("home", "/"),
        ("article", f"/article/{art['id']}"),
        ("story", f"/story/{story}"),
        ("source", f"/source/{source}"),
        ("category", f"/category/{cat}"),
    ]
    pages += [(f"search-{i + 1}", f"/search?q={w}") for i, w in enumerate(q)]
    pages += [
        ("api-articles", "/api/articles"),
        ("api-article", f"/api/articles/{art['id']}"),
        ("api-stories", "/api/stories"),
        ("api-trending", "/api/trending"),
        ("api-search", f"/api/search?q={q[0]}"),
        ("feed", "/feed"),
        ("feed-source", f"/feed/source/{source}"),
        ("feed-category", f"/feed/category/{cat}"),
        ("feed-search", f"/feed/search?q={q[0]}"),
        ("healthz", "/healthz"),
        ("404", "/no/such/page"),
    ]
    return pages


def cpu_ticks(pid):
    """CPU time (clock ticks, user + system) used so far by process pid and its children."""
    pids = [pid]
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1] == str(pid):
                    pids.append(int(d))
            except OSError:
                pass
    total = 0
    for p in pids:
        try:
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += int(f[11]) + int(f[12])
        except OSError:
            pass
    return total


def wrk(port, path, secs, conns, pid):
    """(requests/s, server CPU microseconds per request) of wrk against one URL (keep-alive,
    2 threads); the CPU figure holds however busy the machine is."""
    before = cpu_ticks(pid)
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{secs}s", "-H", f"User-Agent: {UA}",
                          f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    used = (cpu_ticks(pid) - before) / os.sysconf("SC_CLK_TCK")
    done = [int(l.split()[0]) for l in out.splitlines() if " requests in " in l]
    for line in out.splitlines():
        if line.startswith("Requests/sec:") and done:
            return float(line.split()[1]), used * 1e6 / max(done[0], 1)
    raise SystemExit("wrk printed no rate:\n" + out)


def main():
    www, cport, uport, nport = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    secs, rounds, conns = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    pids = {"cached": int(sys.argv[8]), "uncached": int(sys.argv[9]), "nginx": int(sys.argv[10])}
    keep = set(sys.argv[11].split()) if len(sys.argv) > 11 and sys.argv[11] else None
    pages = [p for p in discover(cport) if keep is None or p[0] in keep]
    os.makedirs(os.path.join(www, "p"), exist_ok=True)
    ext = {"text/html": "html", "application/json": "json", "application/atom+xml": "atom"}
    table = []
    for name, path in pages:
        status, ctype, body = get(cport, path)
        static = f"/p/{name}.{ext.get(ctype.split(';')[0], 'html')}"
        with open(www + static, "wb") as f:
            f.write(body)
        os.chmod(www + static, 0o644)
        _, _, nbody = get(nport, static)
        if nbody != body:
            raise SystemExit(f"nginx does not serve the bytes of {path}")
        _, _, ubody = get(uport, path)
        table.append((name, path, status, len(body), len(ubody), static))
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
          f"{open('/proc/loadavg').read().split()[0]}, {os.cpu_count()} cores, "
          f"wrk -t2 -c{conns} -d{secs}s, {rounds} rounds", flush=True)
    rows = []
    for name, path, status, size, usize, static in table:
        rates = {"cached": [], "uncached": [], "nginx": []}
        cpu = {"cached": [], "uncached": [], "nginx": []}
        targets = [("cached", cport, path), ("uncached", uport, path), ("nginx", nport, static)]
        for r in range(rounds):
            order = targets[r % 3:] + targets[:r % 3]
            for kind, port, p in order:
                rate, us = wrk(port, p, secs, conns, pids[kind])
                rates[kind].append(rate)
                cpu[kind].append(us)
        rc = [c / n for c, n in zip(rates["cached"], rates["nginx"])]
        ru = [u / n for u, n in zip(rates["uncached"], rates["nginx"])]
        row = (name, path, status, size, statistics.median(rates["cached"]),
               statistics.median(rates["uncached"]), statistics.median(rates["nginx"]),
               statistics.median(rc), statistics.median(ru), statistics.median(cpu["cached"]),
               statistics.median(cpu["uncached"]), statistics.median(cpu["nginx"]))
        rows.append(row)
        print(f"{name:14} {status} {size:7d} B  cached {row[4]:8.0f}  uncached {row[5]:8.0f}  "
              f"nginx {row[6]:8.0f}  ratio {row[7]:.2f} / {row[8]:.2f}  CPU us/req "
              f"{row[9]:.0f} / {row[10]:.0f} / {row[11]:.0f}", flush=True)
    print()
    print("| page | URL | status | bytes | chapar cached req/s | chapar uncached req/s | nginx req/s "
          "| cached/nginx | uncached/nginx | server CPU µs/request: cached, uncached, nginx |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, path, status, size, c, u, n, rc, ru, cc, cu, cn in rows:
        mark = lambda x: f"**{x:.2f}**" if x >= 0.5 else f"{x:.2f}"
        print(f"| {name} | `{urllib.parse.unquote(path)}` | {status} | {size:,} | {c:,.0f} | {u:,.0f} | "
              f"{n:,.0f} | {mark(rc)} | {mark(ru)} | {cc:.0f}, {cu:.0f}, {cn:.0f} |")
    met_c = sum(r[7] >= 0.5 for r in rows)
    met_u = sum(r[8] >= 0.5 for r in rows)
    print(f"\npages at >= 0.5x nginx: cached {met_c}/{len(rows)}, uncached {met_u}/{len(rows)}; "
          f"load average after: {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
