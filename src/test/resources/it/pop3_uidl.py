#!/usr/bin/env python3
"""Prints the UIDL list a POP3 server reports: usage pop3_uidl.py HOST PORT USER PASS.

One JSON object {"greeting", "uidl": ["1 abc", ...]}; QUIT without DELE, so nothing changes
but the \\Seen flags Dovecot doesn't set either (no RETR). Used by DovecotInteropIT.
"""
import json
import poplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
p = poplib.POP3(host, port)
out = {"greeting": p.getwelcome().decode()}
p.user(user)
p.pass_(password)
out["uidl"] = [x.decode() for x in p.uidl()[1]]
p.quit()
print(json.dumps(out))
