"""Drives jmail's IMAP server with Python's imaplib (used by ImapImaplibTest).

Usage: imaplib_client.py PORT. Prints IDLING when it waits in IDLE so the test can deliver
mail; exits non-zero with a message on the first unexpected answer.
"""
import imaplib
import sys


def check(cond, what):
    if not cond:
        print("FAIL: " + what, flush=True)
        sys.exit(1)


port = int(sys.argv[1])
M = imaplib.IMAP4("127.0.0.1", port)
check(b"IMAP4rev1" in M.welcome, "greeting %r" % M.welcome)
typ, _ = M.login("alice", "secret")
check(typ == "OK", "login")
typ, data = M.capability()
check(typ == "OK" and b" MOVE " in data[0] and b" IDLE " in data[0], "capabilities %r" % data)

typ, data = M.select("INBOX")
check(typ == "OK" and data == [b"2"], "select %r" % data)

typ, data = M.fetch("1:*", "(FLAGS UID RFC822.SIZE ENVELOPE)")
check(typ == "OK" and len(data) == 2 and b"ENVELOPE" in data[0], "fetch %r" % data)

typ, data = M.fetch("1", "(BODY.PEEK[])")
check(typ == "OK" and b"Body of message 1." in data[0][1], "fetch body %r" % data)

typ, data = M.store("1", "+FLAGS", "(\\Flagged)")
check(typ == "OK" and b"\\Flagged" in data[0], "store %r" % data)

typ, data = M.search(None, "FLAGGED")
check(typ == "OK" and data == [b"1"], "search %r" % data)
typ, data = M.uid("SEARCH", "SUBJECT", "number 2")
check(typ == "OK" and data == [b"2"], "uid search %r" % data)

msg = b"From: me@example.org\r\nSubject: appended\r\n\r\nhello\r\n"
typ, data = M.append("INBOX", "(\\Seen)", None, msg)
check(typ == "OK" and b"APPENDUID" in data[0], "append %r" % data)

typ, data = M.copy("1", "Trash")
check(typ == "OK" and b"COPYUID" in data[0], "copy %r" % data)
typ, data = M.uid("MOVE", "2", "Junk")
check(typ == "OK", "move %r" % data)

typ, data = M.status("Junk", "(MESSAGES)")
check(typ == "OK" and b"MESSAGES 1" in data[0], "status %r" % data)

typ, data = M.list()
check(typ == "OK" and any(b"\\Sent" in d for d in data), "list %r" % data)

# IDLE by hand: Python 3.11's imaplib has no idle()
tag = M._new_tag()
M.send(tag + b" IDLE\r\n")
line = M.readline()
check(line.startswith(b"+"), "idle continuation %r" % line)
print("IDLING", flush=True)
got = False
for _ in range(50):
    line = M.readline()
    if b"EXISTS" in line:
        got = True
        break
check(got, "no EXISTS during IDLE")
M.send(b"DONE\r\n")
while True:
    line = M.readline()
    if line.startswith(tag):
        check(b" OK " in line, "idle end %r" % line)
        break

typ, data = M.logout()
check(typ == "BYE", "logout %r" % typ)
print("ALL OK", flush=True)
