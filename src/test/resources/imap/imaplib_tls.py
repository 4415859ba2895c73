"""STARTTLS and implicit TLS with imaplib (used by ImapTlsTest). Usage: imaplib_tls.py PLAIN_PORT TLS_PORT."""
import imaplib
import ssl
import sys

ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE


def check(cond, what):
    if not cond:
        print("FAIL: " + what, flush=True)
        sys.exit(1)


plain, implicit = int(sys.argv[1]), int(sys.argv[2])
M = imaplib.IMAP4("127.0.0.1", plain)
typ, data = M.capability()
check(b"STARTTLS" in data[0], "no STARTTLS in %r" % data)
typ, data = M.starttls(ssl_context=ctx)
check(typ == "OK", "starttls %r" % data)
typ, data = M.capability()
check(b"STARTTLS" not in data[0] and b"AUTH=PLAIN" in data[0], "caps after TLS %r" % data)
M.login("alice", "secret")
M.select("INBOX")
M.logout()

S = imaplib.IMAP4_SSL("127.0.0.1", implicit, ssl_context=ctx)
check(b"STARTTLS" not in S.welcome, "imaps greeting %r" % S.welcome)
typ, _ = S.login("alice", "secret")
check(typ == "OK", "imaps login")
S.logout()
print("ALL OK", flush=True)
