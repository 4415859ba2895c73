#!/usr/bin/env python3
"""Logs in over IMAP, applies some changes to INBOX and prints what the server then reports.

usage: imap_snapshot.py HOST PORT USER PASS [OP...]
OPs, applied in order before the snapshot:
  flag:UID:+FLAGS     UID STORE UID +FLAGS (FLAGS space-separated, e.g. "+\\Flagged $Work")
  flag:UID:-FLAGS     UID STORE UID -FLAGS
  append:SUBJECT      APPEND a small message with that subject
  expunge:UID         UID STORE UID +FLAGS \\Deleted, then EXPUNGE
Prints one JSON object: {"greeting", "uidvalidity", "uidnext", "messages": [{"uid", "flags",
"subject"}]}, flags sorted, \\Recent left out (it differs by design between sessions).
Used by DovecotInteropIT against jmail and a private Dovecot on the same mbox files.
"""
import imaplib
import json
import re
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ops = sys.argv[5:]


def ok(resp):
    typ, dat = resp
    if typ != "OK":
        raise SystemExit(f"IMAP command failed: {typ} {dat}")
    return dat


m = imaplib.IMAP4(host, port)
out = {"greeting": m.welcome.decode()}
ok(m.login(user, password))
ok(m.select("INBOX"))
for op in ops:
    kind, _, rest = op.partition(":")
    if kind == "flag":
        uid, _, flags = rest.partition(":")
        ok(m.uid("STORE", uid, flags[0] + "FLAGS", "(" + flags[1:] + ")"))
    elif kind == "append":
        msg = (f"From: interop@example.tst\r\nTo: {user}@example.tst\r\nSubject: {rest}\r\n"
               f"Message-ID: <{rest}@example.tst>\r\n\r\nappended by the interop test\r\n")
        ok(m.append("INBOX", None, None, msg.encode()))
    elif kind == "expunge":
        ok(m.uid("STORE", rest, "+FLAGS", "(\\Deleted)"))
        ok(m.expunge())
    else:
        raise SystemExit("unknown op " + op)

dat = ok(m.status("INBOX", "(UIDVALIDITY UIDNEXT)"))
status = dat[0].decode()
out["uidvalidity"] = int(re.search(r"UIDVALIDITY (\d+)", status).group(1))
out["uidnext"] = int(re.search(r"UIDNEXT (\d+)", status).group(1))
messages = []
dat = ok(m.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"))
for item in dat:
    if not isinstance(item, tuple):
        continue
    meta = item[0].decode()
    uid = int(re.search(r"UID (\d+)", meta).group(1))
    flags = re.search(r"FLAGS \(([^)]*)\)", meta).group(1).split()
    subject = item[1].decode(errors="replace").strip()
    subject = subject[len("Subject:"):].strip() if subject.lower().startswith("subject:") else subject
    messages.append({"uid": uid, "flags": sorted(f for f in flags if f != "\\Recent"), "subject": subject})
out["messages"] = sorted(messages, key=lambda x: x["uid"])
m.logout()
print(json.dumps(out))
