#!/usr/bin/env python3
"""request_fuzz.py PORT — throws malformed and hostile requests at a chapar server on
127.0.0.1:PORT: garbage request lines, huge headers, bad and huge ids, path traversal, bad
query values, odd methods, random bytes. Every answer must be a 4xx (or a closed connection for
garbage that is not HTTP at all), never a 5xx, and the server must answer /healthz afterwards.
Deterministic (fixed seed), bounded in count and time. Exit 0 when all hold."""
import random
import socket
import sys

PORT = int(sys.argv[1])
random.seed(1403)
failures = []


def send(raw, expect_4xx=True, label=None):
    # a request the server is still waiting to complete gets no answer within 2 s: that is
    # fine (its connection timeout ends it); only answers are judged
    s = socket.create_connection(("127.0.0.1", PORT), timeout=2)
    data = b""
    try:
        s.sendall(raw)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (OSError, socket.timeout):
        pass
    finally:
        s.close()
    status = None
    if data.startswith(b"HTTP/1."):
        try:
            status = int(data.split(b" ", 2)[1])
        except ValueError:
            status = None
    name = label or repr(raw[:60])
    # 505 is HTTP's own answer to a protocol version the client made up (MHD sends it before
    # chapar sees the request); every other 5xx is a failure
    if status is not None and status >= 500 and status != 505:
        failures.append(f"{name}: got {status}")
    elif expect_4xx and status is not None and not (400 <= status < 500 or status == 505):
        failures.append(f"{name}: expected 4xx, got {status}")
    return status


def get(path, headers=b""):
    return b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + b"\r\n"


bad_paths = [b"/article/0", b"/article/-1", b"/article/abc", b"/article/99999999999999999999999",
             b"/article/1/../../etc/passwd", b"/../../../../etc/passwd",
             b"/assets/../../../etc/passwd", b"/assets/%2e%2e/%2e%2e/etc/passwd", b"/assets/",
             b"/api/articles/abc", b"/api/articles/0", b"/api/articles/123456789012345678901",
             b"/api/articles?limit=0", b"/api/articles?limit=-5", b"/api/articles?limit=1000000000000",
             b"/api/articles?before=x", b"/api/articles?before=999999999", b"/?before=abc",
             b"/source/0", b"/source/abc", b"/source/999999", b"/nope", b"/" + b"a" * 3000,
             b"/article/" + b"9" * 500, b"/%ff%fe%fd", b"/article/%d9%81"]
for p in bad_paths:
    send(get(p), label=p.decode("latin-1")[:60])

# methods other than GET/HEAD
for m in [b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"TRACE", b"BREW"]:
    send(m + b" / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", label=m.decode())

# garbage request lines and broken framing: 4xx or a dropped connection, never 5xx
# a NUL (raw or %00) ends the path as the server reads it: /article/1%00 is /article/1
for p in [b"/article/1%00", b"/\x00/../etc/passwd"]:
    send(get(p), expect_4xx=False, label=repr(p))
garbage = [b"\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
           b"G\xffT / HTTP/1.1\r\nHost: x\r\n\r\n", b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
           b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
           b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
           b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 5000 + b"\r\n",
           b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n",
           b"GET /" + b"b" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"]
for g in garbage:
    send(g, label=repr(g[:40]))
for i in range(300):
    n = random.randint(1, 3000)
    send(bytes(random.getrandbits(8) for _ in range(n)), label=f"random bytes #{i}")
# random mutations of a valid request
valid = get(b"/article/1", b"User-Agent: Mozilla/5.0\r\n")
for i in range(300):
    b = bytearray(valid)
    for _ in range(random.randint(1, 6)):
        b[random.randrange(len(b))] = random.getrandbits(8)
    st = send(bytes(b), expect_4xx=False, label=f"mutation #{i}")

ok = send(get(b"/healthz"), expect_4xx=False)
if ok != 200:
    failures.append(f"/healthz after the fuzz answered {ok}")
for f in failures[:30]:
    print("FAIL", f)
print(f"request fuzz: {len(failures)} failures")
sys.exit(1 if failures else 0)
