#!/usr/bin/env python3
"""One scripted POP3 session with Python's poplib.

usage: pop3_session.py HOST PORT USER PASS [ssl|dele]
Prints one JSON object. With "dele", deletes message 1 and QUITs (the deletion commits);
otherwise reads everything and deletes nothing.
"""
import json
import poplib
import ssl
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
mode = sys.argv[5] if len(sys.argv) > 5 else ""
out = {}
if mode == "ssl":
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    p = poplib.POP3_SSL(host, port, context=ctx)
else:
    p = poplib.POP3(host, port)
out["greeting"] = p.getwelcome().decode()
out["capa"] = sorted(p.capa().keys())
out["user"] = p.user(user).decode()
try:
    out["pass"] = p.pass_(password).decode()
except poplib.error_proto as e:
    out["pass"] = str(e)
    print(json.dumps(out))
    sys.exit(0)
count, size = p.stat()
out["stat"] = [count, size]
resp, lines, _ = p.list()
out["list"] = [l.decode() for l in lines]
resp, lines, _ = p.uidl()
out["uidl"] = [l.decode() for l in lines]
sizes = []
for i in range(1, count + 1):
    resp, lines, octets = p.retr(i)
    sizes.append(octets)
    if i == 1:
        out["retr1_has_meta"] = any(l.startswith(b"X-UID:") or l.startswith(b"X-IMAPbase:") or
                                    l.startswith(b"Status:") for l in lines)
out["retr_octets"] = sizes
if count:
    resp, lines, _ = p.top(1, 0)
    out["top_lines"] = len(lines)
if mode == "dele" and count:
    out["dele"] = p.dele(1).decode()
out["quit"] = p.quit().decode()
print(json.dumps(out))
