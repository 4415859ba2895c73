#!/usr/bin/env python3
"""One scripted IMAP session with Python's imaplib, as a mail client would run it.

usage: imap_session.py HOST PORT USER PASS [ssl]
Prints one JSON object: what each step returned, for the integration test to check.
Precondition: INBOX holds at least two messages, the first with subject "imap-one".
"""
import imaplib
import json
import ssl
import sys
import time

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
use_ssl = len(sys.argv) > 5 and sys.argv[5] == "ssl"
out = {}


def data(resp):
    typ, dat = resp
    return typ, [d.decode("utf-8", "replace") if isinstance(d, bytes) else
                 [x.decode("utf-8", "replace") if isinstance(x, bytes) else x for x in d] if isinstance(d, tuple)
                 else d for d in dat]


if use_ssl:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    m = imaplib.IMAP4_SSL(host, port, ssl_context=ctx)
else:
    m = imaplib.IMAP4(host, port)
out["greeting"] = m.welcome.decode()
out["capabilities_pre"] = list(m.capabilities)
typ, dat = m.login(user, password)
out["login"] = typ
out["capabilities"] = list(m.capabilities) if typ == "OK" else []
typ, dat = m.list()
out["list"] = [d.decode() for d in dat]
typ, dat = m.select("INBOX")
out["select"] = typ
out["exists"] = int(dat[0])
out["uidvalidity"] = m.untagged_responses.get("UIDVALIDITY", [b"0"])[0].decode()
typ, dat = m.uid("SEARCH", None, "ALL")
out["uids"] = [int(x) for x in dat[0].split()]
typ, dat = m.search(None, '(SUBJECT "imap-one")')
out["search_subject"] = [int(x) for x in dat[0].split()]
typ, dat = m.fetch("1", "(UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
out["fetch_header"] = data((typ, dat))[1]
typ, dat = m.fetch("1", "(BODY[])")
body = dat[0][1]
out["fetch_body_len"] = len(body)
out["fetch_body_has_xuid"] = b"X-UID:" in body or b"X-IMAPbase:" in body or b"\nStatus:" in body
typ, dat = m.fetch("1", "(RFC822.SIZE)")
out["rfc822_size"] = dat[0].decode()
typ, dat = m.fetch("1", "(FLAGS)")
out["flags_after_read"] = dat[0].decode()
typ, dat = m.fetch("1:*", "(BODYSTRUCTURE ENVELOPE)")
out["bodystructure_ok"] = typ
typ, dat = m.store("2", "+FLAGS", "(\\Flagged $Work)")
out["store"] = typ
out["store_data"] = [d.decode() for d in dat if d]
typ, dat = m.append("Sent", "(\\Seen)", imaplib.Time2Internaldate(time.time()),
                    b"From: jm <jm@example.tst>\r\nSubject: appended\r\n\r\nhello from append\r\n")
out["append"] = typ
out["append_data"] = [d.decode() for d in dat if d]
typ, dat = m.copy("1", "Trash")
out["copy"] = typ
typ, dat = m.status("Trash", "(MESSAGES UIDNEXT UNSEEN)")
out["status_trash"] = dat[0].decode()
typ, dat = m.create("Archive/2026")
out["create"] = typ
typ, dat = m.list("\"\"", "Archive*")
out["list_archive"] = [d.decode() for d in dat if d]
typ, dat = m.store("1", "+FLAGS", "(\\Deleted)")
typ, dat = m.expunge()
out["expunge"] = [d.decode() for d in dat if d]
typ, dat = m.select("INBOX")
out["exists_after_expunge"] = int(dat[0])
typ, dat = m.uid("SEARCH", None, "ALL")
out["uids_after_expunge"] = [int(x) for x in dat[0].split()]
typ, dat = m.fetch("1", "(FLAGS)")
out["flags_kept"] = dat[0].decode() if dat and dat[0] else ""
typ, dat = m.delete("Archive/2026")
out["delete"] = typ
try:
    typ, dat = m.select("../../etc")
    out["select_escape"] = typ + " " + " ".join(d.decode() for d in dat if d)
except imaplib.IMAP4.error as e:
    out["select_escape"] = "NO " + str(e)
out["logout"] = m.logout()[0]
print(json.dumps(out))
