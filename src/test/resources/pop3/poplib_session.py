#!/usr/bin/python3
"""Drives a POP3 server with Python's poplib the way mail clients do; prints one
'key<TAB>value' line per observation for the Java test to check.

usage: poplib_session.py HOST PORT USER PASSWORD [stls]
"""
import poplib
import ssl
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
use_stls = len(sys.argv) > 5 and sys.argv[5] == "stls"


def out(key, value):
    print(f"{key}\t{value}", flush=True)


c = poplib.POP3(host, port, timeout=20)
out("welcome", c.getwelcome().decode())
out("capa", " ".join(sorted(c.capa().keys())))
if use_stls:
    c.stls(ssl._create_unverified_context())
    out("capa_tls", " ".join(sorted(c.capa().keys())))
try:
    c.user(user)
    out("pass", c.pass_(password).decode())
except poplib.error_proto as e:
    out("error", e.args[0].decode())
    c.quit()
    sys.exit(0)
count, size = c.stat()
out("stat", f"{count} {size}")
resp, lines, octets = c.list()
out("list", " ".join(l.decode() for l in lines))
resp, lines, octets = c.uidl()
out("uidl", " ".join(l.decode() for l in lines))
resp, lines, octets = c.retr(1)
out("retr_resp", resp.decode())
out("retr_lines", "|".join(l.decode() for l in lines))
out("retr_octets", sum(len(l) + 2 for l in lines))
resp, lines, octets = c.top(2, 0)
out("top", "|".join(l.decode() for l in lines))
out("dele", c.dele(1).decode())
out("quit", c.quit().decode())

c = poplib.POP3(host, port, timeout=20)
if use_stls:
    c.stls(ssl._create_unverified_context())
c.user(user)
c.pass_(password)
out("stat_after", "%d %d" % c.stat())
c.quit()
